import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Empty, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type QueryParams } from '../../api/api-client.js';
import { useMe } from '../../api/auth.js';
import { useFormat } from '../../i18n/format.js';
import type { AuditAction } from '../../../../src/contracts/vocab.js';

export type AuditItem = {
  id: number;
  at: string;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  unitId: string | null;
  personId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
};
type AuditPage = { items: AuditItem[]; nextCursor: number | null };

/** Keyset "load more": each page asks for entries older than the last one shown. */
export function useAuditLog(filter: QueryParams, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    queryFn: ({ pageParam }) => api.get<AuditPage>('/audit', { ...filter, cursor: pageParam ?? undefined, limit: 50 }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

const HIDDEN = new Set(['updatedAt', 'createdAt', 'version', 'id', 'orgId', 'searchText', 'nameSearch']);

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (typeof v === 'string') return v.length > 60 ? `${v.slice(0, 57)}…` : v;
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** A compact before → after view: only the keys that differ. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => !HIDDEN.has(k) && JSON.stringify(b[k]) !== JSON.stringify(a[k]),
  );
  if (!keys.length) return <Typography.Text type="secondary">—</Typography.Text>;
  const shown = keys.slice(0, 8);
  return (
    <div className="muster-diff" style={{ fontSize: 12, lineHeight: 1.6 }} data-testid="audit-diff">
      {shown.map((k) => (
        <div key={k}>
          <Typography.Text strong style={{ fontSize: 12 }}>
            {t(`fields.${k}`, { defaultValue: k })}
          </Typography.Text>
          {': '}
          {k in b && <del>{show(b[k])}</del>}
          {k in b && k in a && ' → '}
          {k in a && <ins>{show(a[k])}</ins>}
        </div>
      ))}
      {keys.length > shown.length && <Typography.Text type="secondary">+{keys.length - shown.length}</Typography.Text>}
    </div>
  );
}

const ACTION_COLORS: Partial<Record<AuditAction, string>> = {
  create: 'green',
  update: 'blue',
  delete: 'red',
  move: 'purple',
  read_sensitive: 'orange',
  login_failed: 'red',
  approve: 'green',
  reject: 'volcano',
};

export function AuditTable({
  filter,
  showPerson = true,
  onActor,
}: {
  filter: QueryParams;
  showPerson?: boolean;
  onActor?: (id: string, name: string) => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const fmt = useFormat(me.timeZone);
  const q = useAuditLog(filter);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: TableColumnsType<AuditItem> = [
    { title: t('audit.at'), dataIndex: 'at', key: 'at', width: 170, render: (v: string) => fmt.dateTime(v) },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      key: 'actor',
      width: 140,
      render: (v: string | null, e) =>
        e.actorUserId && onActor ? (
          <Typography.Link onClick={() => onActor(e.actorUserId!, v ?? e.actorUserId!)}>{v ?? '—'}</Typography.Link>
        ) : (
          (v ?? t('audit.system'))
        ),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      key: 'action',
      width: 120,
      render: (v: string) => <Tag color={ACTION_COLORS[v as AuditAction]}>{t(`audit.actions.${v}`, { defaultValue: v })}</Tag>,
    },
    {
      title: t('audit.entity'),
      dataIndex: 'entity',
      key: 'entity',
      width: 120,
      render: (v: string) => t(`audit.entities.${v}`, { defaultValue: v }),
    },
    ...(showPerson
      ? [
          {
            title: t('audit.person'),
            dataIndex: 'personId',
            key: 'person',
            width: 90,
            render: (v: string | null) => (v ? <Link to={`/people/${v}`}>{t('common.details')}</Link> : '—'),
          },
        ]
      : []),
    { title: t('audit.change'), key: 'diff', render: (_: unknown, e: AuditItem) => <AuditDiff before={e.before} after={e.after} /> },
  ];
  return (
    <>
      <Table<AuditItem>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={q.isLoading}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: q.isLoading ? <div style={{ height: 120 }} /> : <Empty description={t('audit.empty')} /> }}
        data-testid="audit-table"
      />
      {q.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} data-testid="audit-load-more">
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}
