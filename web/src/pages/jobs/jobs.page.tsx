import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Progress, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/api-client.js';
import { useMe } from '../../api/auth.js';
import { PageHeader } from '../../components/app-layout.js';
import { useFormat } from '../../i18n/format.js';

export type Job = {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  total: number;
  createdAt: string;
  finishedAt: string | null;
  error: unknown;
  result: unknown;
};

export const JOB_STATUS_COLORS: Record<string, string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

export function jobPercent(j: Pick<Job, 'progress' | 'total' | 'status'>): number {
  if (j.status === 'succeeded') return 100;
  return j.total > 0 ? Math.min(99, Math.floor((j.progress / j.total) * 100)) : 0;
}

/** A job's error is stored as JSON; show its message, whatever its shape. */
export function jobErrorText(e: unknown): string | null {
  if (!e) return null;
  if (typeof e === 'string') return e;
  const o = e as { message?: string; error?: { message?: string } };
  return o.message ?? o.error?.message ?? JSON.stringify(e);
}

export function JobsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const fmt = useFormat(me.timeZone);
  const q = useQuery({
    queryKey: ['jobs'],
    queryFn: () => api.get<{ items: Job[] }>('/jobs').then((r) => r.items),
    // Poll only while something is still moving.
    refetchInterval: (query) => (query.state.data?.some((j) => j.status === 'queued' || j.status === 'running') ? 2000 : false),
  });
  const columns: TableColumnsType<Job> = [
    {
      title: t('jobs.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (k: string) => t(`jobs.kinds.${k.replace('.', '_')}`, { defaultValue: k }),
    },
    {
      title: t('fields.status'),
      dataIndex: 'status',
      key: 'status',
      width: 120,
      render: (s: string) => <Tag color={JOB_STATUS_COLORS[s]}>{t(`jobs.status.${s}`)}</Tag>,
    },
    {
      title: t('jobs.progress'),
      key: 'progress',
      width: 220,
      render: (_, j) => (
        <>
          <Progress
            percent={jobPercent(j)}
            size="small"
            status={j.status === 'failed' ? 'exception' : j.status === 'running' ? 'active' : undefined}
          />
          {j.total > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {fmt.number(j.progress)} / {fmt.number(j.total)}
            </Typography.Text>
          )}
        </>
      ),
    },
    { title: t('common.createdAt'), dataIndex: 'createdAt', key: 'created', width: 180, render: (v: string) => fmt.dateTime(v) },
    { title: t('jobs.finishedAt'), dataIndex: 'finishedAt', key: 'finished', width: 180, render: (v: string | null) => fmt.dateTime(v) },
    {
      title: t('jobs.error'),
      dataIndex: 'error',
      key: 'error',
      render: (e: unknown) => (jobErrorText(e) ? <Typography.Text type="danger">{jobErrorText(e)}</Typography.Text> : ''),
    },
  ];
  return (
    <>
      <PageHeader title={t('nav.jobs')} />
      {q.isError && <Alert type="error" showIcon title={q.error.message} style={{ marginBottom: 16 }} />}
      <Card size="small">
        <Table<Job>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={q.data ?? []}
          loading={q.isLoading}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: q.isLoading ? <div style={{ height: 120 }} /> : <Empty description={t('jobs.empty')} /> }}
          data-testid="jobs-table"
        />
      </Card>
    </>
  );
}
