import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/connection.js';
import { queryRows } from '../../db/query-rows.js';
import type { UnitItem } from '../../contracts/unit.js';
import type { z } from 'zod';
import type { UnitCreateRequest, UnitMoveRequest, UnitUpdateRequest } from '../../contracts/unit.js';
import { AppError, notFound } from '../../server/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { scopePathsFor, unitPathInScope, type Actor } from '../iam/actor.js';
import { likeEscape, pathUnderAny } from './scope.sql.js';
import { orgUnit } from './schema.js';

/**
 * The units an actor may see: every subtree where they can read units or people, plus the
 * ancestors of those subtrees (marked out of scope) so the tree keeps its shape.
 */
export async function listUnits(q: Queryable, actor: Actor): Promise<UnitItem[]> {
  const paths = [...new Set([...scopePathsFor(actor, 'unit.read'), ...scopePathsFor(actor, 'person.read')])];
  if (!paths.length) return [];
  const ancestorIds = new Set(paths.flatMap((p) => p.split('/').filter(Boolean)));
  const rows = await queryRows(
    q,
    sql`SELECT u.id, u.parent_id, u.code, u.name, u.kind, u.depth, u.path, u.version, COALESCE(c.n, 0)::int AS direct
      FROM org_unit u
      LEFT JOIN (SELECT unit_id, count(*) AS n FROM person WHERE org_id = ${actor.orgId} AND status NOT IN ('retired', 'resigned')
        GROUP BY unit_id) c ON c.unit_id = u.id
      WHERE u.org_id = ${actor.orgId} AND (${pathUnderAny(sql`u.path`, paths)} OR u.id IN (${sql.join(
        [...ancestorIds].map((id) => sql`${id}::uuid`),
        sql`, `,
      )}))
      ORDER BY u.depth, u.code`,
  );
  // Subtree totals are rolled up here from direct counts: one GROUP BY instead of a count per unit.
  const subtree = new Map<string, number>();
  for (const r of rows) {
    for (const ancestor of String(r.path).split('/').filter(Boolean)) {
      subtree.set(ancestor, (subtree.get(ancestor) ?? 0) + Number(r.direct));
    }
  }
  return rows.map((r) => ({
    id: String(r.id),
    parentId: r.parent_id ? String(r.parent_id) : null,
    code: String(r.code),
    name: String(r.name),
    kind: String(r.kind),
    depth: Number(r.depth),
    path: String(r.path),
    version: Number(r.version),
    headcount: subtree.get(String(r.id)) ?? 0,
    directHeadcount: Number(r.direct),
    inScope: paths.some((p) => String(r.path).startsWith(p)),
  }));
}

export async function getUnit(q: Queryable, orgId: string, id: string) {
  const [u] = await q
    .select()
    .from(orgUnit)
    .where(and(eq(orgUnit.orgId, orgId), eq(orgUnit.id, id)));
  return u ?? null;
}

/** Loads a unit and fails as 'not found' when it lies outside the actor's scope, so its existence is not revealed. */
export async function requireUnitInScope(q: Queryable, actor: Actor, permission: Parameters<typeof unitPathInScope>[1], id: string) {
  const u = await getUnit(q, actor.orgId, id);
  if (!u || !unitPathInScope(actor, permission, u.path)) throw notFound();
  return u;
}

export async function createUnit(db: Db, actor: Actor, input: z.infer<typeof UnitCreateRequest>) {
  return db.transaction(async (tx) => {
    const parent = await requireUnitInScope(tx, actor, 'unit.write', input.parentId);
    await assertCodeFree(tx, actor.orgId, input.code);
    const id = crypto.randomUUID();
    const [created] = await tx
      .insert(orgUnit)
      .values({
        id,
        orgId: actor.orgId,
        parentId: parent.id,
        path: `${parent.path}${id}/`,
        depth: parent.depth + 1,
        code: input.code,
        name: input.name,
        kind: input.kind,
      })
      .returning();
    await recordAudit(tx, actor, actor.orgId, { action: 'create', entity: 'org_unit', entityId: id, unitId: id, after: created });
    return created!;
  });
}

