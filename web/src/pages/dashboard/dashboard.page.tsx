import { AlertOutlined, SafetyCertificateOutlined, SwapOutlined, TeamOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, InputNumber, Row, Skeleton, Space, Statistic, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { DashboardResponse } from '../../../../src/contracts/dashboard.js';
import type { PersonFilter } from '../../../../src/contracts/person.js';
import { api } from '../../api/api-client.js';
import { useMe } from '../../api/auth.js';
import { PageHeader } from '../../components/app-layout.js';
import { EChart, type ChartClick, type EChartsOption } from '../../components/echart.js';
import { useEnumLabel, type Vocabulary } from '../../components/enum-text.js';
import { UnitTreeSelect } from '../../components/unit-tree-select.js';
import { useFormat } from '../../i18n/format.js';
import { ageBandFilter } from '../people/people-filters.js';
import { peopleLink } from '../people/people-query.js';

/** The dashboard counts serving staff only; drill-downs carry the same statuses so the list total matches. */
const SERVING = ['active', 'seconded', 'on_leave', 'suspended'];
const PALETTE = [
  '#1f5f99',
  '#3a8fd1',
  '#5cb85c',
  '#f0ad4e',
  '#8e6cc0',
  '#d9534f',
  '#20a39e',
  '#b5835a',
  '#6c7a89',
  '#e377c2',
  '#17becf',
  '#bcbd22',
];
const TENURE_RANGES: Record<string, { tenureMinYears?: number; tenureMaxYears?: number }> = {
  '0-1': { tenureMinYears: 0, tenureMaxYears: 1 },
  '1-3': { tenureMinYears: 1, tenureMaxYears: 3 },
  '3-5': { tenureMinYears: 3, tenureMaxYears: 5 },
  '5-10': { tenureMinYears: 5, tenureMaxYears: 10 },
  '10+': { tenureMinYears: 10 },
};

function ChartCard({ title, children, testId, hint }: { title: string; children: ReactNode; testId: string; hint?: string }) {
  return (
    <Card
      title={title}
      size="small"
      data-testid={testId}
      extra={
        hint ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {hint}
          </Typography.Text>
        ) : undefined
      }
      styles={{ body: { padding: 8 } }}
    >
      {children}
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const label = useEnumLabel();
  const fmt = useFormat();
  const [sp, setSp] = useSearchParams();
  const unitId = sp.get('unitId') ?? undefined;
  const [rotationYears, setRotationYears] = useState<number>(me.rotationYears);

  const q = useQuery({
    queryKey: ['dashboard', unitId ?? '', rotationYears],
    queryFn: () => api.get<DashboardResponse>('/dashboard', { unitId, rotationYears }),
    placeholderData: keepPreviousData,
  });
  const d = q.data;
  const base = { unitId, status: SERVING };
  const go = (extra: Partial<Record<keyof PersonFilter, string | number | string[] | undefined>>): void =>
    void navigate(peopleLink({ ...base, ...extra }));
  const hint = t('dashboard.clickHint');

  const charts = useMemo(() => {
    if (!d) return null;
    const bands = d.ageByGender.filter((b) => b.band !== 'unknown');
    const abs = (v: number) => fmt.number(Math.abs(v));
    // Symmetric axis with head-room, so bar labels never collide with the band names.
    const peak = Math.max(1, ...bands.map((b) => Math.max(b.male, b.female)));
    const edge = Math.ceil((peak * 1.2) / 100) * 100;
    const pyramid: EChartsOption = {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => abs(Number(v)) },
      legend: { data: [label('gender', 'male'), label('gender', 'female')], top: 0 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: -edge, max: edge, interval: edge / 2, axisLabel: { formatter: (v: number) => abs(v) } },
      yAxis: { type: 'category', data: bands.map((b) => b.band), axisTick: { show: false } },
      series: [
        {
          name: label('gender', 'male'),
          type: 'bar',
          stack: 'age',
          data: bands.map((b) => ({ value: -b.male, key: b.band })),
          itemStyle: { color: '#3a8fd1' },
          label: { show: true, position: 'left', formatter: (p: { value: number }) => abs(p.value) },
        },
        {
          name: label('gender', 'female'),
          type: 'bar',
          stack: 'age',
          data: bands.map((b) => ({ value: b.female, key: b.band })),
          itemStyle: { color: '#e377c2' },
          label: { show: true, position: 'right', formatter: (p: { value: number }) => abs(p.value) },
        },
      ],
    };
    const bar = (vocab: Vocabulary, buckets: { key: string; count: number }[], horizontal = false): EChartsOption => {
      const names = buckets.map((b) =>
        b.key === 'unknown' || (b.key === 'none' && vocab === 'echelon') ? t('common.unknown') : label(vocab, b.key),
      );
      const data = buckets.map((b, i) => ({ value: b.count, key: b.key, itemStyle: { color: PALETTE[i % PALETTE.length] } }));
      const cat = {
        type: 'category',
        data: names,
        axisTick: { show: false },
        axisLabel: { interval: 0, ...(horizontal ? {} : { rotate: names.length > 5 ? 30 : 0 }) },
      };
      const val = { type: 'value' };
      return {
        tooltip: { trigger: 'item' },
        grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
        xAxis: horizontal ? val : cat,
        yAxis: horizontal ? { ...cat, inverse: true } : val,
        series: [{ type: 'bar', data, barMaxWidth: 36, label: { show: true, position: horizontal ? 'right' : 'top' } }],
      };
    };
    const pie = (vocab: Vocabulary, buckets: { key: string; count: number }[]): EChartsOption => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          radius: ['42%', '68%'],
          center: ['50%', '45%'],
          itemStyle: { borderColor: '#fff', borderWidth: 2 },
          label: { formatter: '{b}\n{c}' },
          data: buckets.map((b, i) => ({
            name: b.key === 'none' && vocab === 'echelon' ? t('dashboard.noEchelon') : label(vocab, b.key),
            value: b.count,
            key: b.key,
            itemStyle: { color: PALETTE[i % PALETTE.length] },
          })),
        },
      ],
    });
    const tenure: EChartsOption = bar('status', []);
    const tenureBuckets = d.tenure.filter((b) => b.key !== 'unknown');
    Object.assign(tenure, {
      xAxis: { type: 'category', data: tenureBuckets.map((b) => t(`dashboard.tenureBand.${b.key}`)), axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          data: tenureBuckets.map((b) => ({
            value: b.count,
            key: b.key,
            itemStyle: { color: b.key === '5-10' || b.key === '10+' ? '#f0ad4e' : '#1f5f99' },
          })),
          barMaxWidth: 48,
          label: { show: true, position: 'top' },
        },
      ],
    });
    return {
      pyramid,
      education: bar('educationLevel', d.educationLevel),
      specialty: bar('specialty', d.specialty, true),
      title: pie('titleLevel', d.titleLevel),
      echelon: pie('echelon', d.echelon),
      tenure,
    };
  }, [d, label, t, fmt]);

  const keyOf = (p: ChartClick) => (p.data as { key?: string } | null)?.key;
  const onBucket = (field: 'educationLevel' | 'specialty' | 'titleLevel' | 'echelon') => (p: ChartClick) => {
    const key = keyOf(p);
    // "Unknown" and "no echelon" have no filter that selects exactly them.
    if (!key || key === 'unknown' || (field === 'echelon' && key === 'none')) return;
    go({ [field as keyof PersonFilter]: [key] });
  };

  return (
    <>
      <PageHeader
        title={t('nav.dashboard')}
        extra={
          <UnitTreeSelect
            value={unitId}
            onChange={(v) => setSp(v ? { unitId: v } : {})}
            style={{ width: 280 }}
            data-testid="dashboard-unit"
            aria-label={t('fields.unitId')}
          />
        }
      />
      {q.isError && <Alert type="error" showIcon title={q.error.message} style={{ marginBottom: 16 }} />}
      {!d ? (
        <Row gutter={[16, 16]}>
          {[0, 1, 2, 3].map((i) => (
            <Col key={i} xs={24} md={12}>
              <Card>
                <Skeleton active paragraph={{ rows: 5 }} />
              </Card>
            </Col>
          ))}
        </Row>
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={8}>
              <Card hoverable onClick={() => go({})} data-testid="card-total" style={{ height: '100%' }}>
                <Statistic
                  title={t('dashboard.total')}
                  value={d.total}
                  formatter={(v) => fmt.number(Number(v))}
                  prefix={<TeamOutlined />}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('dashboard.totalHint')}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={24} sm={8}>
              <Card
                hoverable
                onClick={() => go({ tenureMinYears: d.rotationDue.years })}
                data-testid="card-rotation"
                style={{ height: '100%' }}
              >
                <Statistic
                  title={t('dashboard.rotationDue', { years: d.rotationDue.years })}
                  value={d.rotationDue.count}
                  formatter={(v) => fmt.number(Number(v))}
                  prefix={<SwapOutlined />}
                  valueStyle={{ color: d.rotationDue.count ? '#d48806' : undefined }}
                />
                <Space size={6} onClick={(e) => e.stopPropagation()} style={{ fontSize: 12 }}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    <label htmlFor="rotation-years">{t('dashboard.rotationYears')}</label>
                  </Typography.Text>
                  <InputNumber
                    id="rotation-years"
                    size="small"
                    min={1}
                    max={30}
                    value={rotationYears}
                    onChange={(v) => v && setRotationYears(v)}
                    style={{ width: 64 }}
                  />
                </Space>
              </Card>
            </Col>
            <Col xs={24} sm={8}>
              <Card
                hoverable
                onClick={() => go({ certExpiringWithinDays: d.certificationsExpiring.days })}
                data-testid="card-certs"
                style={{ height: '100%' }}
              >
                <Statistic
                  title={t('dashboard.certsExpiring', { days: d.certificationsExpiring.days })}
                  value={d.certificationsExpiring.count}
                  formatter={(v) => fmt.number(Number(v))}
                  prefix={d.certificationsExpiring.count ? <AlertOutlined /> : <SafetyCertificateOutlined />}
                  valueStyle={{ color: d.certificationsExpiring.count ? '#cf1322' : undefined }}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('dashboard.certsHint')}
                </Typography.Text>
              </Card>
            </Col>
          </Row>
          {d.total === 0 || !charts ? (
            <Card>
              <Empty description={t('dashboard.empty')} />
            </Card>
          ) : (
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={12}>
                <ChartCard title={t('dashboard.agePyramid')} testId="chart-age" hint={hint}>
                  <EChart
                    option={charts.pyramid}
                    ariaLabel={t('dashboard.agePyramid')}
                    testId="echart-age"
                    onClick={(p) => {
                      const band = keyOf(p);
                      if (!band) return;
                      go({ ...ageBandFilter(band), gender: [p.seriesIndex === 0 ? 'male' : 'female'] });
                    }}
                  />
                </ChartCard>
              </Col>
              <Col xs={24} lg={12}>
                <ChartCard title={t('dashboard.tenure')} testId="chart-tenure" hint={hint}>
                  <EChart
                    option={charts.tenure}
                    ariaLabel={t('dashboard.tenure')}
                    testId="echart-tenure"
                    onClick={(p) => {
                      const range = TENURE_RANGES[keyOf(p) ?? ''];
                      if (range) go(range);
                    }}
                  />
                </ChartCard>
              </Col>
              <Col xs={24} lg={12}>
                <ChartCard title={t('fields.educationLevel')} testId="chart-education" hint={hint}>
                  <EChart option={charts.education} ariaLabel={t('fields.educationLevel')} onClick={onBucket('educationLevel')} />
                </ChartCard>
              </Col>
              <Col xs={24} lg={12}>
                <ChartCard title={t('fields.specialties')} testId="chart-specialty" hint={hint}>
                  <EChart
                    option={charts.specialty}
                    height={Math.max(280, d.specialty.length * 26)}
                    ariaLabel={t('fields.specialties')}
                    onClick={onBucket('specialty')}
                  />
                </ChartCard>
              </Col>
              <Col xs={24} lg={12}>
                <ChartCard title={t('fields.titleLevel')} testId="chart-title" hint={hint}>
                  <EChart option={charts.title} ariaLabel={t('fields.titleLevel')} onClick={onBucket('titleLevel')} />
                </ChartCard>
              </Col>
              <Col xs={24} lg={12}>
                <ChartCard title={t('fields.echelon')} testId="chart-echelon" hint={hint}>
                  <EChart option={charts.echelon} ariaLabel={t('fields.echelon')} onClick={onBucket('echelon')} />
                </ChartCard>
              </Col>
            </Row>
          )}
        </Space>
      )}
    </>
  );
}
