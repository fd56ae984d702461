import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Divider, Drawer, Form, Grid, Input, Row, Select, Space } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { PersonFields, type PersonDetail } from '../../../../src/contracts/person.js';
import {
  ECHELONS,
  EDUCATION_LEVELS,
  GENDERS,
  GRADES,
  LANGUAGES,
  PERSON_STATUSES,
  SPECIALTIES,
  TITLE_LEVELS,
} from '../../../../src/contracts/vocab.js';
import { api } from '../../api/api-client.js';
import { usePositions } from '../../api/queries.js';
import { useApiError } from '../../api/use-api-error.js';
import { DateInput, dateItemProps } from '../../components/date-field.js';
import { useEnumLabel, type Vocabulary } from '../../components/enum-text.js';
import { zodRule } from '../../components/form-rules.js';
import { UnitTreeSelect } from '../../components/unit-tree-select.js';

type Values = {
  personNo: string;
  fullName: string;
  nameLatin?: string | null;
  gender: string;
  birthDate?: string | null;
  nationalId?: string | null;
  unitId: string;
  homeUnitId?: string | null;
  positionId?: string | null;
  postSince?: string | null;
  effectiveDate?: string | null;
  educationLevel?: string | null;
  specialties: string[];
  titleLevel: string;
  titleName?: string | null;
  languages: string[];
  echelon?: string | null;
  grade?: string | null;
  status?: string;
  phone?: string | null;
  email?: string | null;
};

const SHAPE = PersonFields.shape;

