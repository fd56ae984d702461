import { App, Button } from 'antd';
import type { FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api-client.js';

/**
 * One way to show a failed call: field details beside the matching form fields, everything else in a
 * notification, and a version conflict as a dialog that offers the reload the user needs.
 */
export function useApiError() {
  const { notification, modal } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    (err: unknown, form?: FormInstance, fieldMap: Record<string, string> = {}) => {
      if (!(err instanceof ApiError)) {
        notification.error({ title: t('common.error'), description: err instanceof Error ? err.message : String(err) });
        return;
      }
      if (err.code === 'unauthenticated') return; // the router sends the user to the sign-in page
      if (err.code === 'version_conflict') {
        modal.warning({
          title: t('common.conflictTitle'),
          content: err.message,
          okText: t('common.reload'),
          onOk: () => window.location.reload(),
          okButtonProps: { 'data-testid': 'conflict-reload' } as Record<string, string>,
        });
        return;
      }
      const unplaced: string[] = [];
      if (form) {
        // Only fields rendered in this form can show an error beside them.
        const registered = new Set(Object.keys(form.getFieldsValue() as Record<string, unknown>));
        // A row of a list (grants.1.scopeUnitId) shows its problem beside that row when the row has that field.
        const rendered = new Map(form.getFieldsError().map(({ name }) => [name.join('.'), name]));
        const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
        const place = (key: string, name: (string | number)[], msg: string) =>
          byField.set(key, { name, errors: [...(byField.get(key)?.errors ?? []), msg] });
        for (const d of err.details) {
          const [top = d.field, ...rest] = d.field.split('.');
          const name = fieldMap[top] ?? top;
          const path = [name, ...rest].join('.');
          const msg = d.message ?? d.reason;
          const row = rest.length ? rendered.get(path) : undefined;
          if (row) place(path, row, msg);
          else if (registered.has(name)) place(name, [name], msg);
          else unplaced.push(msg);
        }
        form.setFields([...byField.values()]);
        if (byField.size && !unplaced.length) return;
      } else unplaced.push(...err.details.map((d) => d.message ?? d.reason));
      notification.error({
        title: err.message,
        description: unplaced.length ? (
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {unplaced.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        ) : undefined,
      });
    },
    [notification, modal, t],
  );
}

export function ReloadButton() {
  const { t } = useTranslation();
  return <Button onClick={() => window.location.reload()}>{t('common.reload')}</Button>;
}
