import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Queryable } from '../../db/connection.js';
import type { PositionCreateRequest, PositionUpdateRequest } from '../../contracts/unit.js';
import { AppError, notFound } from '../../server/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Actor } from '../iam/actor.js';
import { position } from './schema.js';

export async function listPositions(q: Queryable, orgId: string) {
  return q.select().from(position).where(eq(position.orgId, orgId)).orderBy(asc(position.code));
}

export async function createPosition(db: Db, actor: Actor, input: z.infer<typeof PositionCreateRequest>) {
  return db.transaction(async (tx) => {
    await assertCodeFree(tx, actor.orgId, input.code);
    const [created] = await tx
      .insert(position)
      .values({ orgId: actor.orgId, ...input })
      .returning();
    await recordAudit(tx, actor, actor.orgId, { action: 'create', entity: 'position', entityId: created!.id, after: created });
    return created!;
  });
}

export async function updatePosition(db: Db, actor: Actor, id: string, input: z.infer<typeof PositionUpdateRequest>) {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(position)
      .where(and(eq(position.orgId, actor.orgId), eq(position.id, id)));
    if (!before) throw notFound();
    if (input.code && input.code !== before.code) await assertCodeFree(tx, actor.orgId, input.code);
    const { version, ...changes } = input;
    const [after] = await tx
      .update(position)
      .set({ ...changes, version: before.version + 1 })
      .where(and(eq(position.id, id), eq(position.version, version)))
      .returning();
    if (!after) throw new AppError('version_conflict');
    await recordAudit(tx, actor, actor.orgId, { action: 'update', entity: 'position', entityId: id, before, after });
    return after;
  });
}

async function assertCodeFree(q: Queryable, orgId: string, code: string): Promise<void> {
  const [dup] = await q
    .select({ id: position.id })
    .from(position)
    .where(and(eq(position.orgId, orgId), eq(position.code, code)));
  if (dup) throw new AppError('duplicate', [{ field: 'code', reason: 'duplicate' }], { field: 'code' });
}
