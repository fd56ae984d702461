import { DownloadOutlined, FilterOutlined, LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Drawer, Dropdown, Empty, Grid, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { PersonListItem, PersonSearchResponse } from '../../../../src/contracts/person.js';
import { api, apiUrl } from '../../api/api-client.js';
import { useAuth } from '../../api/auth.js';
import { useCertificationTypes, useUnits } from '../../api/queries.js';
import { PageHeader } from '../../components/app-layout.js';
import { StatusTag, useEnumLabel, type Vocabulary } from '../../components/enum-text.js';
import { useFormat } from '../../i18n/format.js';
import { PersonFormDrawer } from './person-form-drawer.js';
import { PeopleFilters } from './people-filters.js';
import {
  activeFilterCount,
  filterToParams,
  parsePeopleQuery,
  peopleQueryToSearch,
  type FilterKey,
  type PeopleQuery,
  type Sort,
} from './people-query.js';

const VOCAB_OF: Partial<Record<FilterKey, Vocabulary>> = {
  specialty: 'specialty',
  educationLevel: 'educationLevel',
  titleLevel: 'titleLevel',
  echelon: 'echelon',
  language: 'language',
  status: 'status',
  gender: 'gender',
  grade: 'grade',
};

export function PeopleListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const label = useEnumLabel();
  const fmt = useFormat();
  const screens = Grid.useBreakpoint();
  const inlineFilters = !!screens.xl;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [searchParams, setSearchParams] = useSearchParams();
  const query = useMemo(() => parsePeopleQuery(searchParams), [searchParams]);
  const queryKey = peopleQueryToSearch(query).toString();
  // Keyset paging: a stack of the cursors that opened each page after the first; reset when the query changes.
  const [paging, setPaging] = useState<{ key: string; stack: string[] }>({ key: queryKey, stack: [] });
  const stack = paging.key === queryKey ? paging.stack : [];
  const cursor = stack[stack.length - 1];
  const units = useUnits();
  const certTypes = useCertificationTypes();
  const positionsById = new Map<string, string>();

  const people = useQuery({
    queryKey: ['people', queryKey, cursor ?? ''],
    queryFn: () =>
      api.get<PersonSearchResponse>('/people', {
        ...filterToParams(query.filter),
        sort: query.sort,
        dir: query.dir,
        limit: query.limit,
        cursor,
        facets: 'true',
      }),
    placeholderData: keepPreviousData,
  });
  for (const p of people.data?.facets?.position ?? []) positionsById.set(p.key, p.label ?? p.key);

  const update = (next: PeopleQuery) => setSearchParams(peopleQueryToSearch(next));
  const patchFilter = (patch: Partial<Record<FilterKey, string | string[] | undefined>>) => {
    const filter = { ...query.filter } as Record<string, string | string[] | undefined>;
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || (Array.isArray(v) && !v.length) || v === '') delete filter[k];
      else filter[k] = v;
    }
    update({ ...query, filter: filter as PeopleQuery['filter'] });
  };

  const sortOrder = (key: Sort) => (query.sort === key ? (query.dir === 'asc' ? 'ascend' : 'descend') : null);
  const columns: TableColumnsType<PersonListItem> = [
    { title: t('fields.personNo'), dataIndex: 'personNo', key: 'personNo', sorter: true, sortOrder: sortOrder('personNo'), width: 120 },
    {
      title: t('fields.fullName'),
      dataIndex: 'fullName',
      key: 'fullName',
      sorter: true,
      sortOrder: sortOrder('fullName'),
      width: 170,
      render: (_, p) => (
        <Space direction="vertical" size={0}>
          <Link to={`/people/${p.id}`} onClick={(e) => e.stopPropagation()}>
            {p.fullName}
          </Link>
          {p.nameLatin && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {p.nameLatin}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('fields.gender'),
      dataIndex: 'gender',
      key: 'gender',
      width: 70,
      render: (g: string) => label('gender', g),
      responsive: ['lg'],
    },
    {
      title: t('people.age'),
      dataIndex: 'birthDate',
      key: 'birthDate',
      sorter: true,
      sortOrder: sortOrder('birthDate'),
      width: 80,
      render: (_, p) => p.age ?? '—',
    },
    {
      title: t('fields.unitId'),
      dataIndex: 'unitName',
      key: 'unit',
      width: 200,
      ellipsis: true,
      render: (_, p) => (
        <>
          {p.unitName}
          {p.homeUnitId !== p.unitId && (
            <Tag color="blue" style={{ marginInlineStart: 6 }} title={`${t('fields.homeUnitId')}: ${p.homeUnitName}`}>
              {t('people.secondedTag')}
            </Tag>
          )}
        </>
      ),
    },
    {
      title: t('fields.positionId'),
      dataIndex: 'positionName',
      key: 'position',
      width: 170,
      ellipsis: true,
      render: (v: string | null) => v ?? '—',
      responsive: ['lg'],
    },
    {
      title: t('people.tenure'),
      dataIndex: 'postSince',
      key: 'postSince',
      sorter: true,
      sortOrder: sortOrder('postSince'),
      width: 110,
      render: (_, p) => (p.tenureYears === null ? '—' : t('common.years', { n: fmt.years(p.tenureYears) })),
    },
    {
      title: t('fields.educationLevel'),
      dataIndex: 'educationLevel',
      key: 'edu',
      width: 110,
      render: (v: string | null) => label('educationLevel', v),
      responsive: ['xl'],
    },
    {
      title: t('fields.titleLevel'),
      dataIndex: 'titleLevel',
      key: 'title',
      width: 110,
      render: (v: string) => label('titleLevel', v),
      responsive: ['xxl'],
    },
    { title: t('fields.status'), dataIndex: 'status', key: 'status', width: 100, render: (s: string) => <StatusTag status={s} /> },
  ];

  const onTableChange: TableProps<PersonListItem>['onChange'] = (_p, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = (s?.columnKey as Sort | undefined) ?? 'fullName';
    if (!s?.order) update({ ...query, sort: 'fullName', dir: 'asc' });
    else update({ ...query, sort: key, dir: s.order === 'descend' ? 'desc' : 'asc' });
  };

  const data = people.data;
  const nActive = activeFilterCount(query.filter);
  const unitName = (id: string) => units.data?.find((u) => u.id === id)?.name ?? id;
  const filterTags = Object.entries(query.filter).flatMap(([k, v]) => {
    const key = k as FilterKey;
    const vocab = VOCAB_OF[key];
    const values = Array.isArray(v) ? v : [v as string];
    const text = values
      .map((x) =>
        vocab
          ? label(vocab, x)
          : key === 'unitId'
            ? unitName(x)
            : key === 'positionId'
              ? (positionsById.get(x) ?? x)
              : key === 'certCode'
                ? (certTypes.data?.find((c) => c.code === x)?.name ?? x)
                : key === 'seconded'
                  ? t(x === 'true' ? 'common.yes' : 'common.no')
                  : x,
      )
      .join(', ');
    return [
      <Tag key={k} closable onClose={() => patchFilter({ [key]: undefined })} data-testid={`active-filter-${k}`}>
        {t(`people.filter.${k}`)}: {text}
      </Tag>,
    ];
  });

  const exportHref = (format: 'xlsx' | 'csv') => apiUrl('/people/export', { ...filterToParams(query.filter), format });
  const page = stack.length + 1;
  const filters = (
    <PeopleFilters filter={query.filter} facets={data?.facets} onChange={patchFilter} onReset={() => update({ ...query, filter: {} })} />
  );

  return (
    <>
      <PageHeader
        title={t('nav.people')}
        extra={
          <>
            {!inlineFilters && (
              <Badge count={nActive} size="small">
                <Button icon={<FilterOutlined />} onClick={() => setDrawerOpen(true)} data-testid="open-filters">
                  {t('common.filters')}
                </Button>
              </Badge>
            )}
            {can('person.export') && (
              <Dropdown
                menu={{
                  items: [
                    {
                      key: 'xlsx',
                      label: (
                        <a href={exportHref('xlsx')} data-testid="export-xlsx">
                          {t('people.exportXlsx')}
                        </a>
                      ),
                    },
                    {
                      key: 'csv',
                      label: (
                        <a href={exportHref('csv')} data-testid="export-csv">
                          {t('people.exportCsv')}
                        </a>
                      ),
                    },
                  ],
                }}
              >
                <Button icon={<DownloadOutlined />} data-testid="export-button">
                  {t('people.export')}
                </Button>
              </Dropdown>
            )}
            {can('person.write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-person">
                {t('people.create')}
              </Button>
            )}
          </>
        }
      />
      <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}>
        {inlineFilters && (
          <Card
            size="small"
            style={{ width: 270, flexShrink: 0, position: 'sticky', top: 72, maxHeight: 'calc(100vh - 92px)', overflow: 'auto' }}
            title={t('common.filters')}
          >
            {filters}
          </Card>
        )}
        <Card size="small" style={{ flex: 1, minWidth: 0 }}>
          <div
            style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'center', gap: 8, marginBottom: 8 }}
          >
            <Space size={[0, 6]} wrap>
              <Typography.Text strong data-testid="people-total" style={{ marginInlineEnd: 12 }}>
                {data ? t('common.total', { n: fmt.number(data.total) }) : '\u00a0'}
              </Typography.Text>
              {filterTags}
            </Space>
          </div>
          <Table<PersonListItem>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={data?.items ?? []}
            loading={people.isFetching}
            pagination={false}
            onChange={onTableChange}
            scroll={{ x: 900 }}
            showSorterTooltip={false}
            locale={{
              emptyText: people.isLoading ? (
                <div style={{ height: 200 }} />
              ) : (
                <Empty description={nActive ? t('people.emptyFiltered') : t('people.empty')} />
              ),
            }}
            onRow={(p) =>
              ({
                onClick: () => void navigate(`/people/${p.id}`),
                className: 'row-link',
                'data-testid': 'people-row',
              }) as React.HTMLAttributes<HTMLElement>
            }
            data-testid="people-table"
          />
          <div style={{ display: 'flex', justifyContent: 'flex-end', alignItems: 'center', gap: 8, marginTop: 12, flexWrap: 'wrap' }}>
            <Typography.Text type="secondary">{t('common.page', { page })}</Typography.Text>
            <Button
              icon={<LeftOutlined />}
              disabled={!stack.length}
              onClick={() => setPaging({ key: queryKey, stack: stack.slice(0, -1) })}
              data-testid="page-prev"
            >
              {t('common.previous')}
            </Button>
            <Button
              disabled={!data?.nextCursor}
              onClick={() => data?.nextCursor && setPaging({ key: queryKey, stack: [...stack, data.nextCursor] })}
              data-testid="page-next"
            >
              {t('common.next')} <RightOutlined />
            </Button>
            <Select
              value={query.limit}
              onChange={(limit) => update({ ...query, limit })}
              options={[20, 50, 100].map((n) => ({ value: n, label: t('people.perPage', { n }) }))}
              aria-label={t('people.pageSize')}
              style={{ width: 120 }}
            />
          </div>
        </Card>
      </div>
      {!inlineFilters && (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          title={t('common.filters')}
          placement="left"
          size={320}
          data-testid="filters-drawer"
        >
          {filters}
        </Drawer>
      )}
      {creating && <PersonFormDrawer open onClose={() => setCreating(false)} onSaved={(id) => navigate(`/people/${id}`)} />}
    </>
  );
}
