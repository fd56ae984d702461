import { ArrowLeftOutlined, DeleteOutlined, DownOutlined, EditOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Avatar,
  Button,
  Card,
  Descriptions,
  Dropdown,
  Empty,
  Popconfirm,
  Result,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { PersonDetail } from '../../../../src/contracts/person.js';
import { api, ApiError } from '../../api/api-client.js';
import { useAuth } from '../../api/auth.js';
import { useApiError } from '../../api/use-api-error.js';
import { EnumTags, StatusTag, useEnumLabel } from '../../components/enum-text.js';
import { useFormat } from '../../i18n/format.js';
import { AuditTable } from '../audit/audit-shared.js';
import { PersonActionModal, type ActionKind } from './person-actions.js';
import { PersonFormDrawer } from './person-form-drawer.js';

type Assignment = PersonDetail['assignments'][number];
type Education = PersonDetail['education'][number];
type Certification = PersonDetail['certifications'][number];

/** Years between two calendar dates (end defaults to today), to one decimal: tenure is derived, never stored. */
function yearsBetween(start: string, end: string | null): number {
  return Math.max(0, (end ? dayjs(end) : dayjs()).diff(dayjs(start), 'day') / 365.25);
}

export function usePerson(id: string | undefined) {
  return useQuery({ queryKey: ['person', id], queryFn: () => api.get<PersonDetail>(`/people/${id}`), enabled: !!id });
}

/** The profile body, shared by the HR view and the staff member's own (read-only) view. */
export function PersonView({
  person,
  readOnly = false,
  headerExtra,
}: {
  person: PersonDetail;
  readOnly?: boolean;
  headerExtra?: ReactNode;
}) {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { modal, message } = App.useApp();
  const fmt = useFormat(me?.timeZone);
  const label = useEnumLabel();
  const qc = useQueryClient();
  const onError = useApiError();
  const [sp, setSp] = useSearchParams();
  const [editing, setEditing] = useState(false);
  const [action, setAction] = useState<ActionKind | null>(null);
  const [nationalId, setNationalId] = useState<string | null>(null);
  const canEdit = person.canEdit && !readOnly;
  const seconded = person.unitId !== person.homeUnitId;

  const reveal = useMutation({
    mutationFn: () => api.post<{ nationalId: string | null }>(`/people/${person.id}/national-id`),
    onSuccess: (r) => setNationalId(r.nationalId ?? '—'),
    onError: (e) => onError(e),
  });
  const confirmReveal = () =>
    modal.confirm({
      title: t('profile.revealTitle'),
      content: t('profile.revealLogged'),
      okText: t('profile.reveal'),
      cancelText: t('common.cancel'),
      onOk: () => reveal.mutateAsync(),
    });
  const removeSub = useMutation({
    mutationFn: ({ kind, subId }: { kind: 'education' | 'certifications'; subId: string }) =>
      api.delete(`/people/${person.id}/${kind}/${subId}`),
    onSuccess: () => {
      void message.success(t('common.deleted'));
      void qc.invalidateQueries({ queryKey: ['person', person.id] });
    },
    onError: (e) => onError(e),
  });

  const assignmentCols: TableColumnsType<Assignment> = [
    { title: t('fields.unitId'), dataIndex: 'unitName', key: 'unit' },
    { title: t('fields.positionId'), dataIndex: 'positionName', key: 'pos', render: (v: string | null) => v ?? '—' },
    {
      title: t('profile.kind'),
      dataIndex: 'kind',
      key: 'kind',
      width: 110,
      render: (k: string) => (
        <Tag color={k === 'secondment' ? 'blue' : undefined}>{t(`profile.assignmentKind.${k}`, { defaultValue: k })}</Tag>
      ),
    },
    { title: t('fields.startDate'), dataIndex: 'startDate', key: 'start', width: 120, render: (d: string) => fmt.date(d) },
    {
      title: t('fields.endDate'),
      dataIndex: 'endDate',
      key: 'end',
      width: 120,
      render: (d: string | null) => (d ? fmt.date(d) : <Tag color="green">{t('profile.current')}</Tag>),
    },
    {
      title: t('people.tenure'),
      key: 'tenure',
      width: 100,
      render: (_, a) => t('common.years', { n: fmt.years(yearsBetween(a.startDate, a.endDate)) }),
    },
    { title: t('common.note'), dataIndex: 'note', key: 'note', responsive: ['lg'], render: (v: string | null) => v ?? '' },
  ];
  const educationCols: TableColumnsType<Education> = [
    { title: t('fields.level'), dataIndex: 'level', key: 'level', render: (v: string) => label('educationLevel', v) },
    { title: t('fields.institution'), dataIndex: 'institution', key: 'inst' },
    { title: t('fields.major'), dataIndex: 'major', key: 'major', render: (v: string | null) => v ?? '—' },
    { title: t('fields.graduatedOn'), dataIndex: 'graduatedOn', key: 'grad', render: (v: string | null) => fmt.date(v) },
    ...(canEdit
      ? [
          {
            key: 'x',
            width: 60,
            render: (_: unknown, e: Education) => (
              <Popconfirm
                title={t('profile.removeEducationConfirm')}
                okText={t('common.remove')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => removeSub.mutateAsync({ kind: 'education', subId: e.id })}
              >
                <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.remove')} />
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];
  const certCols: TableColumnsType<Certification> = [
    { title: t('fields.code'), dataIndex: 'code', key: 'code', width: 120 },
    { title: t('fields.name'), dataIndex: 'name', key: 'name' },
    { title: t('fields.issuedOn'), dataIndex: 'issuedOn', key: 'issued', width: 120, render: (v: string) => fmt.date(v) },
    {
      title: t('fields.expiresOn'),
      dataIndex: 'expiresOn',
      key: 'exp',
      width: 120,
      render: (v: string | null) => (v ? fmt.date(v) : t('profile.noExpiry')),
    },
    {
      title: t('profile.validity'),
      key: 'valid',
      width: 110,
      render: (_, c) => {
        const soon = c.validToday && c.expiresOn && dayjs(c.expiresOn).diff(dayjs(), 'day') <= 90;
        return (
          <Tag color={!c.validToday ? 'red' : soon ? 'orange' : 'green'} data-testid="cert-validity">
            {t(!c.validToday ? 'profile.expired' : soon ? 'profile.expiringSoon' : 'profile.valid')}
          </Tag>
        );
      },
    },
    ...(canEdit
      ? [
          {
            key: 'x',
            width: 60,
            render: (_: unknown, c: Certification) => (
              <Popconfirm
                title={t('profile.removeCertificationConfirm', { name: c.name })}
                okText={t('common.remove')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => removeSub.mutateAsync({ kind: 'certifications', subId: c.id })}
              >
                <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.remove')} />
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  const basics = (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} data-testid="profile-basics">
      <Descriptions.Item label={t('fields.personNo')}>{person.personNo}</Descriptions.Item>
      <Descriptions.Item label={t('fields.fullName')}>{person.fullName}</Descriptions.Item>
      <Descriptions.Item label={t('fields.nameLatin')}>{person.nameLatin ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('fields.gender')}>{label('gender', person.gender)}</Descriptions.Item>
      <Descriptions.Item label={t('fields.birthDate')}>
        {fmt.date(person.birthDate)}
        {person.age !== null && <Typography.Text type="secondary"> · {t('profile.ageYears', { n: person.age })}</Typography.Text>}
      </Descriptions.Item>
      <Descriptions.Item label={t('fields.nationalId')}>
        <Space>
          <span data-testid="national-id" style={{ fontFamily: 'monospace' }}>
            {nationalId ?? person.nationalIdMasked ?? '—'}
          </span>
          {person.canRevealNationalId && !readOnly && !nationalId && person.nationalIdMasked && (
            <Button size="small" icon={<EyeOutlined />} onClick={confirmReveal} loading={reveal.isPending} data-testid="reveal-national-id">
              {t('profile.reveal')}
            </Button>
          )}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('fields.unitId')}>{person.unitName}</Descriptions.Item>
      <Descriptions.Item label={t('fields.homeUnitId')}>{person.homeUnitName}</Descriptions.Item>
      <Descriptions.Item label={t('fields.positionId')}>{person.positionName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('fields.postSince')}>
        {fmt.date(person.postSince)}
        {person.tenureYears !== null && (
          <Typography.Text type="secondary"> · {t('common.years', { n: fmt.years(person.tenureYears) })}</Typography.Text>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('fields.grade')}>{label('grade', person.grade)}</Descriptions.Item>
      <Descriptions.Item label={t('fields.echelon')}>{label('echelon', person.echelon)}</Descriptions.Item>
      <Descriptions.Item label={t('fields.educationLevel')}>{label('educationLevel', person.educationLevel)}</Descriptions.Item>
      <Descriptions.Item label={t('fields.titleLevel')}>{label('titleLevel', person.titleLevel)}</Descriptions.Item>
      <Descriptions.Item label={t('fields.titleName')}>{person.titleName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('fields.specialties')} span={{ xs: 1, md: 2, xl: 3 }}>
        <EnumTags vocab="specialty" values={person.specialties} />
      </Descriptions.Item>
      <Descriptions.Item label={t('fields.languages')}>
        <EnumTags vocab="language" values={person.languages} />
      </Descriptions.Item>
      <Descriptions.Item label={t('fields.phone')}>{person.phone ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('fields.email')}>{person.email ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('fields.status')}>
        <StatusTag status={person.status} />
      </Descriptions.Item>
      <Descriptions.Item label={t('fields.statusSince')}>{fmt.date(person.statusSince)}</Descriptions.Item>
      <Descriptions.Item label={t('profile.updatedAt')}>{fmt.dateTime(person.updatedAt)}</Descriptions.Item>
    </Descriptions>
  );

  const addButton = (kind: ActionKind, text: string) =>
    canEdit ? (
      <Button icon={<PlusOutlined />} onClick={() => setAction(kind)} data-testid={`add-${kind}`}>
        {text}
      </Button>
    ) : null;

  const tabs = [
    { key: 'basics', label: t('profile.tabs.basics'), children: basics },
    {
      key: 'assignments',
      label: t('profile.tabs.assignments'),
      children: (
        <Table<Assignment>
          rowKey="id"
          size="small"
          columns={assignmentCols}
          dataSource={person.assignments}
          pagination={false}
          scroll={{ x: 700 }}
          locale={{ emptyText: <Empty description={t('common.noData')} /> }}
        />
      ),
    },
    {
      key: 'education',
      label: t('profile.tabs.education'),
      children: (
        <Space direction="vertical" style={{ width: '100%' }}>
          {addButton('education', t('profile.addEducation'))}
          <Table<Education>
            rowKey="id"
            size="small"
            columns={educationCols}
            dataSource={person.education}
            pagination={false}
            scroll={{ x: 600 }}
            locale={{ emptyText: <Empty description={t('common.noData')} /> }}
          />
        </Space>
      ),
    },
    {
      key: 'certifications',
      label: t('profile.tabs.certifications'),
      children: (
        <Space direction="vertical" style={{ width: '100%' }}>
          {addButton('certification', t('profile.addCertification'))}
          <Table<Certification>
            rowKey="id"
            size="small"
            columns={certCols}
            dataSource={person.certifications}
            pagination={false}
            scroll={{ x: 640 }}
            locale={{ emptyText: <Empty description={t('common.noData')} /> }}
            data-testid="certifications-table"
          />
        </Space>
      ),
    },
    {
      key: 'status',
      label: t('profile.tabs.status'),
      children: person.statusHistory.length ? (
        <Timeline
          style={{ paddingTop: 8 }}
          items={person.statusHistory.map((s) => ({
            key: s.id,
            content: (
              <>
                <StatusTag status={s.status} /> {fmt.date(s.effectiveDate)}
                {s.reason && (
                  <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                    {s.reason}
                  </Typography.Paragraph>
                )}
              </>
            ),
          }))}
        />
      ) : (
        <Empty description={t('common.noData')} />
      ),
    },
    ...(can('audit.read') && !readOnly
      ? [{ key: 'audit', label: t('profile.tabs.audit'), children: <AuditTable filter={{ personId: person.id }} showPerson={false} /> }]
      : []),
  ];

  const tab = tabs.some((x) => x.key === sp.get('tab')) ? sp.get('tab')! : 'basics';

  return (
    <>
      <Card style={{ marginBottom: 16 }} data-testid="profile-header">
        <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start', flexWrap: 'wrap' }}>
          <Avatar size={64} style={{ background: '#1f5f99', fontSize: 26, flexShrink: 0 }}>
            {person.fullName.slice(0, 1)}
          </Avatar>
          <div style={{ flex: 1, minWidth: 220 }}>
            <Space wrap align="center" size={8}>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="profile-name">
                {person.fullName}
              </Typography.Title>
              {person.nameLatin && <Typography.Text type="secondary">{person.nameLatin}</Typography.Text>}
              <StatusTag status={person.status} />
              {seconded && <Tag color="blue">{t('people.secondedTag')}</Tag>}
              {person.echelon && <Tag color="purple">{label('echelon', person.echelon)}</Tag>}
            </Space>
            <div style={{ marginTop: 6, color: 'rgba(0,0,0,.65)' }}>
              <Space wrap split={<span style={{ color: '#ccc' }}>|</span>}>
                <span data-testid="profile-person-no">{person.personNo}</span>
                <span>{person.unitName}</span>
                {seconded && <span>{t('profile.homeUnitIs', { unit: person.homeUnitName })}</span>}
                <span>{person.positionName ?? t('profile.noPosition')}</span>
                {person.grade && <span>{label('grade', person.grade)}</span>}
              </Space>
            </div>
          </div>
          <Space wrap>
            {headerExtra}
            {canEdit && (
              <>
                <Dropdown
                  menu={{
                    items: [
                      { key: 'status', label: t('profile.changeStatus') },
                      seconded
                        ? { key: 'endSecondment', label: t('profile.endSecondment') }
                        : { key: 'secondment', label: t('profile.startSecondment') },
                    ],
                    onClick: ({ key }) => setAction(key as ActionKind),
                  }}
                >
                  <Button data-testid="profile-actions">
                    {t('common.actions')} <DownOutlined />
                  </Button>
                </Dropdown>
                <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="profile-edit">
                  {t('common.edit')}
                </Button>
              </>
            )}
          </Space>
        </div>
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setSp(k === 'basics' ? {} : { tab: k }, { replace: true })}
          items={tabs}
          data-testid="profile-tabs"
        />
      </Card>
      {editing && <PersonFormDrawer person={person} open onClose={() => setEditing(false)} />}
      {action && <PersonActionModal kind={action} person={person} onClose={() => setAction(null)} />}
    </>
  );
}

export function PersonProfilePage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const q = usePerson(id);
  if (q.isLoading)
    return (
      <Card>
        <Skeleton avatar active paragraph={{ rows: 8 }} />
      </Card>
    );
  if (q.isError || !q.data) {
    const notFound = q.error instanceof ApiError && q.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('errors.not_found') : t('common.error')}
        subTitle={q.error?.message}
        extra={<Button onClick={() => navigate('/people')}>{t('nav.people')}</Button>}
      />
    );
  }
  return (
    <PersonView
      person={q.data}
      headerExtra={
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('profile.back')}>
          {t('profile.back')}
        </Button>
      }
    />
  );
}
