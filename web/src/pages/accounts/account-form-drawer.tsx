import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Col, Divider, Drawer, Form, Grid, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AccountCreateRequest,
  DisplayName,
  Username,
  type AccountItem,
  type AccountWithPassword,
  type GrantInput,
} from '../../../../src/contracts/account.js';
import { ROLES } from '../../../../src/contracts/vocab.js';
import { api } from '../../api/api-client.js';
import { useApiError } from '../../api/use-api-error.js';
import { passwordRule, requiredRule, zodRule } from '../../components/form-rules.js';
import { PersonSearchSelect } from '../../components/person-search-select.js';
import { UnitTreeSelect } from '../../components/unit-tree-select.js';
import { LOCALE_NAMES, LOCALES } from '../../i18n/i18n.js';

type Values = {
  username: string;
  displayName: string;
  locale: string;
  personId?: string | null;
  grants: Partial<GrantInput>[];
  passwordMode: 'generate' | 'set';
  password?: string;
};

/** Role + unit rows; the server checks every unit against the administrator's own scope. */
function GrantsEditor() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  return (
    <Form.List
      name="grants"
      rules={[
        {
          validator: async (_r, v: unknown[]) => {
            if (!v?.length) throw new Error(t('accounts.grantsRequired'));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <div data-testid="grants-editor">
          {fields.map((f, i) => (
            <Row key={f.key} gutter={8} align="top" wrap={!screens.sm} data-testid="grant-row">
              <Col flex={screens.sm ? '180px' : '100%'}>
                <Form.Item name={[f.name, 'role']} rules={[requiredRule('role', t)]} style={{ marginBottom: 8 }}>
                  <Select
                    placeholder={t('fields.role')}
                    aria-label={`${t('fields.role')} ${i + 1}`}
                    options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                    data-testid={`grant-role-${i}`}
                  />
                </Form.Item>
              </Col>
              <Col flex="auto" style={{ minWidth: 0 }}>
                <Form.Item name={[f.name, 'scopeUnitId']} rules={[requiredRule('scopeUnitId', t)]} style={{ marginBottom: 8 }}>
                  <UnitTreeSelect
                    placeholder={t('fields.scopeUnitId')}
                    allowClear={false}
                    style={{ width: '100%', minWidth: 0 }}
                    aria-label={`${t('fields.scopeUnitId')} ${i + 1}`}
                    data-testid={`grant-unit-${i}`}
                  />
                </Form.Item>
              </Col>
              <Col flex="none">
                <Button
                  icon={<DeleteOutlined />}
                  onClick={() => remove(f.name)}
                  aria-label={`${t('common.remove')} ${i + 1}`}
                  data-testid={`grant-remove-${i}`}
                />
              </Col>
            </Row>
          ))}
          <Form.ErrorList errors={errors} />
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block data-testid="grant-add">
            {t('accounts.addGrant')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

/** Create (no account) or edit an account: profile fields, grants, and on create how the first password is issued. */
export function AccountFormDrawer({
  account,
  onClose,
  onCreated,
}: {
  account?: AccountItem;
  onClose: () => void;
  onCreated?: (r: AccountWithPassword) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const onError = useApiError();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const editing = !!account;
  const username = Form.useWatch('username', form);
  const passwordMode = Form.useWatch('passwordMode', form);
  const initial: Partial<Values> = useMemo(
    () =>
      account
        ? {
            username: account.username,
            displayName: account.displayName,
            locale: account.locale,
            personId: account.personId,
            grants: account.grants.map(({ role, scopeUnitId }) => ({ role, scopeUnitId })),
          }
        : { locale: 'zh-CN', grants: [{}], passwordMode: 'generate' },
    [account],
  );

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const grants = v.grants as GrantInput[];
      if (!account) {
        return {
          created: await api.post<AccountWithPassword>('/accounts', {
            username: v.username,
            displayName: v.displayName,
            locale: v.locale,
            personId: v.personId || null,
            grants,
            ...(v.passwordMode === 'set' ? { password: v.password } : {}),
          }),
        };
      }
      // One PATCH carries profile and grants: the server saves both in one transaction or neither.
      const patch: Record<string, unknown> = {};
      if (v.displayName !== account.displayName) patch.displayName = v.displayName;
      if (v.locale !== account.locale) patch.locale = v.locale;
      if ((v.personId || null) !== account.personId) patch.personId = v.personId || null;
      const key = (g: GrantInput[]) => JSON.stringify(g.map((x) => `${x.role}@${x.scopeUnitId}`).sort());
      if (key(grants) !== key(account.grants)) patch.grants = grants;
      if (Object.keys(patch).length) await api.patch<AccountItem>(`/accounts/${account.id}`, { ...patch, version: account.version });
      return { created: null };
    },
    onSuccess: ({ created }) => {
      void qc.invalidateQueries({ queryKey: ['accounts'] });
      if (created) onCreated?.(created);
      onClose();
    },
    // Grant problems name a row (grants.1.scopeUnitId): useApiError shows each beside its own row.
    onError: (e) => onError(e, form),
  });

  const shape = AccountCreateRequest.shape;
  return (
    <Drawer
      open
      onClose={onClose}
      title={editing ? t('accounts.editTitle', { name: account.username }) : t('accounts.create')}
      size={screens.md ? 640 : '100%'}
      destroyOnHidden
      data-testid="account-form"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="account-form-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" name="account" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="username"
              label={t('fields.username')}
              rules={editing ? [] : [zodRule(Username, 'username', t)]}
              extra={editing ? undefined : t('accounts.usernameHint')}
            >
              <Input disabled={editing} autoComplete="off" maxLength={64} data-testid="account-username" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="displayName" label={t('fields.displayName')} rules={[zodRule(DisplayName, 'displayName', t)]}>
              <Input maxLength={100} data-testid="account-display-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="locale" label={t('fields.locale')} rules={[zodRule(shape.locale.unwrap(), 'locale', t)]}>
              <Select options={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))} data-testid="account-locale" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="personId" label={t('fields.personId')} extra={t('accounts.personHint')}>
              <PersonSearchSelect
                limit={10}
                showUnit
                selectedLabel={account?.personName ?? null}
                placeholder={t('accounts.personSearch')}
                aria-label={t('fields.personId')}
                data-testid="account-person"
              />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" style={{ marginTop: 0 }}>
          {t('fields.grants')}
        </Divider>
        <Typography.Paragraph type="secondary">{t('accounts.grantsHint')}</Typography.Paragraph>
        <GrantsEditor />
        {!editing && (
          <>
            <Divider titlePlacement="start">{t('fields.password')}</Divider>
            <Form.Item name="passwordMode">
              <Radio.Group
                options={[
                  { value: 'generate', label: t('accounts.passwordGenerate') },
                  { value: 'set', label: t('accounts.passwordSet') },
                ]}
                data-testid="account-password-mode"
              />
            </Form.Item>
            {passwordMode === 'set' && (
              <Form.Item
                name="password"
                label={t('fields.password')}
                dependencies={['username']}
                rules={[requiredRule('password', t), passwordRule('password', t, username)]}
                extra={t('accounts.passwordSetHint')}
              >
                <Input.Password autoComplete="new-password" data-testid="account-password" />
              </Form.Item>
            )}
          </>
        )}
      </Form>
    </Drawer>
  );
}
