import { SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelfChangeRequest, type PersonDetail } from '../../../../src/contracts/person.js';
import { LANGUAGES } from '../../../../src/contracts/vocab.js';
import { api } from '../../api/api-client.js';
import { useMe } from '../../api/auth.js';
import { useApiError } from '../../api/use-api-error.js';
import { useEnumLabel } from '../../components/enum-text.js';
import { zodRule } from '../../components/form-rules.js';
import { useFormat } from '../../i18n/format.js';
import { ChangeList, type ChangeRequest } from '../approvals/approvals.page.js';
import { PersonView } from '../people/person-profile.page.js';
import { ChangePasswordCard } from './change-password-card.js';

type Proposal = { phone?: string | null; email?: string | null; languages?: string[]; nameLatin?: string | null; note?: string };
const SHAPE = SelfChangeRequest.shape;

export function MyProfilePage() {
  const me = useMe();
  // Accounts without a person record (administrators, auditors) still manage their own password here.
  if (!me.personId)
    return (
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14} xl={12} xxl={10}>
          <AccountSummary />
          <div style={{ height: 16 }} />
          <ChangePasswordCard username={me.username} />
        </Col>
      </Row>
    );
  return <PersonalPage />;
}

function AccountSummary() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Card title={t('password.account')} data-testid="account-summary">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('fields.username')}>{me.username}</Descriptions.Item>
        <Descriptions.Item label={t('fields.displayName')}>{me.displayName}</Descriptions.Item>
        <Descriptions.Item label={t('fields.grants')}>
          <Space size={[4, 4]} wrap>
            {[...new Set(me.roles.map((r) => r.role))].map((r) => (
              <Tag key={r}>{t(`roles.${r}`)}</Tag>
            ))}
          </Space>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function PersonalPage() {
  const { t } = useTranslation();
  const me = useMe();
  const fmt = useFormat(me.timeZone);
  const label = useEnumLabel();
  const { message } = App.useApp();
  const onError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<Proposal>();
  const [sent, setSent] = useState(false);
  const person = useQuery({ queryKey: ['me', 'person'], queryFn: () => api.get<PersonDetail>('/me/person') });
  // Staff see their own requests here: the list includes the caller's own ones whatever their role.
  const mine = useQuery({
    queryKey: ['change-requests', 'mine'],
    queryFn: () =>
      api
        .get<{ items: ChangeRequest[] }>('/change-requests', { status: 'pending' })
        .then((r) => r.items.filter((c) => c.personId === me.personId)),
  });
  const propose = useMutation({
    mutationFn: (v: Proposal) => {
      const p = person.data!;
      // Send only what differs from the record: an unchanged field is not a proposal.
      const body: Record<string, unknown> = {};
      if ((v.phone ?? '') !== (p.phone ?? '')) body.phone = v.phone || null;
      if ((v.email ?? '') !== (p.email ?? '')) body.email = v.email || null;
      if ((v.nameLatin ?? '') !== (p.nameLatin ?? '')) body.nameLatin = v.nameLatin || null;
      if (JSON.stringify([...(v.languages ?? [])].sort()) !== JSON.stringify([...p.languages].sort())) body.languages = v.languages ?? [];
      if (v.note) body.note = v.note;
      return api.post('/me/change-requests', body);
    },
    onSuccess: () => {
      setSent(true);
      void message.success(t('me.sent'));
      void qc.invalidateQueries({ queryKey: ['change-requests'] });
    },
    onError: (e) => onError(e, form),
  });

  if (person.isLoading)
    return (
      <Card>
        <Skeleton avatar active paragraph={{ rows: 6 }} />
      </Card>
    );
  if (person.isError || !person.data) return <Result status="404" title={t('me.noRecord')} subTitle={person.error?.message} />;
  const p = person.data;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xxl={16}>
        <PersonView person={p} readOnly />
      </Col>
      <Col xs={24} xxl={8}>
        <Card title={t('me.proposeTitle')} data-testid="propose-card">
          {sent ? (
            <Result
              status="success"
              title={t('me.sent')}
              subTitle={t('me.sentHint')}
              extra={<Button onClick={() => setSent(false)}>{t('me.proposeAnother')}</Button>}
            />
          ) : (
            <>
              <Typography.Paragraph type="secondary">{t('me.proposeHint')}</Typography.Paragraph>
              <Form<Proposal>
                form={form}
                layout="vertical"
                name="propose"
                initialValues={{ phone: p.phone, email: p.email, nameLatin: p.nameLatin, languages: p.languages }}
                onFinish={(v) => propose.mutate(v)}
              >
                <Form.Item name="phone" label={t('fields.phone')} rules={[zodRule(SHAPE.phone, 'phone', t)]}>
                  <Input type="tel" maxLength={32} />
                </Form.Item>
                <Form.Item name="email" label={t('fields.email')} rules={[zodRule(SHAPE.email, 'email', t)]}>
                  <Input type="email" maxLength={200} />
                </Form.Item>
                <Form.Item name="languages" label={t('fields.languages')}>
                  <Select mode="multiple" options={LANGUAGES.map((l) => ({ value: l, label: label('language', l) }))} />
                </Form.Item>
                <Form.Item name="nameLatin" label={t('fields.nameLatin')} rules={[zodRule(SHAPE.nameLatin, 'nameLatin', t)]}>
                  <Input maxLength={100} />
                </Form.Item>
                <Form.Item name="note" label={t('me.noteForHr')}>
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
                <Button
                  type="primary"
                  htmlType="submit"
                  icon={<SendOutlined />}
                  loading={propose.isPending}
                  block
                  data-testid="propose-submit"
                >
                  {t('me.send')}
                </Button>
              </Form>
            </>
          )}
        </Card>
        <Card title={t('me.pending')} style={{ marginTop: 16 }} size="small">
          {mine.isError && <Alert type="warning" title={mine.error.message} />}
          <List
            loading={mine.isLoading}
            dataSource={mine.data ?? []}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('me.noPending')} /> }}
            renderItem={(c) => (
              <List.Item>
                <div style={{ width: '100%' }}>
                  <Tag color="gold">{t('approvals.status.pending')}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {fmt.dateTime(c.createdAt)}
                  </Typography.Text>
                  <ChangeList changes={c.changes} />
                </div>
              </List.Item>
            )}
          />
        </Card>
        <div style={{ height: 16 }} />
        <ChangePasswordCard username={me.username} />
      </Col>
    </Row>
  );
}
