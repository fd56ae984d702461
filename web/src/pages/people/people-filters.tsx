import { Button, Checkbox, DatePicker, Divider, Input, InputNumber, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonFacets } from '../../../../src/contracts/person.js';
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
import { useEnumLabel, type Vocabulary } from '../../components/enum-text.js';
import { UnitTreeSelect } from '../../components/unit-tree-select.js';
import { useDraft } from '../../components/use-draft.js';
import { useCertificationTypes } from '../../api/queries.js';
import type { FilterKey, ListFilter, PeopleQuery } from './people-query.js';

type Props = {
  filter: PeopleQuery['filter'];
  facets: PersonFacets | undefined;
  onChange: (patch: Partial<Record<FilterKey, string | string[] | undefined>>) => void;
  onReset: () => void;
};

function Section({ label, children, htmlFor }: { label: string; children: ReactNode; htmlFor?: string }) {
  return (
    <div style={{ marginBottom: 14 }}>
      <Typography.Text strong style={{ display: 'block', marginBottom: 6, fontSize: 13 }}>
        {htmlFor ? <label htmlFor={htmlFor}>{label}</label> : label}
      </Typography.Text>
      {children}
    </div>
  );
}

/** A checkbox list whose options carry the facet count of the current result set. */
function FacetChecks({
  vocab,
  values,
  field,
  selected,
  counts,
  onChange,
}: {
  vocab: Vocabulary;
  values: readonly string[];
  field: ListFilter;
  selected: string[];
  counts: Map<string, number> | undefined;
  onChange: Props['onChange'];
}) {
  const label = useEnumLabel();
  return (
    <Checkbox.Group
      value={selected}
      onChange={(v) => onChange({ [field]: v as string[] })}
      style={{ display: 'flex', flexDirection: 'column', gap: 2 }}
      data-testid={`filter-${field}`}
    >
      {values.map((v) => {
        const n = counts?.get(v);
        return (
          <Checkbox key={v} value={v} style={{ width: '100%' }}>
            <span style={{ display: 'inline-flex', justifyContent: 'space-between', width: '100%', gap: 8 }}>
              <span>{label(vocab, v)}</span>
              {counts && (
                <Typography.Text type="secondary" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {n ?? 0}
                </Typography.Text>
              )}
            </span>
          </Checkbox>
        );
      })}
    </Checkbox.Group>
  );
}

