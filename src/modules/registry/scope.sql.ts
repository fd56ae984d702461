import { sql, type SQL } from 'drizzle-orm';
import type { Permission } from '../../contracts/vocab.js';
import { scopePathsFor, type Actor } from '../iam/actor.js';

/** Escapes LIKE wildcards in user or path input. */
export const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** `column` (a unit path) lies inside one of the subtrees: one indexed prefix match per path. */
export function pathUnderAny(column: SQL, paths: readonly string[]): SQL {
  return sql`(${sql.join(
    paths.map((p) => sql`${column} LIKE ${likeEscape(p) + '%'}`),
    sql` OR `,
  )})`;
}

/** `id IN (units inside the given subtrees)`. */
export function unitsUnderPaths(orgId: string, paths: readonly string[]): SQL {
  return sql`(SELECT id FROM org_unit WHERE org_id = ${orgId} AND ${pathUnderAny(sql`path`, paths)})`;
}

/**
 * Who a permission lets the actor see among people: the whole organisation, or the units under their
 * grant paths plus (for reading) their own record. The one place this is decided; `personScope` turns
 * it into a predicate and the search uses the same units to choose its access path.
 */
export type PersonScopeParts = { orgWide: true } | { orgWide: false; units: SQL | null; self: string | null };

export function personScopeParts(actor: Actor, permission: Permission): PersonScopeParts {
  if (actor.orgWide[permission]) return { orgWide: true };
  const paths = scopePathsFor(actor, permission);
  return {
    orgWide: false,
    units: paths.length ? unitsUnderPaths(actor.orgId, paths) : null,
    self: permission === 'person.read' && actor.personId ? actor.personId : null,
  };
}

/**
 * The data-layer scope rule for people, used by every query that reads them (list, search, facets,
 * export, profile, dashboard): a person is visible where the permission holds over their serving unit
 * or their home unit (dual management), or when it is the actor's own record.
 */
export function personScope(actor: Actor, permission: Permission, alias = 'p'): SQL {
  const scope = personScopeParts(actor, permission);
  const a = sql.raw(alias);
  if (scope.orgWide) return sql`${a}.org_id = ${actor.orgId}`;
  const parts: SQL[] = [];
  if (scope.units) parts.push(sql`${a}.unit_id IN ${scope.units}`, sql`${a}.home_unit_id IN ${scope.units}`);
  if (scope.self) parts.push(sql`${a}.id = ${scope.self}`);
  if (!parts.length) return sql`false`;
  return sql`(${a}.org_id = ${actor.orgId} AND (${sql.join(parts, sql` OR `)}))`;
}
