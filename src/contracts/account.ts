import { z } from 'zod';
import { Uuid } from './common.js';
import { LOCALES, ROLES } from './vocab.js';

/** Password policy (NIST SP 800-63B style): length over composition rules, and no obvious choices. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;
const COMMON_PASSWORDS = new Set([
  'password1234',
  'password12345',
  'password123456',
  '123456789012',
  '1234567890123',
  'qwertyuiopas',
  'qwerty123456',
  '111111111111',
  'iloveyou1234',
  'administrator',
  'muster-demo1',
  'changeme1234',
  'welcome12345',
]);

export type PasswordProblem = { reason: string; params?: Record<string, string | number> };

/** The checks beyond length that need the account's user name; shared by the server and the console. */
export function passwordProblems(password: string, username?: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN) problems.push({ reason: 'too_short', params: { min: PASSWORD_MIN } });
  if (chars.length > PASSWORD_MAX) problems.push({ reason: 'too_long', params: { max: PASSWORD_MAX } });
  const lower = password.toLowerCase();
  if (username && username.length >= 3 && lower.includes(username.toLowerCase())) problems.push({ reason: 'password_contains_username' });
  if (COMMON_PASSWORDS.has(lower) || new Set(chars).size < 4) problems.push({ reason: 'password_common' });
  return problems;
}

export const Password = z.string().min(1).max(PASSWORD_MAX);
export const Username = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
export const DisplayName = z.string().trim().min(1).max(100);

export const ACCOUNT_STATUSES = ['active', 'disabled', 'locked'] as const;
export const ACCOUNT_SORTS = ['username', 'displayName', 'createdAt'] as const;

export const GrantInput = z.object({ role: z.enum(ROLES), scopeUnitId: Uuid });
export type GrantInput = z.infer<typeof GrantInput>;
/** Every account holds at least one grant: a grant's subtree is what places the account in an administrator's scope. */
export const Grants = z.array(GrantInput).min(1).max(50);

export const AccountListRequest = z.object({
  q: z.string().trim().max(100).optional(),
  role: z.enum(ROLES).optional(),
  /** Accounts holding a grant over this unit or a unit below it. */
  unitId: Uuid.optional(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  sort: z.enum(ACCOUNT_SORTS).default('username'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type AccountListRequest = z.infer<typeof AccountListRequest>;

export const AccountGrant = z.object({ role: z.enum(ROLES), scopeUnitId: Uuid, scopeUnitName: z.string() });

export const AccountItem = z.object({
  id: Uuid,
  username: z.string(),
  displayName: z.string(),
  locale: z.enum(LOCALES),
  personId: Uuid.nullable(),
  personName: z.string().nullable(),
  disabled: z.boolean(),
  /** Set while sign-in is locked after repeated failures. */
  lockedUntil: z.string().nullable(),
  /** The password was issued by an administrator and must be changed at the next sign-in. */
  passwordTemporary: z.boolean(),
  createdAt: z.string(),
  grants: z.array(AccountGrant),
  /** Opaque concurrency token: send it back with a change; it changes whenever the account or its grants do. */
  version: z.string(),
});
export type AccountItem = z.infer<typeof AccountItem>;

export const AccountListResponse = z.object({ items: z.array(AccountItem), total: z.number() });
export type AccountListResponse = z.infer<typeof AccountListResponse>;

export const AccountCreateRequest = z.object({
  username: Username,
  displayName: DisplayName,
  locale: z.enum(LOCALES).default('zh-CN'),
  personId: Uuid.nullish(),
  grants: Grants,
  /** Omitted: the server generates a one-time password and returns it once. */
  password: Password.optional(),
});
export type AccountCreateRequest = z.infer<typeof AccountCreateRequest>;

export const AccountUpdateRequest = z.object({
  displayName: DisplayName.optional(),
  locale: z.enum(LOCALES).optional(),
  personId: Uuid.nullish(),
  disabled: z.boolean().optional(),
  // Given, the grants replace the account's own in the same transaction as the other fields.
  grants: Grants.optional(),
  version: z.string().min(1).max(64),
});
export type AccountUpdateRequest = z.infer<typeof AccountUpdateRequest>;

export const GrantsReplaceRequest = z.object({ grants: Grants, version: z.string().min(1).max(64) });

/** A create or reset answers with the account and, once, the password it generated (never stored in clear). */
export const AccountWithPassword = z.object({ account: AccountItem, oneTimePassword: z.string().nullable() });
export type AccountWithPassword = z.infer<typeof AccountWithPassword>;

export const ChangeOwnPasswordRequest = z.object({ currentPassword: Password, newPassword: Password });
