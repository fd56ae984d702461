import { useTranslation } from 'react-i18next';
import { useMemo } from 'react';

/**
 * Locale-aware formatting. Calendar dates from the API are plain YYYY-MM-DD, so they are formatted
 * in UTC to stop the browser's time zone shifting them by a day; instants use the organisation's zone.
 */
export function useFormat(timeZone?: string) {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return useMemo(() => {
    const dateFmt = new Intl.DateTimeFormat(lng, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
    const dateTimeFmt = new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
    const numFmt = new Intl.NumberFormat(lng);
    const oneDecimal = new Intl.NumberFormat(lng, { maximumFractionDigits: 1 });
    return {
      date: (d: string | null | undefined) => (d ? dateFmt.format(new Date(`${d.slice(0, 10)}T00:00:00Z`)) : '—'),
      dateTime: (d: string | null | undefined) => (d ? dateTimeFmt.format(new Date(d)) : '—'),
      number: (n: number | null | undefined) => (n === null || n === undefined ? '—' : numFmt.format(n)),
      years: (n: number | null | undefined) => (n === null || n === undefined ? '—' : oneDecimal.format(n)),
    };
  }, [lng, timeZone]);
}
