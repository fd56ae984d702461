import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import 'dayjs/locale/zh-tw.js';
import 'dayjs/locale/vi.js';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale as AntdLocale } from 'antd/es/locale/index.js';
import enUS from 'antd/es/locale/en_US.js';
import viVN from 'antd/es/locale/vi_VN.js';
import zhCN from 'antd/es/locale/zh_CN.js';
import zhTW from 'antd/es/locale/zh_TW.js';
import en from '../../../src/i18n/locales/en.json' with { type: 'json' };
import vi from '../../../src/i18n/locales/vi.json' with { type: 'json' };
import zhCNMessages from '../../../src/i18n/locales/zh-CN.json' with { type: 'json' };
import zhTWMessages from '../../../src/i18n/locales/zh-TW.json' with { type: 'json' };
import { LOCALES, type Locale } from '../../../src/contracts/vocab.js';
import { setApiLanguage } from '../api/api-client.js';

export { LOCALES, type Locale };

const STORAGE_KEY = 'muster.lang';

/** Native names: a user who cannot read the current language must still find their own. */
export const LOCALE_NAMES: Record<Locale, string> = {
  'zh-CN': '简体中文',
  'zh-TW': '繁體中文',
  vi: 'Tiếng Việt',
  en: 'English',
};

// antd's .d.ts files are typed as CommonJS under NodeNext; at runtime Vite hands us the ES default export.
const esDefault = (m: unknown): AntdLocale => ((m as { default?: AntdLocale }).default ?? m) as AntdLocale;
export const ANTD_LOCALES: Record<Locale, AntdLocale> = {
  'zh-CN': esDefault(zhCN),
  'zh-TW': esDefault(zhTW),
  vi: esDefault(viVN),
  en: esDefault(enUS),
};
const DAYJS_LOCALES: Record<Locale, string> = { 'zh-CN': 'zh-cn', 'zh-TW': 'zh-tw', vi: 'vi', en: 'en' };

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLocale(stored)) return stored;
  for (const l of navigator.languages ?? [navigator.language]) {
    const lower = l.toLowerCase();
    if (lower.startsWith('zh')) return /tw|hk|mo|hant/.test(lower) ? 'zh-TW' : 'zh-CN';
    if (lower.startsWith('vi')) return 'vi';
    if (lower.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

const first = initialLocale();
void i18next.use(initReactI18next).init({
  resources: {
    en: { translation: en },
    vi: { translation: vi },
    'zh-CN': { translation: zhCNMessages },
    'zh-TW': { translation: zhTWMessages },
  },
  lng: first,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
applySideEffects(first);

function applySideEffects(locale: Locale): void {
  setApiLanguage(locale);
  dayjs.locale(DAYJS_LOCALES[locale]);
  document.documentElement.lang = locale;
}

/** Switches every layer that speaks a language: i18next, dayjs, the API's Accept-Language, <html lang>. */
export async function changeLocale(locale: Locale): Promise<void> {
  localStorage.setItem(STORAGE_KEY, locale);
  applySideEffects(locale);
  await i18next.changeLanguage(locale);
}

export function currentLocale(): Locale {
  return isLocale(i18next.language) ? i18next.language : 'zh-CN';
}

export { i18next };
