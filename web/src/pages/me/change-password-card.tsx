import { LockOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN } from '../../../../src/contracts/account.js';
import { api } from '../../api/api-client.js';
import { ME_KEY } from '../../api/auth.js';
import { useApiError } from '../../api/use-api-error.js';
import { passwordRule, requiredRule } from '../../components/form-rules.js';

type Values = { currentPassword: string; newPassword: string; confirmPassword: string };

/** Change one's own password: current password, a new one meeting the policy, typed twice. */
export function ChangePasswordCard({ username, forced = false }: { username: string; forced?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const onError = useApiError();
  const qc = useQueryClient();
  const change = useMutation({
    mutationFn: (v: Values) => api.post('/auth/me/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: () => {
      form.resetFields();
      void message.success(t('password.changed'));
      // A forced change unlocks the console: fetch the session again.
      void qc.invalidateQueries({ queryKey: ME_KEY });
    },
    onError: (e) => onError(e, form),
  });
  return (
    <Card title={forced ? t('password.forcedTitle') : t('password.title')} data-testid="change-password-card">
      <Typography.Paragraph type="secondary">
        {forced ? t('password.forcedHint') : t('password.hint', { min: PASSWORD_MIN })}
      </Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" name="change-password" onFinish={(v) => change.mutate(v)} requiredMark={false}>
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <Form.Item
          name="currentPassword"
          label={t(forced ? 'password.issuedPassword' : 'fields.currentPassword')}
          rules={[requiredRule('currentPassword', t)]}
        >
          <Input.Password autoComplete="current-password" prefix={<LockOutlined />} />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('fields.newPassword')}
          extra={t('password.policy', { min: PASSWORD_MIN })}
          rules={[requiredRule('newPassword', t), passwordRule('newPassword', t, username)]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            requiredRule('newPassword', t),
            ({ getFieldValue }) => ({
              validator: async (_r, v: unknown) => {
                if (v && v !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} block data-testid="change-password-submit">
          {t('password.submit')}
        </Button>
      </Form>
    </Card>
  );
}
