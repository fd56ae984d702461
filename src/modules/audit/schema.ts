import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Append-only: the app never updates or deletes rows here (enforced by grants in production). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: uuid('org_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    actorName: text('actor_name'),
    /** create | update | delete | move | read_sensitive | login | login_failed | import | approve | reject */
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: uuid('entity_id'),
    /** The unit the change belongs to, so auditors of a subtree see only theirs. */
    unitId: uuid('unit_id'),
    personId: uuid('person_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    ip: text('ip'),
  },
  (t) => [
    index('audit_org_at_idx').on(t.orgId, t.at),
    index('audit_person_idx').on(t.personId, t.at),
    index('audit_actor_idx').on(t.actorUserId, t.at),
    index('audit_unit_idx').on(t.unitId, t.at),
  ],
);