/** Create (no person) or edit (with person: sends only changed fields plus the version it was read at). */
export function PersonFormDrawer({
  person,
  open,
  onClose,
  onSaved,
}: {
  person?: PersonDetail;
  open: boolean;
  onClose: () => void;
  onSaved?: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const onError = useApiError();
  const qc = useQueryClient();
  const label = useEnumLabel();
  const positions = usePositions();
  const screens = Grid.useBreakpoint();
  const editing = !!person;

  const initial: Partial<Values> = useMemo(
    () =>
      person
        ? {
            personNo: person.personNo,
            fullName: person.fullName,
            nameLatin: person.nameLatin,
            gender: person.gender,
            birthDate: person.birthDate,
            unitId: person.unitId,
            homeUnitId: person.homeUnitId,
            positionId: person.positionId,
            postSince: person.postSince,
            educationLevel: person.educationLevel,
            specialties: person.specialties,
            titleLevel: person.titleLevel,
            titleName: person.titleName,
            languages: person.languages,
            echelon: person.echelon,
            grade: person.grade,
            phone: person.phone,
            email: person.email,
          }
        : { gender: 'unknown', titleLevel: 'none', specialties: [], languages: [], status: 'active' },
    [person],
  );
  const unitId = Form.useWatch('unitId', form);
  const positionId = Form.useWatch('positionId', form);
  const assignmentChanged = editing && (unitId !== person.unitId || (positionId ?? null) !== person.positionId);

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const clean = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' || x === undefined ? null : x])) as Record<
        string,
        unknown
      >;
      if (!editing) {
        const body = Object.fromEntries(Object.entries(clean).filter(([, x]) => x !== null));
        return api.post<{ id: string; version: number }>('/people', body);
      }
      const changed: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(clean)) {
        if (k === 'effectiveDate' || k === 'nationalId') continue;
        const before = (initial as Record<string, unknown>)[k] ?? null;
        if (JSON.stringify(before) !== JSON.stringify(x)) changed[k] = x;
      }
      if (clean.nationalId) changed.nationalId = clean.nationalId;
      if (assignmentChanged && clean.effectiveDate) changed.effectiveDate = clean.effectiveDate;
      return api.patch<{ id: string; version: number }>(`/people/${person.id}`, { ...changed, version: person.version });
    },
    onSuccess: (r) => {
      void message.success(t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['people'] });
      void qc.invalidateQueries({ queryKey: ['person', r.id] });
      onSaved?.(r.id);
      onClose();
    },
    onError: (e) => onError(e, form),
  });

  const enumSelect = (vocab: Vocabulary, values: readonly string[], multiple = false, allowClear = false) => (
    <Select
      mode={multiple ? 'multiple' : undefined}
      allowClear={allowClear}
      options={values.map((v) => ({ value: v, label: label(vocab, v) }))}
      optionFilterProp="label"
    />
  );
  const rule = (f: keyof typeof SHAPE) => [zodRule(SHAPE[f], f, t)];
  const half = screens.md ? 12 : 24;

  return (
    <Drawer
      open={open}
      onClose={() => (form.isFieldsTouched() ? confirmDiscard(t('common.unsavedChanges'), onClose) : onClose())}
      title={editing ? t('profile.editTitle', { name: person.fullName }) : t('people.create')}
      size={screens.md ? 720 : '100%'}
      destroyOnHidden
      data-testid="person-form"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="person-form-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)} scrollToFirstError name="person">
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item name="personNo" label={t('fields.personNo')} rules={rule('personNo')} required>
              <Input autoFocus maxLength={32} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="fullName" label={t('fields.fullName')} rules={rule('fullName')} required>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="nameLatin" label={t('fields.nameLatin')} rules={rule('nameLatin')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="gender" label={t('fields.gender')}>
              {enumSelect('gender', GENDERS)}
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="birthDate" label={t('fields.birthDate')} {...dateItemProps}>
              <DateInput />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="nationalId"
              label={t('fields.nationalId')}
              rules={rule('nationalId')}
              extra={editing ? t('profile.nationalIdKeep') : undefined}
            >
              <Input autoComplete="off" placeholder={editing ? (person.nationalIdMasked ?? '') : ''} maxLength={18} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          {t('profile.assignment')}
        </Divider>
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item
              name="unitId"
              label={t('fields.unitId')}
              rules={[{ required: true, message: `${t('fields.unitId')}${t('common.wordSeparator')}${t('reasons.required')}` }]}
              required
            >
              <UnitTreeSelect allowClear={false} placeholder="" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="homeUnitId" label={t('fields.homeUnitId')} extra={t('profile.homeUnitHint')}>
              <UnitTreeSelect placeholder="" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="positionId" label={t('fields.positionId')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                loading={positions.isLoading}
                options={(positions.data ?? [])
                  .filter((p) => p.active || p.id === person?.positionId)
                  .map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))}
              />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="postSince" label={t('fields.postSince')} {...dateItemProps}>
              <DateInput />
            </Form.Item>
          </Col>
          {assignmentChanged && (
            <Col span={half}>
              <Form.Item name="effectiveDate" label={t('fields.effectiveDate')} extra={t('profile.effectiveDateHint')} {...dateItemProps}>
                <DateInput />
              </Form.Item>
            </Col>
          )}
          <Col span={half}>
            <Form.Item name="echelon" label={t('fields.echelon')}>
              {enumSelect('echelon', ECHELONS, false, true)}
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="grade" label={t('fields.grade')}>
              {enumSelect('grade', GRADES, false, true)}
            </Form.Item>
          </Col>
          {!editing && (
            <Col span={half}>
              <Form.Item name="status" label={t('fields.status')}>
                {enumSelect('status', PERSON_STATUSES)}
              </Form.Item>
            </Col>
          )}
        </Row>
        <Divider titlePlacement="start" plain>
          {t('profile.qualifications')}
        </Divider>
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item name="educationLevel" label={t('fields.educationLevel')}>
              {enumSelect('educationLevel', EDUCATION_LEVELS, false, true)}
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="titleLevel" label={t('fields.titleLevel')}>
              {enumSelect('titleLevel', TITLE_LEVELS)}
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="titleName" label={t('fields.titleName')} rules={rule('titleName')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="languages" label={t('fields.languages')}>
              {enumSelect('language', LANGUAGES, true)}
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="specialties" label={t('fields.specialties')}>
              {enumSelect('specialty', SPECIALTIES, true)}
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          {t('profile.contact')}
        </Divider>
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item name="phone" label={t('fields.phone')} rules={rule('phone')}>
              <Input type="tel" maxLength={32} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="email" label={t('fields.email')} rules={rule('email')}>
              <Input type="email" maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
        {/* A hidden submit button makes Enter in any field submit the form. */}
        <button type="submit" hidden aria-hidden />
      </Form>
    </Drawer>
  );
}

function confirmDiscard(title: string, onOk: () => void) {
  if (window.confirm(title)) onOk();
}
