import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, AutoComplete, Form, Input, Modal, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CertificationInput, EducationInput, type PersonDetail } from '../../../../src/contracts/person.js';
import { EDUCATION_LEVELS, PERSON_STATUSES } from '../../../../src/contracts/vocab.js';
import { api } from '../../api/api-client.js';
import { useCertificationTypes, usePositions } from '../../api/queries.js';
import { useApiError } from '../../api/use-api-error.js';
import { DateInput, dateItemProps } from '../../components/date-field.js';
import { useEnumLabel } from '../../components/enum-text.js';
import { zodRule } from '../../components/form-rules.js';
import { UnitTreeSelect } from '../../components/unit-tree-select.js';

export type ActionKind = 'status' | 'secondment' | 'endSecondment' | 'education' | 'certification';

const today = () => dayjs().format('YYYY-MM-DD');

/**
 * One modal form per profile action. Each sends the version the profile was read at, so a concurrent
 * change surfaces as a version conflict rather than being overwritten.
 */
export function PersonActionModal({ kind, person, onClose }: { kind: ActionKind; person: PersonDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const onError = useApiError();
  const qc = useQueryClient();
  const label = useEnumLabel();
  const positions = usePositions(kind === 'secondment');
  const certTypes = useCertificationTypes(kind === 'certification');

  const config: Record<ActionKind, { title: string; path: string; initial: Record<string, unknown>; versioned: boolean }> = {
    status: {
      title: t('profile.changeStatus'),
      path: 'status',
      initial: { status: person.status, effectiveDate: today() },
      versioned: true,
    },
    secondment: { title: t('profile.startSecondment'), path: 'secondment', initial: { startDate: today() }, versioned: true },
    endSecondment: { title: t('profile.endSecondment'), path: 'secondment/end', initial: { endDate: today() }, versioned: true },
    education: { title: t('profile.addEducation'), path: 'education', initial: {}, versioned: false },
    certification: { title: t('profile.addCertification'), path: 'certifications', initial: {}, versioned: false },
  };
  const c = config[kind];

  const save = useMutation({
    mutationFn: (v: Record<string, unknown>) => {
      const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== null && x !== ''));
      return api.post(`/people/${person.id}/${c.path}`, c.versioned ? { ...body, version: person.version } : body);
    },
    onSuccess: () => {
      void message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['person', person.id] });
      void qc.invalidateQueries({ queryKey: ['people'] });
      if (kind === 'certification') void qc.invalidateQueries({ queryKey: ['certification-types'] });
      onClose();
    },
    onError: (e) => onError(e, form),
  });

  const eduShape = EducationInput.shape;
  const certShape = CertificationInput.shape;

  return (
    <Modal
      open
      title={c.title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
      data-testid={`action-${kind}`}
    >
      <Form form={form} layout="vertical" initialValues={c.initial} onFinish={(v) => save.mutate(v)} name={`action-${kind}`}>
        {kind === 'status' && (
          <>
            <Form.Item name="status" label={t('fields.status')} rules={[{ required: true }]}>
              <Select autoFocus options={PERSON_STATUSES.map((s) => ({ value: s, label: label('status', s) }))} />
            </Form.Item>
            <Form.Item name="effectiveDate" label={t('fields.effectiveDate')} rules={[{ required: true }]} {...dateItemProps}>
              <DateInput />
            </Form.Item>
            <Form.Item name="reason" label={t('fields.reason')}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
        {kind === 'secondment' && (
          <>
            <Form.Item
              name="servingUnitId"
              label={t('profile.servingUnit')}
              rules={[{ required: true, message: `${t('profile.servingUnit')}${t('common.wordSeparator')}${t('reasons.required')}` }]}
            >
              <UnitTreeSelect excludeId={person.unitId} placeholder="" />
            </Form.Item>
            <Form.Item name="positionId" label={t('fields.positionId')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                options={(positions.data ?? []).filter((p) => p.active).map((p) => ({ value: p.id, label: p.name }))}
              />
            </Form.Item>
            <Form.Item name="startDate" label={t('fields.startDate')} rules={[{ required: true }]} {...dateItemProps}>
              <DateInput />
            </Form.Item>
            <Form.Item name="note" label={t('common.note')}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
        {kind === 'endSecondment' && (
          <Form.Item
            name="endDate"
            label={t('fields.endDate')}
            rules={[{ required: true }]}
            extra={t('profile.endSecondmentHint', { unit: person.homeUnitName })}
            {...dateItemProps}
          >
            <DateInput autoFocus />
          </Form.Item>
        )}
        {kind === 'education' && (
          <>
            <Form.Item
              name="level"
              label={t('fields.level')}
              rules={[{ required: true, message: `${t('fields.level')}${t('common.wordSeparator')}${t('reasons.required')}` }]}
            >
              <Select autoFocus options={EDUCATION_LEVELS.map((s) => ({ value: s, label: label('educationLevel', s) }))} />
            </Form.Item>
            <Form.Item
              name="institution"
              label={t('fields.institution')}
              rules={[zodRule(eduShape.institution, 'institution', t)]}
              required
            >
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="major" label={t('fields.major')} rules={[zodRule(eduShape.major, 'major', t)]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="graduatedOn" label={t('fields.graduatedOn')} {...dateItemProps}>
              <DateInput />
            </Form.Item>
          </>
        )}
        {kind === 'certification' && (
          <>
            {/* A type already in use keeps codes consistent; picking one fills in its usual name. A new code is allowed. */}
            <Form.Item name="code" label={t('fields.code')} rules={[zodRule(certShape.code, 'code', t)]} required>
              <AutoComplete
                autoFocus
                maxLength={64}
                options={(certTypes.data ?? []).map((ct) => ({ value: ct.code, label: `${ct.name} (${ct.code})` }))}
                filterOption={(input, o) =>
                  String(o?.label ?? '')
                    .toLowerCase()
                    .includes(input.trim().toLowerCase())
                }
                onSelect={(code: string) => {
                  const known = certTypes.data?.find((ct) => ct.code === code);
                  if (known && !form.getFieldValue('name')) form.setFieldValue('name', known.name);
                }}
              />
            </Form.Item>
            <Form.Item name="name" label={t('fields.name')} rules={[zodRule(certShape.name, 'name', t)]} required>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              name="issuedOn"
              label={t('fields.issuedOn')}
              rules={[zodRule(certShape.issuedOn, 'issuedOn', t)]}
              required
              {...dateItemProps}
            >
              <DateInput />
            </Form.Item>
            <Form.Item
              name="expiresOn"
              label={t('fields.expiresOn')}
              dependencies={['issuedOn']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_r, v: string | null) => {
                    const issued = getFieldValue('issuedOn') as string | null;
                    if (v && issued && v < issued)
                      throw new Error(`${t('fields.expiresOn')}${t('common.wordSeparator')}${t('reasons.date_order')}`);
                  },
                }),
              ]}
              {...dateItemProps}
            >
              <DateInput />
            </Form.Item>
          </>
        )}
        <button type="submit" hidden aria-hidden />
      </Form>
    </Modal>
  );
}
