import i18next, { type TFunction } from 'i18next';
import en from '../i18n/locales/en.json' with { type: 'json' };
import vi from '../i18n/locales/vi.json' with { type: 'json' };
import zhCN from '../i18n/locales/zh-CN.json' with { type: 'json' };
import zhTW from '../i18n/locales/zh-TW.json' with { type: 'json' };
import { LOCALES, type Locale } from '../contracts/vocab.js';

// One catalogue per language, the same files the console loads: a message is translated once.
const i18n = i18next.createInstance();
await i18n.init({
  resources: {
    en: { translation: en },
    vi: { translation: vi },
    'zh-CN': { translation: zhCN },
    'zh-TW': { translation: zhTW },
  },
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

export function translator(locale: Locale): TFunction {
  return i18n.getFixedT(locale);
}

/** Picks the best supported locale from a user preference or an Accept-Language header. */
export function resolveLocale(preferred: string | undefined | null, acceptLanguage?: string): Locale {
  const candidates = [preferred, ...(acceptLanguage ?? '').split(',').map((p) => p.split(';')[0]?.trim())];
  for (const c of candidates) {
    if (!c) continue;
    const exact = LOCALES.find((l) => l.toLowerCase() === c.toLowerCase());
    if (exact) return exact;
    const lower = c.toLowerCase();
    if (lower.startsWith('zh')) return /tw|hk|mo|hant/.test(lower) ? 'zh-TW' : 'zh-CN';
    if (lower.startsWith('vi')) return 'vi';
    if (lower.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}
