import { z } from 'zod';
import { LOCALES, PERMISSIONS, ROLES } from './vocab.js';

export const LoginRequest = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const MeResponse = z.object({
  userId: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  personId: z.uuid().nullable(),
  locale: z.enum(LOCALES),
  orgId: z.uuid(),
  orgName: z.string(),
  timeZone: z.string(),
  rotationYears: z.number(),
  csrfToken: z.string(),
  roles: z.array(z.object({ role: z.enum(ROLES), scopeUnitId: z.uuid() })),
  permissions: z.array(z.enum(PERMISSIONS)),
  /** Signed in with a password an administrator issued: the console asks for a new one before anything else. */
  mustChangePassword: z.boolean(),
});
export type MeResponse = z.infer<typeof MeResponse>;

export const LocaleRequest = z.object({ locale: z.enum(LOCALES) });