export function PeopleFilters({ filter, facets, onChange, onReset }: Props) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const [q, setQ] = useDraft(filter.q);
  const certTypes = useCertificationTypes();
  const counts = (bucket: keyof PersonFacets) => (facets ? new Map(facets[bucket].map((b) => [b.key, b.count])) : undefined);
  const num = (v: string | undefined) => (v === undefined ? null : Number(v));
  const setNum = (k: FilterKey) => (v: number | null) => onChange({ [k]: v === null ? undefined : String(v) });
  const multi = (vocab: Vocabulary, field: ListFilter, values: readonly string[]) => (
    <Select
      id={`filter-${field}`}
      mode="multiple"
      allowClear
      value={filter[field] ?? []}
      onChange={(v: string[]) => onChange({ [field]: v })}
      options={values.map((v) => ({ value: v, label: label(vocab, v) }))}
      placeholder={t('common.any')}
      style={{ width: '100%' }}
      maxTagCount="responsive"
      data-testid={`filter-${field}`}
    />
  );

  return (
    <div data-testid="people-filters">
      <Section label={t('people.search')} htmlFor="filter-q">
        <Input.Search
          id="filter-q"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => onChange({ q: v.trim() || undefined })}
          placeholder={t('people.searchPlaceholder')}
          allowClear
          data-testid="filter-q"
        />
      </Section>
      <Section label={t('fields.unitId')} htmlFor="filter-unit">
        <UnitTreeSelect
          id="filter-unit"
          value={filter.unitId}
          onChange={(v) => onChange({ unitId: v })}
          style={{ width: '100%' }}
          data-testid="filter-unit"
        />
      </Section>
      <Section label={t('fields.specialties')}>
        <FacetChecks
          vocab="specialty"
          field="specialty"
          values={SPECIALTIES}
          selected={filter.specialty ?? []}
          counts={counts('specialty')}
          onChange={onChange}
        />
      </Section>
      <Section label={t('fields.educationLevel')}>
        <FacetChecks
          vocab="educationLevel"
          field="educationLevel"
          values={EDUCATION_LEVELS}
          selected={filter.educationLevel ?? []}
          counts={counts('educationLevel')}
          onChange={onChange}
        />
      </Section>
      <Section label={t('fields.titleLevel')}>
        <FacetChecks
          vocab="titleLevel"
          field="titleLevel"
          values={TITLE_LEVELS}
          selected={filter.titleLevel ?? []}
          counts={counts('titleLevel')}
          onChange={onChange}
        />
      </Section>
      <Section label={t('fields.echelon')}>
        <FacetChecks
          vocab="echelon"
          field="echelon"
          values={ECHELONS}
          selected={filter.echelon ?? []}
          counts={counts('echelon')}
          onChange={onChange}
        />
      </Section>
      <Section label={t('fields.positionId')} htmlFor="filter-positionId">
        <Select
          id="filter-positionId"
          mode="multiple"
          allowClear
          value={filter.positionId ?? []}
          onChange={(v: string[]) => onChange({ positionId: v })}
          options={(facets?.position ?? []).map((p) => ({ value: p.key, label: `${p.label ?? p.key} (${p.count})` }))}
          placeholder={t('common.any')}
          style={{ width: '100%' }}
          maxTagCount="responsive"
          optionFilterProp="label"
          data-testid="filter-positionId"
        />
      </Section>
      <Section label={t('fields.status')} htmlFor="filter-status">
        {multi('status', 'status', PERSON_STATUSES)}
      </Section>
      <Section label={t('fields.gender')} htmlFor="filter-gender">
        {multi('gender', 'gender', GENDERS)}
      </Section>
      <Section label={t('fields.languages')} htmlFor="filter-language">
        {multi('language', 'language', LANGUAGES)}
      </Section>
      <Section label={t('fields.grade')} htmlFor="filter-grade">
        {multi('grade', 'grade', GRADES)}
      </Section>
      <Section label={t('people.ageRange')}>
        <Space.Compact style={{ width: '100%' }}>
          <InputNumber
            aria-label={t('people.ageMin')}
            min={0}
            max={120}
            value={num(filter.ageMin)}
            onChange={setNum('ageMin')}
            placeholder={t('common.from')}
            style={{ width: '50%' }}
            data-testid="filter-ageMin"
          />
          <InputNumber
            aria-label={t('people.ageMax')}
            min={0}
            max={120}
            value={num(filter.ageMax)}
            onChange={setNum('ageMax')}
            placeholder={t('common.to')}
            style={{ width: '50%' }}
            data-testid="filter-ageMax"
          />
        </Space.Compact>
        {facets && (
          <Space size={[4, 4]} wrap style={{ marginTop: 6 }}>
            {/* Bands in age order (the facet comes largest first), each with its count inside the button. */}
            {AGE_BANDS.map((band) => ({ band, count: facets.ageBand.find((b) => b.key === band)?.count ?? 0 }))
              .filter((b) => b.count > 0)
              .map((b) => (
                <Button key={b.band} size="small" onClick={() => onChange(ageBandFilter(b.band))} data-testid={`age-band-${b.band}`}>
                  {b.band}
                  <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
                    {b.count}
                  </Typography.Text>
                </Button>
              ))}
          </Space>
        )}
      </Section>
      <Section label={t('people.tenureAtLeast')} htmlFor="filter-tenure">
        <InputNumber
          id="filter-tenure"
          min={0}
          max={60}
          step={1}
          value={num(filter.tenureMinYears)}
          onChange={setNum('tenureMinYears')}
          addonAfter={t('people.yearsUnit')}
          style={{ width: '100%' }}
          data-testid="filter-tenureMin"
        />
      </Section>
      <Section label={t('people.certification')} htmlFor="filter-cert">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select
            id="filter-cert"
            showSearch
            allowClear
            value={filter.certCode}
            onChange={(v: string | undefined) => onChange({ certCode: v })}
            options={(certTypes.data ?? []).map((c) => ({ value: c.code, label: c.name, holders: c.holders, code: c.code }))}
            optionRender={(o) => (
              <span style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{o.label}</span>
                <Typography.Text type="secondary" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {o.data.holders}
                </Typography.Text>
              </span>
            )}
            filterOption={(input, o) => `${o?.label ?? ''} ${o?.code ?? ''}`.toLowerCase().includes(input.trim().toLowerCase())}
            loading={certTypes.isLoading}
            notFoundContent={certTypes.isLoading ? undefined : t('common.noData')}
            placeholder={t('people.certCode')}
            style={{ width: '100%' }}
            data-testid="filter-certCode"
          />
          <DatePicker
            aria-label={t('people.certValidOn')}
            value={filter.certValidOn ? dayjs(filter.certValidOn) : null}
            onChange={(d) => onChange({ certValidOn: d ? d.format('YYYY-MM-DD') : undefined })}
            placeholder={t('people.certValidOn')}
            style={{ width: '100%' }}
          />
        </Space>
      </Section>
      <Divider style={{ margin: '8px 0 12px' }} />
      <Button block onClick={onReset} data-testid="filters-reset">
        {t('common.reset')}
      </Button>
    </div>
  );
}

const AGE_BANDS = ['<30', '30-39', '40-49', '50-59', '60+'] as const;

export function ageBandFilter(band: string): { ageMin?: string; ageMax?: string } {
  switch (band) {
    case '<30':
      return { ageMin: undefined, ageMax: '29' };
    case '60+':
      return { ageMin: '60', ageMax: undefined };
    default: {
      const [a, b] = band.split('-');
      return { ageMin: a, ageMax: b };
    }
  }
}
