import {
  EditOutlined,
  KeyOutlined,
  MoreOutlined,
  PlusOutlined,
  StopOutlined,
  UnlockOutlined,
  CheckCircleOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Dropdown, Empty, Grid, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import {
  ACCOUNT_SORTS,
  ACCOUNT_STATUSES,
  type AccountItem,
  type AccountListResponse,
  type AccountWithPassword,
} from '../../../../src/contracts/account.js';
import { ROLES } from '../../../../src/contracts/vocab.js';
import { api } from '../../api/api-client.js';
import { useMe } from '../../api/auth.js';
import { useApiError } from '../../api/use-api-error.js';
import { PageHeader } from '../../components/app-layout.js';
import { UnitTreeSelect } from '../../components/unit-tree-select.js';
import { useDraft } from '../../components/use-draft.js';
import { useFormat } from '../../i18n/format.js';
import { AccountFormDrawer } from './account-form-drawer.js';
import { OneTimePasswordModal } from './one-time-password.js';

type Sort = (typeof ACCOUNT_SORTS)[number];
const PAGE_SIZES = [20, 50, 100];

/** The list state lives in the URL, so a filtered view can be bookmarked and Back works. */
function parseQuery(sp: URLSearchParams) {
  const sort = (ACCOUNT_SORTS as readonly string[]).includes(sp.get('sort') ?? '') ? (sp.get('sort') as Sort) : 'username';
  const limit = PAGE_SIZES.includes(Number(sp.get('limit'))) ? Number(sp.get('limit')) : 20;
  return {
    q: sp.get('q') ?? '',
    role: sp.get('role') ?? undefined,
    unitId: sp.get('unitId') ?? undefined,
    status: sp.get('status') ?? undefined,
    sort,
    dir: sp.get('dir') === 'desc' ? ('desc' as const) : ('asc' as const),
    page: Math.max(1, Number(sp.get('page')) || 1),
    limit,
  };
}
type Query = ReturnType<typeof parseQuery>;

function statusOf(a: AccountItem): 'disabled' | 'locked' | 'active' {
  return a.disabled ? 'disabled' : a.lockedUntil ? 'locked' : 'active';
}
const STATUS_COLORS = { active: 'green', locked: 'orange', disabled: 'default' } as const;

export function AccountsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const screens = Grid.useBreakpoint();
  const fmt = useFormat(me.timeZone);
  const { modal, message } = App.useApp();
  const onError = useApiError();
  const qc = useQueryClient();
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parseQuery(searchParams), [searchParams]);
  const [text, setText] = useDraft(query.q);
  const [editing, setEditing] = useState<AccountItem | 'new' | null>(null);
  const [issued, setIssued] = useState<{ username: string; password: string } | null>(null);

  const update = (patch: Partial<Query>) => {
    const next = { ...query, page: 1, ...patch };
    const sp = new URLSearchParams();
    if (next.q) sp.set('q', next.q);
    if (next.role) sp.set('role', next.role);
    if (next.unitId) sp.set('unitId', next.unitId);
    if (next.status) sp.set('status', next.status);
    if (next.sort !== 'username') sp.set('sort', next.sort);
    if (next.dir !== 'asc') sp.set('dir', next.dir);
    if (next.page > 1) sp.set('page', String(next.page));
    if (next.limit !== 20) sp.set('limit', String(next.limit));
    setSearchParams(sp);
  };

  const accounts = useQuery({
    queryKey: ['accounts', searchParams.toString()],
    queryFn: () =>
      api.get<AccountListResponse>('/accounts', {
        q: query.q,
        role: query.role,
        unitId: query.unitId,
        status: query.status,
        sort: query.sort,
        dir: query.dir,
        offset: (query.page - 1) * query.limit,
        limit: query.limit,
      }),
    placeholderData: keepPreviousData,
  });

  const refresh = () => void qc.invalidateQueries({ queryKey: ['accounts'] });
  const action = useMutation({
    mutationFn: async ({ kind, account }: { kind: 'reset' | 'unlock' | 'disable' | 'enable'; account: AccountItem }) => {
      if (kind === 'reset') return api.post<AccountWithPassword>(`/accounts/${account.id}/reset-password`);
      if (kind === 'unlock') return api.post<AccountItem>(`/accounts/${account.id}/unlock`);
      return api.patch<AccountItem>(`/accounts/${account.id}`, { disabled: kind === 'disable', version: account.version });
    },
    onSuccess: (r, { kind, account }) => {
      refresh();
      if (kind === 'reset') setIssued({ username: account.username, password: (r as AccountWithPassword).oneTimePassword! });
      else void message.success(t(`accounts.done.${kind}`, { username: account.username }));
    },
    onError: (e) => onError(e),
  });

  const confirm = (kind: 'reset' | 'disable' | 'enable' | 'unlock', account: AccountItem) =>
    modal.confirm({
      title: t(`accounts.confirm.${kind}`, { username: account.username }),
      content: t(`accounts.confirmHint.${kind}`),
      okText: t(`accounts.action.${kind}`),
      okButtonProps: { danger: kind === 'disable' || kind === 'reset', ...({ 'data-testid': 'confirm-ok' } as Record<string, string>) },
      cancelText: t('common.cancel'),
      onOk: () => action.mutateAsync({ kind, account }).catch(() => undefined),
    });

  const sortOrder = (key: Sort) => (query.sort === key ? (query.dir === 'asc' ? 'ascend' : 'descend') : null);
  const columns: TableColumnsType<AccountItem> = [
    {
      title: t('fields.username'),
      dataIndex: 'username',
      key: 'username',
      sorter: true,
      sortOrder: sortOrder('username'),
      width: 170,
      render: (v: string, a) => (
        <Space orientation="vertical" size={0}>
          <Button type="link" style={{ padding: 0, height: 'auto' }} onClick={() => setEditing(a)} data-testid="account-open">
            {v}
          </Button>
          {/* Narrow screens drop the display-name column: show it here instead. */}
          {!screens.lg && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.displayName}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('fields.displayName'),
      dataIndex: 'displayName',
      key: 'displayName',
      sorter: true,
      sortOrder: sortOrder('displayName'),
      responsive: ['lg'],
      width: 150,
    },
    {
      title: t('fields.grants'),
      key: 'grants',
      render: (_, a) => (
        <Space size={[4, 4]} wrap>
          {a.grants.map((g) => (
            <Tag key={`${g.role}@${g.scopeUnitId}`} color={g.role === 'admin' ? 'blue' : undefined} style={{ marginInlineEnd: 0 }}>
              {t(`roles.${g.role}`)} · {g.scopeUnitName}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('fields.personId'),
      dataIndex: 'personName',
      key: 'person',
      width: 110,
      responsive: ['xl'],
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('fields.status'),
      key: 'status',
      width: 120,
      render: (_, a) => {
        const s = statusOf(a);
        return (
          <Space size={4} wrap>
            <Tooltip title={s === 'locked' ? t('accounts.lockedUntil', { at: fmt.dateTime(a.lockedUntil!) }) : undefined}>
              <Tag color={STATUS_COLORS[s]} data-testid="account-status">
                {t(`accounts.status.${s}`)}
              </Tag>
            </Tooltip>
            {a.passwordTemporary && !a.disabled && (
              <Tooltip title={t('accounts.temporaryHint')}>
                <Tag color="gold">{t('accounts.temporary')}</Tag>
              </Tooltip>
            )}
          </Space>
        );
      },
    },
    {
      title: t('common.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      sorter: true,
      sortOrder: sortOrder('createdAt'),
      width: 120,
      responsive: ['lg'],
      render: (v: string) => fmt.date(v),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 96,
      fixed: 'right',
      render: (_, a) => (
        <Space size={0}>
          <Tooltip title={t('common.edit')}>
            <Button type="text" icon={<EditOutlined />} onClick={() => setEditing(a)} aria-label={`${t('common.edit')} ${a.username}`} />
          </Tooltip>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'reset', icon: <KeyOutlined />, label: t('accounts.action.reset') },
                ...(a.lockedUntil ? [{ key: 'unlock', icon: <UnlockOutlined />, label: t('accounts.action.unlock') }] : []),
                a.disabled
                  ? { key: 'enable', icon: <CheckCircleOutlined />, label: t('accounts.action.enable') }
                  : {
                      key: 'disable',
                      icon: <StopOutlined />,
                      label: t('accounts.action.disable'),
                      danger: true,
                      disabled: a.id === me.userId,
                    },
              ],
              onClick: ({ key }) => {
                confirm(key as 'reset' | 'disable' | 'enable' | 'unlock', a);
              },
            }}
          >
            <Button type="text" icon={<MoreOutlined />} aria-label={`${t('common.actions')} ${a.username}`} data-testid="account-actions" />
          </Dropdown>
        </Space>
      ),
    },
  ];

  const onTableChange: TableProps<AccountItem>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    if (!s?.order) update({ sort: 'username', dir: 'asc' });
    else update({ sort: (s.columnKey as Sort) ?? 'username', dir: s.order === 'descend' ? 'desc' : 'asc' });
  };
  const filtered = !!(query.q || query.role || query.unitId || query.status);
  const data = accounts.data;

  return (
    <>
      <PageHeader
        title={t('nav.accounts')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="create-account">
            {t('accounts.create')}
          </Button>
        }
      />
      <Card size="small">
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 12 }} role="search">
          <Input.Search
            id="accounts-q"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onSearch={(v) => update({ q: v.trim() })}
            allowClear
            placeholder={t('accounts.searchPlaceholder')}
            aria-label={t('accounts.searchPlaceholder')}
            style={{ width: 240 }}
            data-testid="accounts-search"
          />
          <Select
            value={query.role}
            onChange={(v: string | undefined) => update({ role: v })}
            allowClear
            placeholder={t('fields.role')}
            aria-label={t('fields.role')}
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            style={{ width: 160 }}
            data-testid="accounts-role"
          />
          <UnitTreeSelect
            value={query.unitId}
            onChange={(v) => update({ unitId: v })}
            placeholder={t('accounts.unitFilter')}
            aria-label={t('accounts.unitFilter')}
            style={{ width: 220 }}
          />
          <Select
            value={query.status}
            onChange={(v: string | undefined) => update({ status: v })}
            allowClear
            placeholder={t('fields.status')}
            aria-label={t('fields.status')}
            options={ACCOUNT_STATUSES.map((s) => ({ value: s, label: t(`accounts.status.${s}`) }))}
            style={{ width: 130 }}
            data-testid="accounts-status"
          />
          {filtered && (
            <Button
              onClick={() => {
                setText('');
                update({ q: '', role: undefined, unitId: undefined, status: undefined });
              }}
            >
              {t('common.reset')}
            </Button>
          )}
        </div>
        <Table<AccountItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={accounts.isFetching}
          onChange={onTableChange}
          showSorterTooltip={false}
          scroll={{ x: 700 }}
          pagination={{
            current: query.page,
            pageSize: query.limit,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            showTotal: (n) => t('accounts.total', { n: fmt.number(n) }),
            onChange: (page, pageSize) => update({ page: pageSize !== query.limit ? 1 : page, limit: pageSize }),
          }}
          locale={{
            emptyText: accounts.isLoading ? (
              <div style={{ height: 160 }} />
            ) : accounts.isError ? (
              <Empty description={accounts.error.message} />
            ) : (
              <Empty description={filtered ? t('accounts.emptyFiltered') : t('accounts.empty')} />
            ),
          }}
          onRow={() => ({ 'data-testid': 'account-row' }) as React.HTMLAttributes<HTMLElement>}
          data-testid="accounts-table"
        />
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0, marginTop: 8 }}>
          {t('accounts.scopeHint')}
        </Typography.Paragraph>
      </Card>
      {editing && (
        <AccountFormDrawer
          account={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onCreated={(r) => {
            void message.success(t('accounts.done.create', { username: r.account.username }));
            if (r.oneTimePassword) setIssued({ username: r.account.username, password: r.oneTimePassword });
          }}
        />
      )}
      {issued && <OneTimePasswordModal username={issued.username} password={issued.password} onClose={() => setIssued(null)} />}
    </>
  );
}
