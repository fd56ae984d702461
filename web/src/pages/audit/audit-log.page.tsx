import { Card, Col, DatePicker, Form, Row, Select, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { QueryParams } from '../../api/api-client.js';
import { PageHeader } from '../../components/app-layout.js';
import { PersonSearchSelect } from '../../components/person-search-select.js';
import { UnitTreeSelect } from '../../components/unit-tree-select.js';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../../../../src/contracts/vocab.js';
import { AuditTable } from './audit-shared.js';

export function AuditLogPage() {
  const { t } = useTranslation();
  const [sp, setSp] = useSearchParams();
  const get = (k: string) => sp.get(k) ?? undefined;
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setSp(next);
  };
  const filter: QueryParams = {
    personId: get('personId'),
    actorUserId: get('actorUserId'),
    unitId: get('unitId'),
    entity: get('entity'),
    action: get('action'),
    from: get('from'),
    to: get('to'),
  };
  const from = get('from');
  const to = get('to');

  return (
    <>
      <PageHeader title={t('nav.audit')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="vertical" component="div">
          <Row gutter={12}>
            <Col xs={24} md={12} xl={6}>
              <Form.Item label={t('audit.filterPerson')} htmlFor="audit-person" style={{ marginBottom: 8 }}>
                <PersonSearchSelect
                  id="audit-person"
                  value={get('personId')}
                  onChange={(v) => set({ personId: v })}
                  placeholder={t('audit.personSearch')}
                  notFoundContent={null}
                  style={{ width: '100%' }}
                  data-testid="audit-filter-person"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item label={t('fields.unitId')} htmlFor="audit-unit" style={{ marginBottom: 8 }}>
                <UnitTreeSelect id="audit-unit" value={get('unitId')} onChange={(v) => set({ unitId: v })} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={3}>
              <Form.Item label={t('audit.entity')} htmlFor="audit-entity" style={{ marginBottom: 8 }}>
                <Select
                  id="audit-entity"
                  allowClear
                  value={get('entity')}
                  onChange={(v: string | undefined) => set({ entity: v })}
                  placeholder={t('common.any')}
                  options={AUDIT_ENTITIES.map((e) => ({ value: e, label: t(`audit.entities.${e}`) }))}
                  data-testid="audit-filter-entity"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={3}>
              <Form.Item label={t('audit.action')} htmlFor="audit-action" style={{ marginBottom: 8 }}>
                <Select
                  id="audit-action"
                  allowClear
                  value={get('action')}
                  onChange={(v: string | undefined) => set({ action: v })}
                  placeholder={t('common.any')}
                  options={AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))}
                  data-testid="audit-filter-action"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item label={t('audit.dateRange')} style={{ marginBottom: 8 }}>
                <DatePicker.RangePicker
                  value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
                  onChange={(r) => set({ from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') })}
                  allowEmpty={[true, true]}
                  style={{ width: '100%' }}
                />
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
          {get('actorUserId') ? (
            <Tag closable onClose={() => set({ actorUserId: undefined, actorName: undefined })} color="blue" data-testid="audit-actor-tag">
              {t('audit.filterActor')}: {get('actorName') ?? get('actorUserId')}
            </Tag>
          ) : (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('audit.actorHint')}
            </Typography.Text>
          )}
        </div>
      </Card>
      <Card size="small">
        <AuditTable filter={filter} onActor={(id, name) => set({ actorUserId: id, actorName: name })} />
      </Card>
    </>
  );
}
