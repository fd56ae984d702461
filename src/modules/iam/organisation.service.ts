import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { todayIn } from '../registry/dates.js';
import { organisation } from './schema.js';

export type OrgContext = { id: string; name: string; timeZone: string; rotationYears: number };

const cache = new Map<string, { value: OrgContext; at: number }>();

/** Time zone and settings change rarely; a short cache spares a query per request without going stale for long. */
export async function getOrgContext(q: Queryable, orgId: string): Promise<OrgContext> {
  const hit = cache.get(orgId);
  if (hit && Date.now() - hit.at < 30_000) return hit.value;
  const [row] = await q.select().from(organisation).where(eq(organisation.id, orgId));
  if (!row) throw new Error(`organisation ${orgId} not found`);
  const value = { id: row.id, name: row.name, timeZone: row.timeZone, rotationYears: row.settings.rotationYears ?? 5 };
  cache.set(orgId, { value, at: Date.now() });
  return value;
}

export async function orgToday(q: Queryable, orgId: string): Promise<string> {
  return todayIn((await getOrgContext(q, orgId)).timeZone);
}

export async function updateOrgSettings(q: Queryable, orgId: string, settings: { rotationYears?: number }): Promise<void> {
  const [row] = await q.select().from(organisation).where(eq(organisation.id, orgId));
  if (!row) return;
  await q
    .update(organisation)
    .set({ settings: { ...row.settings, ...settings } })
    .where(eq(organisation.id, orgId));
  cache.delete(orgId);
}
