import { LogoutOutlined } from '@ant-design/icons';
import { Button, Layout, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../../api/auth.js';
import { LanguageSwitcher } from '../../components/language-switcher.js';
import { ChangePasswordCard } from './change-password-card.js';

/** After signing in with a password an administrator issued: choose a new one before the console opens. */
export function ForcedPasswordChangePage() {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useAuth();
  return (
    <Layout style={{ minHeight: '100vh', background: '#f3f6f9' }}>
      <div style={{ display: 'flex', justifyContent: 'flex-end', padding: 12 }}>
        <Space>
          <LanguageSwitcher variant="borderless" />
          <Button icon={<LogoutOutlined />} onClick={() => void signOut()} data-testid="forced-sign-out">
            {t('nav.signOut')}
          </Button>
        </Space>
      </div>
      <div style={{ display: 'grid', placeItems: 'start center', padding: '24px 16px' }}>
        <div style={{ width: '100%', maxWidth: 440 }}>
          <Typography.Title level={3} style={{ textAlign: 'center' }}>
            {me.displayName}
          </Typography.Title>
          <ChangePasswordCard username={me.username} forced />
        </div>
      </div>
    </Layout>
  );
}