export async function updateUnit(db: Db, actor: Actor, id: string, input: z.infer<typeof UnitUpdateRequest>) {
  return db.transaction(async (tx) => {
    const before = await requireUnitInScope(tx, actor, 'unit.write', id);
    if (input.code && input.code !== before.code) await assertCodeFree(tx, actor.orgId, input.code);
    const { version, ...changes } = input;
    const [after] = await tx
      .update(orgUnit)
      .set({ ...changes, version: before.version + 1 })
      .where(and(eq(orgUnit.id, id), eq(orgUnit.version, version)))
      .returning();
    if (!after) throw new AppError('version_conflict');
    await recordAudit(tx, actor, actor.orgId, { action: 'update', entity: 'org_unit', entityId: id, unitId: id, before, after });
    return after;
  });
}

/** Moves a unit with its whole subtree: one statement rewrites the path prefix of every descendant. */
export async function moveUnit(db: Db, actor: Actor, id: string, input: z.infer<typeof UnitMoveRequest>) {
  return db.transaction(async (tx) => {
    const unit = await requireUnitInScope(tx, actor, 'unit.write', id);
    const parent = await requireUnitInScope(tx, actor, 'unit.write', input.parentId);
    if (!unit.parentId || parent.path.startsWith(unit.path)) throw new AppError('invalid_move');
    if (unit.version !== input.version) throw new AppError('version_conflict');
    const newPath = `${parent.path}${unit.id}/`;
    const depthDelta = parent.depth + 1 - unit.depth;
    await tx.execute(sql`UPDATE org_unit SET path = ${newPath} || substr(path, ${unit.path.length + 1}),
        depth = depth + ${depthDelta}
      WHERE org_id = ${actor.orgId} AND path LIKE ${likeEscape(unit.path) + '%'}`);
    const [after] = await tx
      .update(orgUnit)
      .set({ parentId: parent.id, version: unit.version + 1 })
      .where(eq(orgUnit.id, id))
      .returning();
    await recordAudit(tx, actor, actor.orgId, {
      action: 'move',
      entity: 'org_unit',
      entityId: id,
      unitId: id,
      before: { parentId: unit.parentId, path: unit.path },
      after: { parentId: parent.id, path: newPath },
    });
    return after!;
  });
}

export async function deleteUnit(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const unit = await requireUnitInScope(tx, actor, 'unit.write', id);
    if (!unit.parentId) throw new AppError('unit_not_empty');
    const [busy] = await queryRows<{ busy: boolean }>(
      tx,
      sql`SELECT
        EXISTS (SELECT 1 FROM org_unit WHERE parent_id = ${id}) OR
        EXISTS (SELECT 1 FROM person WHERE unit_id = ${id} OR home_unit_id = ${id}) OR
        EXISTS (SELECT 1 FROM assignment WHERE unit_id = ${id}) AS busy`,
    );
    if (busy?.busy) throw new AppError('unit_not_empty');
    await tx.delete(orgUnit).where(eq(orgUnit.id, id));
    await recordAudit(tx, actor, actor.orgId, { action: 'delete', entity: 'org_unit', entityId: id, unitId: unit.parentId, before: unit });
  });
}

async function assertCodeFree(q: Queryable, orgId: string, code: string): Promise<void> {
  const [dup] = await q
    .select({ id: orgUnit.id })
    .from(orgUnit)
    .where(and(eq(orgUnit.orgId, orgId), eq(orgUnit.code, code)));
  if (dup) throw new AppError('duplicate', [{ field: 'code', reason: 'duplicate' }], { field: 'code' });
}

export async function listUnitsByCode(q: Queryable, orgId: string) {
  return q
    .select({ id: orgUnit.id, code: orgUnit.code, path: orgUnit.path, name: orgUnit.name })
    .from(orgUnit)
    .where(eq(orgUnit.orgId, orgId))
    .orderBy(asc(orgUnit.code));
}
