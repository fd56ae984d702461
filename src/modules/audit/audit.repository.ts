import { and, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AuditAction, AuditEntity } from '../../contracts/vocab.js';
import type { Queryable } from '../../db/connection.js';
import type { Actor } from '../iam/actor.js';
import { scopePathsFor } from '../iam/actor.js';
import { unitsUnderPaths } from '../registry/scope.sql.js';
import { auditLog } from './schema.js';

export type AuditEntry = {
  action: AuditAction;
  entity: AuditEntity;
  entityId?: string | null;
  unitId?: string | null;
  personId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** Written with the same transaction handle as the change it records, so both commit or neither. */
export async function recordAudit(
  q: Queryable,
  actor: Pick<Actor, 'orgId' | 'userId' | 'displayName' | 'requestId' | 'ip'> | null,
  orgId: string,
  entry: AuditEntry,
): Promise<void> {
  await q.insert(auditLog).values({
    orgId,
    actorUserId: actor?.userId ?? null,
    actorName: actor?.displayName ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    unitId: entry.unitId ?? null,
    personId: entry.personId ?? null,
    before: (entry.before ?? null) as object | null,
    after: (entry.after ?? null) as object | null,
    requestId: actor?.requestId ?? null,
    ip: actor?.ip ?? null,
  });
}

export type AuditQuery = {
  personId?: string | undefined;
  actorUserId?: string | undefined;
  unitId?: string | undefined;
  entity?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Keyset cursor: entries with an id below this one. */
  beforeId?: number | undefined;
  limit: number;
};

/**
 * Auditors see entries of units inside their subtrees; entries without a unit (logins,
 * organisation settings) only when their scope includes the organisation root.
 */
export async function listAudit(q: Queryable, actor: Actor, query: AuditQuery) {
  const paths = scopePathsFor(actor, 'audit.read');
  const rootScoped = paths.some((p) => p.split('/').filter(Boolean).length === 1);
  const unitScope = paths.length ? sql`${auditLog.unitId} IN ${unitsUnderPaths(actor.orgId, paths)}` : sql`false`;
  const conds: (SQL | undefined)[] = [
    eq(auditLog.orgId, actor.orgId),
    rootScoped ? or(unitScope, sql`${auditLog.unitId} IS NULL`) : unitScope,
    query.personId ? eq(auditLog.personId, query.personId) : undefined,
    query.actorUserId ? eq(auditLog.actorUserId, query.actorUserId) : undefined,
    query.unitId
      ? sql`${auditLog.unitId} IN (SELECT id FROM org_unit WHERE path LIKE (SELECT path FROM org_unit WHERE id = ${query.unitId}) || '%')`
      : undefined,
    query.entity ? eq(auditLog.entity, query.entity) : undefined,
    query.action ? eq(auditLog.action, query.action) : undefined,
    query.from ? gte(auditLog.at, new Date(query.from)) : undefined,
    query.to ? lte(auditLog.at, new Date(query.to)) : undefined,
    query.beforeId ? lt(auditLog.id, query.beforeId) : undefined,
  ];
  return q
    .select()
    .from(auditLog)
    .where(and(...conds))
    .orderBy(desc(auditLog.id))
    .limit(query.limit);
}
