import {
  ApartmentOutlined,
  AuditOutlined,
  CheckSquareOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  DownOutlined,
  IdcardOutlined,
  LogoutOutlined,
  ScheduleOutlined,
  TeamOutlined,
  UserOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Dropdown, Grid, Layout, Menu, Space, Tag, theme, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import type { Permission } from '../../../src/contracts/vocab.js';
import { useAuth, useMe } from '../api/auth.js';
import { LanguageSwitcher } from './language-switcher.js';

export type NavItem = { key: string; path: string; icon: ReactNode; label: string; allowed: boolean };

export function useNavItems(): NavItem[] {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const has = (p: Permission) => can(p);
  return [
    { key: 'dashboard', path: '/dashboard', icon: <DashboardOutlined />, label: t('nav.dashboard'), allowed: has('dashboard.read') },
    { key: 'people', path: '/people', icon: <TeamOutlined />, label: t('nav.people'), allowed: has('person.read') },
    { key: 'units', path: '/units', icon: <ApartmentOutlined />, label: t('nav.units'), allowed: has('unit.read') },
    { key: 'import', path: '/import', icon: <CloudUploadOutlined />, label: t('nav.import'), allowed: has('person.import') },
    { key: 'approvals', path: '/approvals', icon: <CheckSquareOutlined />, label: t('nav.approvals'), allowed: has('change.approve') },
    { key: 'audit', path: '/audit', icon: <AuditOutlined />, label: t('nav.audit'), allowed: has('audit.read') },
    { key: 'accounts', path: '/accounts', icon: <UserSwitchOutlined />, label: t('nav.accounts'), allowed: has('account.manage') },
    { key: 'jobs', path: '/jobs', icon: <ScheduleOutlined />, label: t('nav.jobs'), allowed: has('job.read') || has('person.import') },
    // Everyone has a page of their own: the person record when linked, and the password form.
    { key: 'me', path: '/me', icon: <IdcardOutlined />, label: t('nav.me'), allowed: !!me },
  ].filter((i) => i.allowed);
}

/** Whether a path belongs to a navigation item this user has: a "return to" link from another user's session may not. */
export function isPathAllowed(path: string, items: NavItem[]): boolean {
  const pathname = path.split('?')[0] ?? '/';
  return pathname === '/' || items.some((i) => pathname === i.path || pathname.startsWith(`${i.path}/`));
}

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  const [collapsed, setCollapsed] = useState<boolean | null>(null);
  const isCollapsed = collapsed ?? narrow;
  const { token } = theme.useToken();
  const items = useNavItems();
  const selected = items.find((i) => location.pathname === i.path || location.pathname.startsWith(`${i.path}/`))?.key;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        collapsible
        collapsed={isCollapsed}
        onCollapse={(c) => setCollapsed(c)}
        breakpoint="lg"
        onBreakpoint={() => setCollapsed(null)}
        width={220}
        collapsedWidth={64}
        theme="dark"
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
        data-testid="sider"
      >
        <Link
          to="/"
          aria-label="Muster"
          style={{ display: 'flex', alignItems: 'center', gap: 10, height: 56, padding: isCollapsed ? '0 20px' : '0 20px', color: '#fff' }}
        >
          <span
            style={{
              display: 'inline-grid',
              placeItems: 'center',
              width: 26,
              height: 26,
              borderRadius: 6,
              background: token.colorPrimary,
              fontWeight: 700,
            }}
          >
            M
          </span>
          {!isCollapsed && <span style={{ fontWeight: 600, fontSize: 17, letterSpacing: 0.5 }}>Muster</span>}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={items.map((i) => ({ key: i.key, icon: i.icon, label: <Link to={i.path}>{i.label}</Link> }))}
          aria-label={t('nav.main')}
          data-testid="main-nav"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: '0 16px 0 20px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 12,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            position: 'sticky',
            top: 0,
            zIndex: 10,
            height: 56,
            lineHeight: '56px',
          }}
        >
          <Typography.Text strong ellipsis style={{ fontSize: 15, minWidth: 0 }} data-testid="org-name">
            {me.orgName}
          </Typography.Text>
          <Space size="middle" style={{ flexShrink: 0 }}>
            <LanguageSwitcher variant="borderless" />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'who', label: <Typography.Text type="secondary">{me.username}</Typography.Text>, disabled: true },
                  {
                    key: 'roles',
                    disabled: true,
                    label: (
                      <Space size={4} wrap>
                        {[...new Set(me.roles.map((r) => r.role))].map((r) => (
                          <Tag key={r}>{t(`roles.${r}`, { defaultValue: r })}</Tag>
                        ))}
                      </Space>
                    ),
                  },
                  { type: 'divider' },
                  { key: 'me', icon: <IdcardOutlined />, label: t('nav.me') },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('nav.signOut'), danger: true },
                ],
                onClick: ({ key }) => {
                  if (key === 'logout') void signOut().then(() => navigate('/login'));
                  if (key === 'me') void navigate('/me');
                },
              }}
            >
              <Button type="text" data-testid="user-menu" aria-label={t('nav.userMenu')}>
                <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
                {screens.md && <span>{me.displayName}</span>}
                <DownOutlined style={{ fontSize: 10 }} />
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: narrow ? 12 : 20, minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** Page title row: heading on the left, actions on the right, wrapping on narrow screens. */
export function PageHeader({ title, extra, testId }: { title: ReactNode; extra?: ReactNode; testId?: string }) {
  return (
    <div
      style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 12, marginBottom: 16 }}
      data-testid={testId}
    >
      <Typography.Title level={3} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      {extra && <Space wrap>{extra}</Space>}
    </div>
  );
}
