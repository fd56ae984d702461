import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider, useLocation, useNavigate, useRouteError } from 'react-router-dom';
import type { Permission } from '../../src/contracts/vocab.js';
import { ApiError, setUnauthenticatedHandler } from './api/api-client.js';
import { AuthProvider, ME_KEY, useAuth } from './api/auth.js';
import { AppLayout, isPathAllowed, useNavItems } from './components/app-layout.js';
import { ANTD_LOCALES, isLocale } from './i18n/i18n.js';
import { LoginPage } from './pages/login/login.page.js';

// Pages load on demand: the sign-in screen should not wait for ECharts.
const DashboardPage = lazy(() => import('./pages/dashboard/dashboard.page.js').then((m) => ({ default: m.DashboardPage })));
const PeopleListPage = lazy(() => import('./pages/people/people-list.page.js').then((m) => ({ default: m.PeopleListPage })));
const PersonProfilePage = lazy(() => import('./pages/people/person-profile.page.js').then((m) => ({ default: m.PersonProfilePage })));
const UnitsPage = lazy(() => import('./pages/units/units.page.js').then((m) => ({ default: m.UnitsPage })));
const ImportWizardPage = lazy(() => import('./pages/import/import-wizard.page.js').then((m) => ({ default: m.ImportWizardPage })));
const ApprovalsPage = lazy(() => import('./pages/approvals/approvals.page.js').then((m) => ({ default: m.ApprovalsPage })));
const AuditLogPage = lazy(() => import('./pages/audit/audit-log.page.js').then((m) => ({ default: m.AuditLogPage })));
const MyProfilePage = lazy(() => import('./pages/me/my-profile.page.js').then((m) => ({ default: m.MyProfilePage })));
const AccountsPage = lazy(() => import('./pages/accounts/accounts.page.js').then((m) => ({ default: m.AccountsPage })));
const ForcedPasswordChangePage = lazy(() =>
  import('./pages/me/forced-password-change.page.js').then((m) => ({ default: m.ForcedPasswordChangePage })),
);
const JobsPage = lazy(() => import('./pages/jobs/jobs.page.js').then((m) => ({ default: m.JobsPage })));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Never retry a refusal; one retry for flaky networks.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 1,
      refetchOnWindowFocus: false,
    },
  },
  queryCache: new QueryCache(),
});

function PageSpin() {
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: 240 }}>
      <Spin size="large" />
    </div>
  );
}

/** Sends a visitor without a session to the sign-in page, remembering where they were going. */
function RequireSession() {
  const { me, loading } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      queryClient.setQueryData(ME_KEY, null);
      void navigate('/login', { state: { from: location.pathname + location.search } });
    });
  }, [navigate, location]);
  if (loading) return <PageSpin />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  // A password an administrator issued must be replaced before anything else (the API refuses the rest).
  if (me.mustChangePassword)
    return (
      <Suspense fallback={<PageSpin />}>
        <ForcedPasswordChangePage />
      </Suspense>
    );
  return <AppLayout />;
}

function Guard({ permission, allowed, children }: { permission?: Permission; allowed?: boolean; children: ReactNode }) {
  const { can } = useAuth();
  const { t } = useTranslation();
  const ok = allowed ?? (permission ? can(permission) : true);
  if (!ok) return <Result status="403" title="403" subTitle={t('errors.forbidden')} />;
  return <Suspense fallback={<PageSpin />}>{children}</Suspense>;
}

function Home() {
  const items = useNavItems();
  const location = useLocation();
  // After sign-in the login page sends everyone to the path they came from, if this user may see it.
  const from = (location.state as { from?: string } | null)?.from;
  if (from && from !== '/' && isPathAllowed(from, items)) return <Navigate to={from} replace />;
  return <Navigate to={items[0]?.path ?? '/me'} replace />;
}

function RouteError() {
  const err = useRouteError();
  const { t } = useTranslation();
  return <Result status="error" title={t('common.error')} subTitle={err instanceof Error ? err.message : String(err)} />;
}

function JobsGuard({ children }: { children: ReactNode }) {
  const { can } = useAuth();
  return <Guard allowed={can('job.read') || can('person.import')}>{children}</Guard>;
}

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: <RequireSession />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Home /> },
      {
        path: 'dashboard',
        element: (
          <Guard permission="dashboard.read">
            <DashboardPage />
          </Guard>
        ),
      },
      {
        path: 'people',
        element: (
          <Guard permission="person.read">
            <PeopleListPage />
          </Guard>
        ),
      },
      {
        path: 'people/:id',
        element: (
          <Guard permission="person.read">
            <PersonProfilePage />
          </Guard>
        ),
      },
      {
        path: 'units',
        element: (
          <Guard permission="unit.read">
            <UnitsPage />
          </Guard>
        ),
      },
      {
        path: 'import',
        element: (
          <Guard permission="person.import">
            <ImportWizardPage />
          </Guard>
        ),
      },
      {
        path: 'approvals',
        element: (
          <Guard permission="change.approve">
            <ApprovalsPage />
          </Guard>
        ),
      },
      {
        path: 'audit',
        element: (
          <Guard permission="audit.read">
            <AuditLogPage />
          </Guard>
        ),
      },
      {
        path: 'accounts',
        element: (
          <Guard permission="account.manage">
            <AccountsPage />
          </Guard>
        ),
      },
      {
        path: 'jobs',
        element: (
          <JobsGuard>
            <JobsPage />
          </JobsGuard>
        ),
      },
      {
        path: 'me',
        element: (
          <Guard>
            <MyProfilePage />
          </Guard>
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('errors.not_found')} />;
}

/** Follows i18next so the AntD components (date pickers, pagination, Empty) speak the same language. */
function LocalisedShell({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const [lng, setLng] = useState(i18n.language);
  useEffect(() => {
    const on = (l: string) => setLng(l);
    i18n.on('languageChanged', on);
    return () => i18n.off('languageChanged', on);
  }, [i18n]);
  const locale = ANTD_LOCALES[isLocale(lng) ? lng : 'zh-CN'];
  return (
    <ConfigProvider
      locale={locale}
      theme={{
        token: {
          colorPrimary: '#1f5f99',
          borderRadius: 6,
          fontFamily: `-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'PingFang TC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans', Roboto, 'Helvetica Neue', Arial, sans-serif`,
        },
        components: { Layout: { siderBg: '#0f2b46', triggerBg: '#0b2238' }, Menu: { darkItemBg: '#0f2b46', darkSubMenuItemBg: '#0b2238' } },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <LocalisedShell>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </LocalisedShell>
    </QueryClientProvider>
  );
}
