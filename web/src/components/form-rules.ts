import type { Rule } from 'antd/es/form/index.js';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { passwordProblems } from '../../../src/contracts/account.js';

/** "<field label> <reason>" from the catalogue keys the server words its errors with (fields.*, reasons.*). */
export function fieldMessage(t: TFunction, field: string, reason: string, params: Record<string, string | number> = {}): string {
  const sep = t('common.wordSeparator', { defaultValue: ' ' }) === '' ? '' : ' ';
  return `${t(`fields.${field}`)}${sep}${t(`reasons.${reason}`, params)}`;
}

export function requiredRule(field: string, t: TFunction): Rule {
  return { required: true, message: fieldMessage(t, field, 'required') };
}

/** The server's password policy (length, not containing the user name, not a common choice), checked as the user types. */
export function passwordRule(field: string, t: TFunction, username?: string): Rule {
  return {
    validator: async (_rule, value: unknown) => {
      if (!value) return;
      const [problem] = passwordProblems(String(value), username);
      if (problem) throw new Error(fieldMessage(t, field, problem.reason, problem.params));
    },
  };
}

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
      throw new Error(fieldMessage(t, field, reason, params));
    },
  };
}
