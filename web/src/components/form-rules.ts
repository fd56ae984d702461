import type { Rule } from 'antd/es/form/index.js';
import type { TFunction } from 'i18next';
import type { z } from 'zod';

/**
 * A Form rule that runs the same zod schema the server validates with, and words the problem with the
 * same catalogue keys (fields.*, reasons.*), so client and server errors read identically.
 */
export function zodRule(schema: z.ZodType, field: string, t: TFunction): Rule {
  return {
    validator: async (_rule, value: unknown) => {
      const v = value === '' ? undefined : value;
      const r = schema.safeParse(v);
      if (r.success) return;
      const issue = r.error.issues[0];
      let reason = 'invalid';
      const params: Record<string, string | number> = {};
      if (issue) {
        switch (issue.code) {
          case 'invalid_type':
            reason = v === undefined || v === null ? 'required' : 'invalid_type';
            break;
          case 'too_big':
            reason = issue.origin === 'string' ? 'too_long' : 'too_big';
            params.max = Number(issue.maximum);
            break;
          case 'too_small':
            reason =
              issue.origin === 'string' && Number(issue.minimum) === 1 ? 'required' : issue.origin === 'string' ? 'too_short' : 'too_small';
            params.min = Number(issue.minimum);
            break;
          case 'invalid_format':
            reason = field === 'nationalId' ? 'invalid_national_id' : issue.format === 'date' ? 'invalid_date' : 'invalid_format';
            break;
          default:
            reason = 'invalid';
        }
      }
      const sep = t('common.wordSeparator', { defaultValue: ' ' }) === '' ? '' : ' ';
      throw new Error(`${t(`fields.${field}`)}${sep}${t(`reasons.${reason}`, params)}`);
    },
  };
}
