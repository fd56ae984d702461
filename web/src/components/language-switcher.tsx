import { GlobalOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../api/auth.js';
import { useApiError } from '../api/use-api-error.js';
import { isLocale, LOCALE_NAMES, LOCALES, type Locale } from '../i18n/i18n.js';

export function LanguageSwitcher({ variant = 'outlined' }: { variant?: 'outlined' | 'borderless' }) {
  const { i18n, t } = useTranslation();
  const { setLocale } = useAuth();
  const onError = useApiError();
  return (
    <Select<Locale>
      value={isLocale(i18n.language) ? i18n.language : 'zh-CN'}
      onChange={(l) => void setLocale(l).catch(onError)}
      options={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
      variant={variant}
      prefix={<GlobalOutlined />}
      popupMatchSelectWidth={false}
      aria-label={t('common.language')}
      data-testid="language-switcher"
      style={{ minWidth: 150 }}
    />
  );
}
