import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/connection.js';
import { ROLE_PERMISSIONS, type Locale, type Permission, type Role } from '../../contracts/vocab.js';
import { AppError } from '../../server/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { orgUnit } from '../registry/schema.js';
import { minimalPaths, type Actor } from './actor.js';
import { DUMMY_HASH_PROMISE, hashPassword, isTemporaryHash, verifyPassword } from './password.js';
import { appUser, roleGrant, session } from './schema.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export type LoginResult = { token: string; csrfToken: string; expiresAt: Date; userId: string };

export async function login(db: Db, input: { username: string; password: string; ip?: string }, ttlHours: number): Promise<LoginResult> {
  const [user] = await db
    .select()
    .from(appUser)
    .where(sql`lower(${appUser.username}) = lower(${input.username})`);
  if (!user || user.disabled) {
    await verifyPassword(input.password, await DUMMY_HASH_PROMISE);
    throw new AppError('invalid_credentials');
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    throw new AppError('account_locked', [], { until: user.lockedUntil.toISOString() });
  }
  const ok = await verifyPassword(input.password, user.passwordHash);
  const actorRef = { orgId: user.orgId, userId: user.id, displayName: user.displayName, ip: input.ip };
  if (!ok) {
    const failed = user.failedLogins + 1;
    const lock = failed >= MAX_FAILED_LOGINS ? new Date(Date.now() + LOCKOUT_MINUTES * 60_000) : null;
    await db.transaction(async (tx) => {
      await tx
        .update(appUser)
        .set({ failedLogins: lock ? 0 : failed, lockedUntil: lock })
        .where(eq(appUser.id, user.id));
      await recordAudit(tx, actorRef, user.orgId, {
        action: lock ? 'account_locked' : 'login_failed',
        entity: 'app_user',
        entityId: user.id,
      });
    });
    if (lock) throw new AppError('account_locked', [], { until: lock.toISOString() });
    throw new AppError('invalid_credentials');
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await db.transaction(async (tx) => {
    await tx.update(appUser).set({ failedLogins: 0, lockedUntil: null }).where(eq(appUser.id, user.id));
    await tx.insert(session).values({ id: sha256(token), userId: user.id, orgId: user.orgId, csrfToken, expiresAt });
    await tx.delete(session).where(lt(session.expiresAt, new Date()));
    await recordAudit(tx, actorRef, user.orgId, { action: 'login', entity: 'app_user', entityId: user.id });
  });
  return { token, csrfToken, expiresAt, userId: user.id };
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.delete(session).where(eq(session.id, sha256(token)));
}

/** Resolves a session cookie to an actor; slides the expiry at most once a minute to spare writes. */
export async function loadActor(db: Db, token: string, ttlHours: number): Promise<Actor | null> {
  const id = sha256(token);
  const [row] = await db
    .select({ s: session, u: appUser })
    .from(session)
    .innerJoin(appUser, eq(appUser.id, session.userId))
    .where(and(eq(session.id, id), gt(session.expiresAt, new Date())));
  if (!row || row.u.disabled) return null;
  if (Date.now() - row.s.lastSeenAt.getTime() > 60_000) {
    await db
      .update(session)
      .set({ lastSeenAt: new Date(), expiresAt: new Date(Date.now() + ttlHours * 3_600_000) })
      .where(eq(session.id, id));
  }
  return buildActor(db, row.u, id, row.s.csrfToken);
}

export async function buildActor(q: Queryable, user: typeof appUser.$inferSelect, sessionId: string, csrfToken: string): Promise<Actor> {
  // One query per request: the grants, and how many roots the organisation has (for org-wide scope).
  const grants = await q
    .select({
      role: roleGrant.role,
      scopeUnitId: roleGrant.scopeUnitId,
      scopePath: orgUnit.path,
      isRoot: sql<boolean>`${orgUnit.parentId} IS NULL`,
      rootCount: sql<number>`(SELECT count(*)::int FROM org_unit r WHERE r.org_id = ${user.orgId} AND r.parent_id IS NULL)`,
    })
    .from(roleGrant)
    .innerJoin(orgUnit, eq(orgUnit.id, roleGrant.scopeUnitId))
    .where(eq(roleGrant.userId, user.id));
  const byPermission = new Map<Permission, string[]>();
  for (const g of grants) {
    for (const p of ROLE_PERMISSIONS[g.role as Role] ?? []) {
      byPermission.set(p, [...(byPermission.get(p) ?? []), g.scopePath]);
    }
  }
  const scopes: Actor['scopes'] = {};
  for (const [p, paths] of byPermission) scopes[p] = minimalPaths(paths);
  const rootCount = Number(grants[0]?.rootCount ?? 0);
  const rootPaths = new Set(grants.filter((g) => g.isRoot).map((g) => g.scopePath));
  const orgWide: Actor['orgWide'] = {};
  for (const [p, paths] of Object.entries(scopes) as [Permission, string[]][]) {
    orgWide[p] = rootCount > 0 && paths.filter((path) => rootPaths.has(path)).length === rootCount;
  }
  return {
    userId: user.id,
    orgId: user.orgId,
    username: user.username,
    displayName: user.displayName,
    personId: user.personId,
    locale: user.locale as Locale,
    roles: grants.map((g) => ({ role: g.role as Role, scopeUnitId: g.scopeUnitId, scopePath: g.scopePath })),
    scopes,
    orgWide,
    sessionId,
    csrfToken,
    mustChangePassword: isTemporaryHash(user.passwordHash),
  };
}

export async function createUser(
  q: Queryable,
  input: {
    orgId: string;
    username: string;
    displayName: string;
    password: string;
    personId?: string | null;
    locale?: Locale;
    grants: { role: Role; scopeUnitId: string }[];
  },
): Promise<string> {
  const [user] = await q
    .insert(appUser)
    .values({
      orgId: input.orgId,
      username: input.username,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      personId: input.personId ?? null,
      locale: input.locale ?? 'zh-CN',
    })
    .returning({ id: appUser.id });
  const userId = user!.id;
  if (input.grants.length) {
    await q.insert(roleGrant).values(input.grants.map((g) => ({ orgId: input.orgId, userId, ...g })));
  }
  return userId;
}

export async function setUserLocale(db: Db, userId: string, locale: Locale): Promise<void> {
  await db.update(appUser).set({ locale }).where(eq(appUser.id, userId));
}
