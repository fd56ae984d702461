import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** A tenant: one agency. Every tenant-owned table carries org_id so the model shards by organisation. */
export const organisation = pgTable('organisation', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
  defaultLocale: text('default_locale').notNull().default('zh-CN'),
  /** Agency-level settings such as the rotation threshold in years. */
  settings: jsonb('settings').$type<{ rotationYears?: number }>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const appUser = pgTable(
  'app_user',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisation.id),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** The person record a staff member may see and propose edits to. */
    personId: uuid('person_id'),
    locale: text('locale').notNull().default('zh-CN'),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('app_user_username_uq').on(sql`lower(${t.username})`)],
);

/** A role held over an org-unit subtree; a user may hold several. */
export const roleGrant = pgTable(
  'role_grant',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    scopeUnitId: uuid('scope_unit_id').notNull(),
  },
  (t) => [index('role_grant_user_idx').on(t.userId)],
);

/** Server-side sessions keep the API stateless: any process can serve any request. */
export const session = pgTable(
  'session',
  {
    /** SHA-256 of the cookie token, so a leaked table does not leak live sessions. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('session_user_idx').on(t.userId), index('session_expires_idx').on(t.expiresAt)],
);
