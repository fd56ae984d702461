import { sql, type SQL } from 'drizzle-orm';
import type { Permission } from '../../contracts/vocab.js';
import { scopePathsFor, type Actor } from '../iam/actor.js';

/** Escapes LIKE wildcards in user or path input. */
export const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** `id IN (units inside the given subtrees)`; the subtree match is one indexed prefix scan per path. */
export function unitsUnderPaths(orgId: string, paths: string[]): SQL {
  return sql`(SELECT id FROM org_unit WHERE org_id = ${orgId} AND (${sql.join(
    paths.map((p) => sql`path LIKE ${likeEscape(p) + '%'}`),
    sql` OR `,
  )}))`;
}

/**
 * The data-layer scope rule for people, used by every query that reads them (list, search, facets,
 * export, profile, dashboard): a person is visible where the permission holds over their serving unit
 * or their home unit (dual management), or when it is the actor's own record.
 */
export function personScope(actor: Actor, permission: Permission, alias = 'p'): SQL {
  const paths = scopePathsFor(actor, permission);
  const a = sql.raw(alias);
  if (actor.orgWide[permission]) return sql`${a}.org_id = ${actor.orgId}`;
  const parts: SQL[] = [];
  if (paths.length) {
    const units = unitsUnderPaths(actor.orgId, paths);
    parts.push(sql`${a}.unit_id IN ${units}`, sql`${a}.home_unit_id IN ${units}`);
  }
  if (permission === 'person.read' && actor.personId) parts.push(sql`${a}.id = ${actor.personId}`);
  if (!parts.length) return sql`false`;
  return sql`(${a}.org_id = ${actor.orgId} AND (${sql.join(parts, sql` OR `)}))`;
}
