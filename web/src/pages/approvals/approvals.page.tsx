import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Input, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/api-client.js';
import { useMe } from '../../api/auth.js';
import { useApiError } from '../../api/use-api-error.js';
import { PageHeader } from '../../components/app-layout.js';
import { useEnumLabel } from '../../components/enum-text.js';
import { useFormat } from '../../i18n/format.js';

export type ChangeRequest = {
  id: string;
  personId: string;
  fullName: string;
  personNo: string;
  unitName: string;
  changes: Record<string, unknown>;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
};

/** The proposed values, one line per field; the request's note and base version are bookkeeping. */
export function ChangeList({ changes }: { changes: Record<string, unknown> }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const entries = Object.entries(changes).filter(([k, v]) => k !== 'note' && k !== 'baseVersion' && v !== undefined);
  return (
    <div style={{ fontSize: 13, lineHeight: 1.7 }}>
      {entries.map(([k, v]) => (
        <div key={k}>
          <Typography.Text type="secondary">{t(`fields.${k}`, { defaultValue: k })}: </Typography.Text>
          {Array.isArray(v)
            ? v.map((x) => (k === 'languages' ? label('language', String(x)) : String(x))).join(', ') || '∅'
            : v === null || v === ''
              ? '∅'
              : String(v)}
        </div>
      ))}
      {typeof changes.note === 'string' && changes.note && (
        <Typography.Text type="secondary" italic>
          “{changes.note}”
        </Typography.Text>
      )}
    </div>
  );
}

export function ApprovalsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const fmt = useFormat(me.timeZone);
  const { message } = App.useApp();
  const onError = useApiError();
  const qc = useQueryClient();
  const [status, setStatus] = useState<'pending' | 'approved' | 'rejected'>('pending');
  const [notes, setNotes] = useState<Record<string, string>>({});
  const q = useQuery({
    queryKey: ['change-requests', status],
    queryFn: () => api.get<{ items: ChangeRequest[] }>('/change-requests', { status }).then((r) => r.items),
  });
  const decide = useMutation({
    mutationFn: ({ id, approve }: { id: string; approve: boolean }) =>
      api.post(`/change-requests/${id}/${approve ? 'approve' : 'reject'}`, notes[id] ? { note: notes[id] } : {}),
    onSuccess: (_r, v) => {
      void message.success(t(v.approve ? 'approvals.approved' : 'approvals.rejected'));
      void qc.invalidateQueries({ queryKey: ['change-requests'] });
      void qc.invalidateQueries({ queryKey: ['people'] });
    },
    onError: (e) => onError(e),
  });

  const columns: TableColumnsType<ChangeRequest> = [
    {
      title: t('audit.person'),
      key: 'person',
      width: 200,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/people/${r.personId}`}>{r.fullName}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.personNo} · {r.unitName}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('approvals.changes'), key: 'changes', render: (_, r) => <ChangeList changes={r.changes} /> },
    { title: t('approvals.submitted'), dataIndex: 'createdAt', key: 'created', width: 170, render: (v: string) => fmt.dateTime(v) },
    ...(status === 'pending'
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 280,
            render: (_: unknown, r: ChangeRequest) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Input
                  size="small"
                  placeholder={t('approvals.notePlaceholder')}
                  value={notes[r.id] ?? ''}
                  onChange={(e) => setNotes((n) => ({ ...n, [r.id]: e.target.value }))}
                  aria-label={t('common.note')}
                  maxLength={500}
                />
                <Space>
                  <Popconfirm
                    title={t('approvals.approveConfirm', { name: r.fullName })}
                    okText={t('approvals.approve')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => decide.mutateAsync({ id: r.id, approve: true })}
                  >
                    <Button type="primary" size="small" icon={<CheckOutlined />} data-testid="approve">
                      {t('approvals.approve')}
                    </Button>
                  </Popconfirm>
                  <Popconfirm
                    title={t('approvals.rejectConfirm', { name: r.fullName })}
                    okText={t('approvals.reject')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() => decide.mutateAsync({ id: r.id, approve: false })}
                  >
                    <Button danger size="small" icon={<CloseOutlined />} data-testid="reject">
                      {t('approvals.reject')}
                    </Button>
                  </Popconfirm>
                </Space>
              </Space>
            ),
          },
        ]
      : [
          {
            title: t('approvals.decided'),
            dataIndex: 'decidedAt',
            key: 'decided',
            width: 170,
            render: (v: string | null) => fmt.dateTime(v),
          },
          {
            title: t('common.note'),
            dataIndex: 'decisionNote',
            key: 'dnote',
            render: (v: string | null, r: ChangeRequest) => (
              <>
                {v ?? ''} <Tag color={r.status === 'approved' ? 'green' : 'red'}>{t(`approvals.status.${r.status}`)}</Tag>
              </>
            ),
          },
        ]),
  ];

  return (
    <>
      <PageHeader
        title={t('nav.approvals')}
        extra={
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as typeof status)}
            options={(['pending', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: t(`approvals.status.${s}`) }))}
          />
        }
      />
      <Card size="small">
        <Table<ChangeRequest>
          rowKey="id"
          columns={columns}
          dataSource={q.data ?? []}
          loading={q.isLoading}
          pagination={false}
          scroll={{ x: 800 }}
          locale={{ emptyText: q.isLoading ? <div style={{ height: 120 }} /> : <Empty description={t(`approvals.empty.${status}`)} /> }}
          data-testid="approvals-table"
        />
      </Card>
    </>
  );
}
