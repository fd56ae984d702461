import type { Locale, Permission, Role } from '../../contracts/vocab.js';

/** Who is acting, and where: built once per request from the session and the role grants. */
export type Actor = {
  userId: string;
  orgId: string;
  username: string;
  displayName: string;
  personId: string | null;
  locale: Locale;
  roles: { role: Role; scopeUnitId: string; scopePath: string }[];
  /** For each permission, the unit-path prefixes (subtrees) where it holds; minimal, no nested duplicates. */
  scopes: Partial<Record<Permission, string[]>>;
  /** Permissions held over every root of the organisation: scope reduces to the tenant, no subtree test. */
  orgWide: Partial<Record<Permission, boolean>>;
  sessionId: string;
  csrfToken: string;
  /** Signed in with a password an administrator issued: only changing it is allowed until then. */
  mustChangePassword?: boolean;
  requestId?: string;
  ip?: string;
};

export function can(actor: Actor, permission: Permission): boolean {
  return (actor.scopes[permission]?.length ?? 0) > 0;
}

export function scopePathsFor(actor: Actor, permission: Permission): string[] {
  return actor.scopes[permission] ?? [];
}

/** True when the unit (by its path) lies inside a subtree where the permission holds. */
export function unitPathInScope(actor: Actor, permission: Permission, unitPath: string): boolean {
  return scopePathsFor(actor, permission).some((p) => unitPath.startsWith(p));
}

/** Drops paths that lie inside another path of the list: '/a/' already covers '/a/b/'. */
export function minimalPaths(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept;
}
