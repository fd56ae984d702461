import type { TFunction } from 'i18next';
import { ZodError, type core } from 'zod';

/** A field-level problem: `field` is the dotted path, `reason` a key under `reasons.` in the catalogue. */
export type ErrorDetail = {
  field: string;
  reason: string;
  params?: Record<string, string | number>;
  /** Set by the error handler: the localised sentence naming the field and the reason. */
  message?: string;
  /** Import reports: the spreadsheet row (1-based, as the user sees it) and the value read. */
  row?: number;
  value?: string;
};

export type ErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'account_locked'
  | 'rate_limited'
  | 'csrf'
  | 'forbidden'
  | 'not_found'
  | 'version_conflict'
  | 'duplicate'
  | 'invalid_move'
  | 'unit_not_empty'
  | 'import_has_errors'
  | 'import_unreadable'
  | 'job_not_finished'
  | 'last_admin'
  | 'own_account'
  | 'password_change_required'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  account_locked: 423,
  rate_limited: 429,
  csrf: 403,
  forbidden: 403,
  not_found: 404,
  version_conflict: 409,
  duplicate: 409,
  invalid_move: 409,
  unit_not_empty: 409,
  import_has_errors: 422,
  import_unreadable: 400,
  job_not_finished: 409,
  last_admin: 409,
  own_account: 409,
  password_change_required: 403,
  internal: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details: ErrorDetail[] = [],
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.status = STATUS[code];
  }
}

export const notFound = (): AppError => new AppError('not_found');
export const forbidden = (): AppError => new AppError('forbidden');
export const invalid = (field: string, reason: string, params?: Record<string, string | number>): AppError =>
  new AppError('validation', [{ field, reason, ...(params ? { params } : {}) }]);

/** Maps zod's issue codes onto the catalogue's reasons, so every validation error reads the same way. */
export function detailsFromZod(error: ZodError | { issues: core.$ZodIssue[] }, prefix = ''): ErrorDetail[] {
  return error.issues.map((issue): ErrorDetail => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    switch (issue.code) {
      case 'invalid_type':
        return { field, reason: issue.input === undefined || issue.input === null ? 'required' : 'invalid_type' };
      case 'too_big':
        return { field, reason: issue.origin === 'string' ? 'too_long' : 'too_big', params: { max: Number(issue.maximum) } };
      case 'too_small':
        if (issue.origin === 'string' && Number(issue.minimum) === 1) return { field, reason: 'required' };
        return { field, reason: issue.origin === 'string' ? 'too_short' : 'too_small', params: { min: Number(issue.minimum) } };
      case 'invalid_value':
        return { field, reason: 'unknown_value', params: { allowed: issue.values.map(String).join(', ') } };
      case 'invalid_format':
        if (field.endsWith('nationalId')) return { field, reason: 'invalid_national_id' };
        return { field, reason: issue.format === 'date' ? 'invalid_date' : 'invalid_format' };
      case 'custom':
        return { field, reason: typeof issue.params?.reason === 'string' ? issue.params.reason : 'invalid' };
      default:
        return { field, reason: 'invalid' };
    }
  });
}

/** The one error shape: `{ error: { code, message, details[] } }`, every string in the user's language. */
export function renderError(err: AppError, t: TFunction) {
  const params = { ...err.params };
  if (typeof params.field === 'string') params.field = t(`fields.${params.field}`, { defaultValue: params.field });
  return {
    error: {
      code: err.code,
      message: t(`errors.${err.code}`, params),
      details: err.details.map((d) => localiseDetail(d, t)),
    },
  };
}

export function localiseDetail(d: ErrorDetail, t: TFunction): ErrorDetail {
  const leaf =
    d.field
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? d.field;
  const fieldLabel = t(`fields.${leaf}`, { defaultValue: leaf });
  const reason = t(`reasons.${d.reason}`, { ...d.params, defaultValue: d.reason });
  // Chinese runs words together; Vietnamese and English separate them.
  const sep = String((t as { lng?: string }).lng ?? '').startsWith('zh') ? '' : ' ';
  return { ...d, message: `${fieldLabel}${sep}${reason}`.trim() };
}
