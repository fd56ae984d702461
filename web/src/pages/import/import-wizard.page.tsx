import { CheckCircleOutlined, CloudUploadOutlined, DownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Popconfirm,
  Progress,
  Result,
  Row,
  Space,
  Spin,
  Statistic,
  Steps,
  Table,
  Typography,
  Upload as AntUpload,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ImportRowError } from '../../../../src/contracts/import.js';
import { apiUrl } from '../../api/api-client.js';
import { useApiError } from '../../api/use-api-error.js';
import { PageHeader } from '../../components/app-layout.js';
import { useFormat } from '../../i18n/format.js';
import { jobErrorText, jobPercent } from '../jobs/jobs.page.js';
import { startRun, uploadFile, useJob, type Mapping, type Report, type Upload } from './import-api.js';
import { MappingStep, missingRequired } from './mapping-step.js';

type Step = 0 | 1 | 2 | 3;

function Summary({ report }: { report: Report }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const items: [string, number, string?][] = [
    ['import.rows', report.rows],
    ['import.validRows', report.validRows, '#389e0d'],
    ['import.errorRows', report.errorRows, report.errorRows ? '#cf1322' : undefined],
    ['import.toCreate', report.toCreate],
    ['import.toUpdate', report.toUpdate],
    ['import.unchanged', report.unchanged],
  ];
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      {report.sheet && (
        <Typography.Text type="secondary" data-testid="import-report-sheet">
          {t('import.sheetRead', { name: report.sheet })}
        </Typography.Text>
      )}
      <Row gutter={[16, 16]} data-testid="import-summary">
        {items.map(([k, v, color]) => (
          <Col key={k} xs={12} sm={8} lg={4}>
            <Card size="small">
              <Statistic title={t(k)} value={v} formatter={(x) => fmt.number(Number(x))} valueStyle={color ? { color } : undefined} />
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}

function JobProgress({ jobId, label }: { jobId: string; label: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const job = useJob(jobId);
  const j = job.data;
  return (
    <Card size="small" data-testid="import-progress">
      <Typography.Text>{label}</Typography.Text>
      <Progress percent={j ? jobPercent(j) : 0} status={j?.status === 'failed' ? 'exception' : 'active'} />
      {j && j.total > 0 && (
        <Typography.Text type="secondary">
          {t('import.rowsProcessed', { done: fmt.number(j.progress), total: fmt.number(j.total) })}
        </Typography.Text>
      )}
    </Card>
  );
}

export function ImportWizardPage() {
  const { t } = useTranslation();
  const onError = useApiError();
  const qc = useQueryClient();
  const [step, setStep] = useState<Step>(0);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [dryJobId, setDryJobId] = useState<string | null>(null);
  const [commitJobId, setCommitJobId] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const dryJob = useJob(dryJobId);
  const commitJob = useJob(commitJobId);

  const doUpload = useMutation({
    mutationFn: uploadFile,
    onSuccess: (u) => {
      setUpload(u);
      setMapping(u.suggestedMapping);
      setUploadError(null);
      setStep(1);
    },
    onError: (e) => {
      setUploadError(e instanceof Error ? e.message : String(e));
      onError(e);
    },
  });
  const dryRun = useMutation({
    mutationFn: () => startRun(upload!.uploadId, 'dry-run', mapping, upload!.sheet),
    onSuccess: (r) => {
      setDryJobId(r.jobId);
      setStep(2);
    },
    onError: (e) => onError(e),
  });
  const commit = useMutation({
    mutationFn: () => startRun(upload!.uploadId, 'commit', mapping, upload!.sheet),
    onSuccess: (r) => {
      setCommitJobId(r.jobId);
      setStep(3);
    },
    onError: (e) => onError(e),
  });

  const restart = () => {
    setStep(0);
    setUpload(null);
    setMapping({});
    setDryJobId(null);
    setCommitJobId(null);
  };

  const dry = dryJob.data;
  const dryReport = dry?.status === 'succeeded' ? dry.result : null;
  const committed = commitJob.data;
  const committedOk = committed?.status === 'succeeded';
  useEffect(() => {
    // New and changed people must show up in lists and the dashboard.
    if (committedOk)
      void qc.invalidateQueries({ predicate: (q) => ['people', 'dashboard', 'units', 'jobs'].includes(String(q.queryKey[0])) });
  }, [committedOk, qc]);

  const errorColumns: TableColumnsType<ImportRowError> = [
    { title: t('import.row'), dataIndex: 'row', key: 'row', width: 80, sorter: (a, b) => a.row - b.row },
    { title: t('import.column'), dataIndex: 'column', key: 'column', width: 160 },
    {
      title: t('import.value'),
      dataIndex: 'value',
      key: 'value',
      width: 180,
      ellipsis: true,
      render: (v: string) => v || <Typography.Text type="secondary">∅</Typography.Text>,
    },
    { title: t('import.problem'), dataIndex: 'message', key: 'message' },
  ];

  return (
    <>
      <PageHeader
        title={t('nav.import')}
        extra={
          step > 0 && (
            <Button icon={<ReloadOutlined />} onClick={restart}>
              {t('import.startOver')}
            </Button>
          )
        }
      />
      <Card>
        <Steps
          current={step}
          style={{ marginBottom: 24 }}
          responsive
          items={[
            { title: t('import.steps.upload') },
            { title: t('import.steps.mapping') },
            { title: t('import.steps.dryRun') },
            { title: t('import.steps.commit') },
          ]}
          data-testid="import-steps"
        />

        {step === 0 && (
          <Space direction="vertical" style={{ width: '100%' }} size={16}>
            <Spin spinning={doUpload.isPending} tip={t('import.reading')}>
              <AntUpload.Dragger
                accept=".xlsx,.csv"
                multiple={false}
                showUploadList={false}
                customRequest={({ file }) => doUpload.mutate(file as File)}
                data-testid="import-dropzone"
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('import.dropHere')}</p>
                <p className="ant-upload-hint">{t('import.dropHint')}</p>
              </AntUpload.Dragger>
            </Spin>
            {uploadError && <Alert type="error" showIcon title={uploadError} />}
          </Space>
        )}

        {step === 1 && upload && (
          <Space direction="vertical" style={{ width: '100%' }} size={16}>
            <MappingStep
              upload={upload}
              mapping={mapping}
              onChange={setMapping}
              onSheetRead={(u, m) => {
                setUpload(u);
                setMapping(m);
              }}
            />
            <Space style={{ justifyContent: 'flex-end', width: '100%' }}>
              <Button onClick={restart}>{t('common.previous')}</Button>
              <Button
                type="primary"
                disabled={missingRequired(mapping).length > 0}
                loading={dryRun.isPending}
                onClick={() => dryRun.mutate()}
                data-testid="start-dry-run"
              >
                {t('import.runDryRun')}
              </Button>
            </Space>
          </Space>
        )}

        {step === 2 && dryJobId && (
          <Space direction="vertical" style={{ width: '100%' }} size={16}>
            {!dry || dry.status === 'queued' || dry.status === 'running' ? (
              <JobProgress jobId={dryJobId} label={t('import.checking')} />
            ) : dry.status === 'failed' ? (
              <Alert type="error" showIcon title={t('import.jobFailed')} description={jobErrorText(dry.error)} />
            ) : dryReport ? (
              <>
                <Summary report={dryReport} />
                {dryReport.errorRows > 0 ? (
                  <Alert
                    type="error"
                    showIcon
                    title={t('import.hasErrors', { count: dryReport.errorRows })}
                    description={t('import.hasErrorsHint')}
                  />
                ) : (
                  <Alert type="success" showIcon title={t('import.noErrors')} />
                )}
                {dryReport.errors.length > 0 && (
                  <Table<ImportRowError>
                    rowKey={(e) => `${e.row}-${e.column}-${e.reason}`}
                    size="small"
                    columns={errorColumns}
                    dataSource={dryReport.errors}
                    pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
                    scroll={{ x: 640 }}
                    data-testid="import-errors"
                  />
                )}
              </>
            ) : (
              <Empty />
            )}
            <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
              <Button onClick={() => setStep(1)}>{t('import.backToMapping')}</Button>
              <Space wrap>
                {dryReport && (
                  <Button
                    icon={<DownloadOutlined />}
                    href={apiUrl(`/imports/${upload!.uploadId}/report`, { jobId: dryJobId })}
                    data-testid="download-report"
                  >
                    {t('import.downloadReport')}
                  </Button>
                )}
                <Popconfirm
                  title={t('import.commitConfirm', { create: dryReport?.toCreate ?? 0, update: dryReport?.toUpdate ?? 0 })}
                  okText={t('import.commit')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => commit.mutateAsync()}
                  disabled={!dryReport || dryReport.errorRows > 0}
                >
                  <Button
                    type="primary"
                    icon={<CloudUploadOutlined />}
                    disabled={!dryReport || dryReport.errorRows > 0}
                    loading={commit.isPending}
                    data-testid="start-commit"
                  >
                    {t('import.commit')}
                  </Button>
                </Popconfirm>
              </Space>
            </Space>
          </Space>
        )}

        {step === 3 && commitJobId && (
          <Space direction="vertical" style={{ width: '100%' }} size={16}>
            {!committed || committed.status === 'queued' || committed.status === 'running' ? (
              <JobProgress jobId={commitJobId} label={t('import.importing')} />
            ) : committed.status === 'failed' ? (
              <Alert type="error" showIcon title={t('import.jobFailed')} description={jobErrorText(committed.error)} />
            ) : (
              <>
                <Result
                  status="success"
                  icon={<CheckCircleOutlined />}
                  title={t('import.done')}
                  subTitle={
                    committed.result
                      ? t('import.doneSummary', { create: committed.result.toCreate, update: committed.result.toUpdate })
                      : undefined
                  }
                  extra={[
                    <Link key="people" to="/people">
                      <Button type="primary">{t('nav.people')}</Button>
                    </Link>,
                    <Button key="again" onClick={restart}>
                      {t('import.importAnother')}
                    </Button>,
                  ]}
                  data-testid="import-done"
                />
                {committed.result && <Summary report={committed.result} />}
              </>
            )}
          </Space>
        )}
      </Card>
    </>
  );
}
