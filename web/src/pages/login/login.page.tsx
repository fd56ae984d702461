import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../../api/api-client.js';
import { useAuth } from '../../api/auth.js';
import { LanguageSwitcher } from '../../components/language-switcher.js';

type LoginValues = { username: string; password: string };

export function LoginPage() {
  const { t } = useTranslation();
  const { me, signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  // Home decides whether `from` is open to this user (it may have been left by someone else's session).
  if (me) return <Navigate to="/" replace state={{ from }} />;

  const onFinish = async (v: LoginValues) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(v.username, v.password);
      void navigate('/', { replace: true, state: { from } });
    } catch (e) {
      if (e instanceof ApiError && e.details.length) {
        form.setFields(e.details.map((d) => ({ name: d.field as keyof LoginValues, errors: [d.message ?? d.reason] })));
      }
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        padding: 16,
        background: 'linear-gradient(160deg, #0f2b46 0%, #1f4e79 55%, #e8eef5 55%)',
      }}
    >
      <div style={{ position: 'absolute', top: 16, right: 16 }}>
        <LanguageSwitcher />
      </div>
      <Card style={{ width: '100%', maxWidth: 400, boxShadow: '0 12px 40px rgba(0,0,0,.18)' }} data-testid="login-card">
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <div
            style={{
              display: 'inline-grid',
              placeItems: 'center',
              width: 48,
              height: 48,
              borderRadius: 10,
              background: '#1f4e79',
              color: '#fff',
              fontSize: 24,
              fontWeight: 700,
            }}
          >
            M
          </div>
          <Typography.Title level={3} style={{ margin: '12px 0 4px' }}>
            Muster
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </div>
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false} disabled={busy} name="login">
          <Form.Item name="username" label={t('fields.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item name="password" label={t('fields.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
