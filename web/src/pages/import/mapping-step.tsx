import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IMPORT_FIELDS, type ImportFieldKey } from '../../../../src/contracts/import.js';
import { api } from '../../api/api-client.js';
import { useApiError } from '../../api/use-api-error.js';
import { useFormat } from '../../i18n/format.js';
import { readSheet, useSavedMappings, type Mapping, type Upload } from './import-api.js';

type Row = { header: string; index: number; samples: string[] };

export function missingRequired(mapping: Mapping): ImportFieldKey[] {
  const mapped = new Set(Object.values(mapping));
  return IMPORT_FIELDS.filter((f) => f.required && !mapped.has(f.key)).map((f) => f.key);
}

/** Only headers present in this sheet can be mapped; the rest of a saved mapping is ignored. */
const mappingFor = (upload: Upload, saved: Mapping): Mapping =>
  Object.fromEntries(Object.entries(saved).filter(([h]) => upload.headers.includes(h)));

export function MappingStep({
  upload,
  mapping,
  onChange,
  onSheetRead,
}: {
  upload: Upload;
  mapping: Mapping;
  onChange: (m: Mapping) => void;
  /** Another worksheet was read: its summary, and the mapping to start from (the loaded saved one, else the guess). */
  onSheetRead: (u: Upload, m: Mapping) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { message } = App.useApp();
  const onError = useApiError();
  const qc = useQueryClient();
  const saved = useSavedMappings();
  const [saveOpen, setSaveOpen] = useState(false);
  const [loadedId, setLoadedId] = useState<string | undefined>();
  const [form] = Form.useForm<{ name: string }>();
  const used = new Map(Object.entries(mapping).map(([h, f]) => [f, h]));
  const missing = missingRequired(mapping);

  const saveMapping = useMutation({
    mutationFn: (name: string) => api.post('/import-mappings', { name, mapping }),
    onSuccess: () => {
      void message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['import-mappings'] });
      setSaveOpen(false);
    },
    onError: (e) => onError(e, form),
  });
  const deleteMapping = useMutation({
    mutationFn: (id: string) => api.delete(`/import-mappings/${id}`),
    onSuccess: () => {
      setLoadedId(undefined);
      void qc.invalidateQueries({ queryKey: ['import-mappings'] });
    },
    onError: (e) => onError(e),
  });

  const load = (id: string | undefined) => {
    setLoadedId(id);
    const m = saved.data?.find((s) => s.id === id);
    if (m) onChange(mappingFor(upload, m.mapping));
  };
  const chooseSheet = useMutation({
    mutationFn: (sheet: string) => readSheet(upload.uploadId, sheet),
    onSuccess: (u) => {
      const loaded = saved.data?.find((s) => s.id === loadedId);
      onSheetRead(u, loaded ? mappingFor(u, loaded.mapping) : u.suggestedMapping);
    },
    onError: (e) => onError(e),
  });

  const rows: Row[] = upload.headers.map((header, index) => ({
    header,
    index,
    samples: upload.sampleRows
      .map((r) => r[index] ?? '')
      .filter(Boolean)
      .slice(0, 3),
  }));
  const columns: TableColumnsType<Row> = [
    {
      title: t('import.fileColumn'),
      dataIndex: 'header',
      key: 'header',
      width: 200,
      render: (h: string) => <Typography.Text strong>{h}</Typography.Text>,
    },
    {
      title: t('import.samples'),
      key: 'samples',
      render: (_, r) =>
        r.samples.length ? (
          <Space size={[4, 4]} wrap>
            {r.samples.map((s, i) => (
              <Tag key={i} style={{ maxWidth: 180, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                {s}
              </Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('import.field'),
      key: 'field',
      width: 260,
      render: (_, r) => (
        <Select<ImportFieldKey>
          aria-label={t('import.fieldFor', { header: r.header })}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('import.ignoreColumn')}
          value={mapping[r.header]}
          style={{ width: '100%' }}
          onChange={(v) => {
            const next = { ...mapping };
            if (v) next[r.header] = v;
            else delete next[r.header];
            onChange(next);
          }}
          options={IMPORT_FIELDS.map((f) => ({
            value: f.key,
            label: `${t(`fields.${f.key}`)}${f.required ? ' *' : ''}`,
            // One column per field: a field already taken by another column is disabled.
            disabled: used.has(f.key) && used.get(f.key) !== r.header,
          }))}
          data-testid="mapping-select"
        />
      ),
    },
  ];

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text>
          {t('import.fileSummary', { name: upload.fileName, rows: upload.rowCount, columns: upload.headers.length })}
          {upload.encoding && <Tag style={{ marginInlineStart: 8 }}>{upload.encoding}</Tag>}
        </Typography.Text>
      </Space>
      {upload.sheets.length > 1 && (
        <Space wrap align="center">
          <Typography.Text strong id="import-sheet-label">
            {t('import.sheet')}
          </Typography.Text>
          <Select
            value={upload.sheet ?? undefined}
            onChange={(sheet: string) => chooseSheet.mutate(sheet)}
            loading={chooseSheet.isPending}
            disabled={chooseSheet.isPending}
            options={upload.sheets.map((s) => ({
              value: s.name,
              label: t('import.sheetOption', { name: s.name, rows: fmt.number(s.rowCount) }),
            }))}
            style={{ minWidth: 240 }}
            aria-labelledby="import-sheet-label"
            data-testid="import-sheet"
          />
          <Typography.Text type="secondary">{t('import.sheetHint')}</Typography.Text>
        </Space>
      )}
      <Space wrap>
        <Select
          allowClear
          placeholder={t('import.loadMapping')}
          value={loadedId}
          onChange={load}
          loading={saved.isLoading}
          options={(saved.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          style={{ minWidth: 240 }}
          aria-label={t('import.loadMapping')}
          notFoundContent={t('import.noSavedMappings')}
          data-testid="load-mapping"
        />
        {loadedId && (
          <Popconfirm
            title={t('import.deleteMappingConfirm')}
            okText={t('common.delete')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() => deleteMapping.mutateAsync(loadedId)}
          >
            <Button icon={<DeleteOutlined />} danger aria-label={t('common.delete')} />
          </Popconfirm>
        )}
        <Button
          icon={<SaveOutlined />}
          onClick={() => setSaveOpen(true)}
          disabled={!Object.keys(mapping).length}
          data-testid="save-mapping"
        >
          {t('import.saveMapping')}
        </Button>
      </Space>
      {missing.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('import.missingRequired', { fields: missing.map((k) => t(`fields.${k}`)).join(t('import.listSeparator')) })}
          data-testid="mapping-missing"
        />
      ) : (
        <Alert type="success" showIcon title={t('import.mappingComplete')} />
      )}
      <Table<Row>
        rowKey="index"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 640 }}
        data-testid="mapping-table"
      />
      <Modal
        open={saveOpen}
        title={t('import.saveMapping')}
        onCancel={() => setSaveOpen(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saveMapping.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" name="save-mapping" onFinish={(v) => saveMapping.mutate(v.name)}>
          <Form.Item
            name="name"
            label={t('fields.name')}
            rules={[
              { required: true, whitespace: true, message: `${t('fields.name')}${t('common.wordSeparator')}${t('reasons.required')}` },
            ]}
          >
            <Input autoFocus maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
