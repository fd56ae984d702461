import { createHash } from 'node:crypto';
import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/connection.js';
import { queryRows } from '../../db/query-rows.js';
import {
  passwordProblems,
  type AccountCreateRequest,
  type AccountItem,
  type AccountListRequest,
  type AccountListResponse,
  type AccountUpdateRequest,
  type AccountWithPassword,
  type GrantInput,
} from '../../contracts/account.js';
import type { Locale, Role } from '../../contracts/vocab.js';
import { AppError, type ErrorDetail } from '../../server/errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import { likeEscape, pathUnderAny, personScope } from '../registry/scope.sql.js';
import { scopePathsFor, unitPathInScope, type Actor } from './actor.js';
import { generatePassword, hashPassword, hashTemporaryPassword, isTemporaryHash, verifyPassword } from './password.js';
import { appUser, roleGrant, session } from './schema.js';

const PERMISSION = 'account.manage' as const;

/**
 * The scope rule for accounts, applied in every query: an administrator manages an account when
 * every one of its grants lies inside a subtree where they hold account.manage. An account without
 * grants (or with a grant on a unit that no longer exists) belongs to no subtree: only an
 * administrator over the whole organisation sees it.
 */
function accountScope(actor: Actor, alias = 'u'): SQL {
  const a = sql.raw(alias);
  if (actor.orgWide[PERMISSION]) return sql`${a}.org_id = ${actor.orgId}`;
  const paths = scopePathsFor(actor, PERMISSION);
  if (!paths.length) return sql`false`;
  const inScope = pathUnderAny(sql`ou.path`, paths);
  return sql`(${a}.org_id = ${actor.orgId}
    AND EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = ${a}.id)
    AND NOT EXISTS (SELECT 1 FROM role_grant g LEFT JOIN org_unit ou ON ou.id = g.scope_unit_id AND ou.org_id = ${actor.orgId}
      WHERE g.user_id = ${a}.id AND NOT COALESCE(${inScope}, false)))`;
}

type UserRow = {
  id: string;
  username: string;
  display_name: string;
  locale: string;
  person_id: string | null;
  person_name: string | null;
  disabled: boolean;
  locked_until: Date | string | null;
  password_hash: string;
  created_at: Date | string;
};

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

/** A content hash of what a change can touch: a stale edit is refused without a version column. */
function versionOf(
  u: { username: string; displayName: string; locale: string; personId: string | null; disabled: boolean },
  grants: GrantInput[],
) {
  const g = grants.map((x) => `${x.role}@${x.scopeUnitId}`).sort();
  return createHash('sha256')
    .update(JSON.stringify([u.username, u.displayName, u.locale, u.personId, u.disabled, g]))
    .digest('base64url')
    .slice(0, 16);
}

/** Loads accounts with their grants (unit names included), keeping the order of `ids`. */
async function loadAccounts(q: Queryable, orgId: string, ids: string[]): Promise<AccountItem[]> {
  if (!ids.length) return [];
  const idList = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  // One after the other: inside a transaction both run on the same connection anyway.
  const users = await queryRows<UserRow>(
    q,
    sql`SELECT u.id, u.username, u.display_name, u.locale, u.person_id, p.full_name AS person_name, u.disabled,
          CASE WHEN u.locked_until > now() THEN u.locked_until END AS locked_until, u.password_hash, u.created_at
        FROM app_user u LEFT JOIN person p ON p.id = u.person_id AND p.org_id = u.org_id
        WHERE u.org_id = ${orgId} AND u.id IN (${idList})`,
  );
  const grants = await queryRows<{ user_id: string; role: string; scope_unit_id: string; unit_name: string | null; path: string | null }>(
    q,
    sql`SELECT g.user_id, g.role, g.scope_unit_id, ou.name AS unit_name, ou.path
        FROM role_grant g LEFT JOIN org_unit ou ON ou.id = g.scope_unit_id
        WHERE g.org_id = ${orgId} AND g.user_id IN (${idList})
        ORDER BY ou.path, g.role`,
  );
  const byId = new Map(users.map((u) => [String(u.id), u]));
  return ids.flatMap((id) => {
    const u = byId.get(id);
    if (!u) return [];
    const g = grants
      .filter((x) => String(x.user_id) === id)
      .map((x) => ({ role: x.role as Role, scopeUnitId: String(x.scope_unit_id), scopeUnitName: x.unit_name ?? '—' }));
    const base = {
      username: u.username,
      displayName: u.display_name,
      locale: u.locale as Locale,
      personId: u.person_id ? String(u.person_id) : null,
      disabled: u.disabled,
    };
    return [
      {
        id,
        ...base,
        personName: u.person_name,
        lockedUntil: iso(u.locked_until),
        passwordTemporary: isTemporaryHash(u.password_hash),
        createdAt: iso(u.created_at)!,
        grants: g,
        version: versionOf(base, g),
      },
    ];
  });
}

/** The audit image of an account: what an administrator can change, never the password hash. */
function auditImage(a: AccountItem) {
  return {
    username: a.username,
    displayName: a.displayName,
    locale: a.locale,
    personId: a.personId,
    disabled: a.disabled,
    lockedUntil: a.lockedUntil,
    grants: a.grants.map(({ role, scopeUnitId }) => ({ role, scopeUnitId })),
  };
}
/** Audit entries sit on the account's top-most grant, so auditors of that subtree see them. */
const auditUnit = (a: AccountItem): string | null => a.grants[0]?.scopeUnitId ?? null;

export async function listAccounts(q: Queryable, actor: Actor, req: AccountListRequest): Promise<AccountListResponse> {
  const conds: SQL[] = [accountScope(actor)];
  if (req.q) {
    const like = `%${likeEscape(req.q.toLowerCase())}%`;
    conds.push(sql`(lower(u.username) LIKE ${like} OR lower(u.display_name) LIKE ${like})`);
  }
  if (req.role) conds.push(sql`EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = u.id AND g.role = ${req.role})`);
  if (req.unitId) {
    conds.push(sql`EXISTS (SELECT 1 FROM role_grant g JOIN org_unit ou ON ou.id = g.scope_unit_id
      WHERE g.user_id = u.id AND ou.org_id = ${actor.orgId}
        AND ou.path LIKE (SELECT f.path || '%' FROM org_unit f WHERE f.id = ${req.unitId} AND f.org_id = ${actor.orgId}))`);
  }
  if (req.status === 'disabled') conds.push(sql`u.disabled`);
  if (req.status === 'locked') conds.push(sql`(NOT u.disabled AND u.locked_until > now())`);
  if (req.status === 'active') conds.push(sql`(NOT u.disabled AND (u.locked_until IS NULL OR u.locked_until <= now()))`);
  const where = sql.join(conds, sql` AND `);
  const dir = sql.raw(req.dir === 'desc' ? 'DESC' : 'ASC');
  const sortExpr = {
    username: sql`lower(u.username) COLLATE "C"`,
    displayName: sql`u.display_name COLLATE "C"`,
    createdAt: sql`u.created_at`,
  }[req.sort];
  const [rows, [count]] = await Promise.all([
    queryRows<{ id: string }>(
      q,
      sql`SELECT u.id FROM app_user u WHERE ${where} ORDER BY ${sortExpr} ${dir}, u.id ${dir} LIMIT ${req.limit} OFFSET ${req.offset}`,
    ),
    queryRows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM app_user u WHERE ${where}`),
  ]);
  return {
    items: await loadAccounts(
      q,
      actor.orgId,
      rows.map((r) => String(r.id)),
    ),
    total: Number(count?.n ?? 0),
  };
}

/** An account in the actor's scope, or 'not found' (its existence is not revealed). `lock` takes the row for a write. */
export async function getAccount(q: Queryable, actor: Actor, id: string, lock = false): Promise<AccountItem> {
  const [row] = await queryRows<{ id: string }>(
    q,
    sql`SELECT u.id FROM app_user u WHERE u.id = ${id} AND ${accountScope(actor)} ${lock ? sql`FOR UPDATE OF u` : sql``}`,
  );
  const [account] = row ? await loadAccounts(q, actor.orgId, [String(row.id)]) : [];
  if (!account) throw new AppError('not_found');
  return account;
}

/** Every granted subtree must lie inside the actor's own account.manage scope; duplicates collapse. */
async function checkGrants(q: Queryable, actor: Actor, grants: GrantInput[]): Promise<GrantInput[]> {
  const ids = [...new Set(grants.map((g) => g.scopeUnitId))];
  const units = await queryRows<{ id: string; path: string }>(
    q,
    sql`SELECT id, path FROM org_unit WHERE org_id = ${actor.orgId} AND id IN (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  const pathOf = new Map(units.map((u) => [String(u.id), u.path]));
  const details: ErrorDetail[] = [];
  grants.forEach((g, i) => {
    const path = pathOf.get(g.scopeUnitId);
    if (!path || !unitPathInScope(actor, PERMISSION, path)) details.push({ field: `grants.${i}.scopeUnitId`, reason: 'unknown_unit' });
  });
  if (details.length) throw new AppError('not_found', details);
  const seen = new Set<string>();
  return grants.filter((g) => {
    const key = `${g.role}@${g.scopeUnitId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function checkPerson(q: Queryable, actor: Actor, personId: string): Promise<void> {
  const [row] = await queryRows(q, sql`SELECT 1 FROM person p WHERE p.id = ${personId} AND ${personScope(actor, PERMISSION, 'p')}`);
  if (!row) throw new AppError('not_found', [{ field: 'personId', reason: 'unknown_person' }]);
}

function checkPolicy(password: string, username: string, field: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length)
    throw new AppError(
      'validation',
      problems.map((p) => ({ field, ...p })),
    );
}

/** Account writes of one organisation take turns, so two administrators cannot each remove the other as the last one. */
async function lockOrganisation(q: Queryable, orgId: string): Promise<void> {
  await q.execute(sql`SELECT id FROM organisation WHERE id = ${orgId} FOR NO KEY UPDATE`);
}

/** Enabled accounts holding `admin` over a root of the organisation: the ones who can still manage everything. */
async function countRootAdmins(q: Queryable, orgId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    q,
    sql`SELECT count(DISTINCT u.id)::int AS n FROM app_user u
      JOIN role_grant g ON g.user_id = u.id AND g.role = 'admin'
      JOIN org_unit ou ON ou.id = g.scope_unit_id AND ou.parent_id IS NULL AND ou.org_id = u.org_id
      WHERE u.org_id = ${orgId} AND NOT u.disabled`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Runs a change that may remove administrators, and refuses it (naming `field`) when it would leave
 * an organisation that had one with none. Callers hold the organisation lock.
 */
async function keepingAnAdmin(q: Queryable, orgId: string, field: string, change: () => Promise<void>): Promise<void> {
  const before = await countRootAdmins(q, orgId);
  await change();
  if (before > 0 && (await countRootAdmins(q, orgId)) === 0) throw new AppError('last_admin', [{ field, reason: 'last_admin' }]);
}

async function endSessions(q: Queryable, userId: string, keepSessionId?: string): Promise<number> {
  const cond = keepSessionId ? and(eq(session.userId, userId), ne(session.id, keepSessionId)) : eq(session.userId, userId);
  const ended = await q.delete(session).where(cond).returning({ id: session.id });
  return ended.length;
}

async function assertUsernameFree(q: Queryable, username: string): Promise<void> {
  const [dup] = await q
    .select({ id: appUser.id })
    .from(appUser)
    .where(sql`lower(${appUser.username}) = lower(${username})`);
  if (dup) throw duplicateUsername();
}
const duplicateUsername = () => new AppError('duplicate', [{ field: 'username', reason: 'duplicate' }], { field: 'username' });
const isUniqueViolation = (e: unknown): boolean => {
  const err = e as { code?: string; cause?: { code?: string } };
  return err.code === '23505' || err.cause?.code === '23505';
};

export async function createAccount(db: Db, actor: Actor, input: AccountCreateRequest): Promise<AccountWithPassword> {
  if (input.password !== undefined) checkPolicy(input.password, input.username, 'password');
  const oneTimePassword = input.password === undefined ? generatePassword() : null;
  // Hash outside the transaction: scrypt takes tens of milliseconds and holds no lock.
  const passwordHash = await hashTemporaryPassword(input.password ?? oneTimePassword!);
  try {
    return await db.transaction(async (tx) => {
      await lockOrganisation(tx, actor.orgId);
      const grants = await checkGrants(tx, actor, input.grants);
      if (input.personId) await checkPerson(tx, actor, input.personId);
      await assertUsernameFree(tx, input.username);
      const [user] = await tx
        .insert(appUser)
        .values({
          orgId: actor.orgId,
          username: input.username,
          displayName: input.displayName,
          passwordHash,
          personId: input.personId ?? null,
          locale: input.locale,
        })
        .returning({ id: appUser.id });
      await tx.insert(roleGrant).values(grants.map((g) => ({ orgId: actor.orgId, userId: user!.id, ...g })));
      const account = await getAccount(tx, actor, user!.id);
      await recordAudit(tx, actor, actor.orgId, {
        action: 'create',
        entity: 'app_user',
        entityId: account.id,
        unitId: auditUnit(account),
        after: { ...auditImage(account), passwordIssued: oneTimePassword ? 'generated' : 'set_by_admin' },
      });
      return { account, oneTimePassword };
    });
  } catch (e) {
    // Two creates racing for one name: the unique index on lower(username) decides, reported the same way.
    if (isUniqueViolation(e)) throw duplicateUsername();
    throw e;
  }
}

/**
 * Edits the profile and, when `grants` is given, replaces the grants: one transaction, one version
 * check, one audit entry with both before and after, so an edit is never left half saved.
 */
export async function updateAccount(db: Db, actor: Actor, id: string, input: AccountUpdateRequest): Promise<AccountItem> {
  return db.transaction(async (tx) => {
    await lockOrganisation(tx, actor.orgId);
    const before = await getAccount(tx, actor, id, true);
    if (before.version !== input.version) throw new AppError('version_conflict');
    if (input.disabled && id === actor.userId) throw new AppError('own_account', [{ field: 'disabled', reason: 'own_account' }]);
    if (input.personId) await checkPerson(tx, actor, input.personId);
    const grants = input.grants ? await checkGrants(tx, actor, input.grants) : null;
    const changes: Partial<typeof appUser.$inferInsert> = {};
    if (input.displayName !== undefined) changes.displayName = input.displayName;
    if (input.locale !== undefined) changes.locale = input.locale;
    if (input.personId !== undefined) changes.personId = input.personId;
    if (input.disabled !== undefined) changes.disabled = input.disabled;
    if (!Object.keys(changes).length && !grants) return before;
    const disabling = input.disabled === true && !before.disabled;
    const apply = async () => {
      if (Object.keys(changes).length) await tx.update(appUser).set(changes).where(eq(appUser.id, id));
      if (grants) await writeGrants(tx, actor.orgId, id, grants);
      if (disabling) await endSessions(tx, id);
    };
    if (disabling || grants) await keepingAnAdmin(tx, actor.orgId, disabling ? 'disabled' : 'grants', apply);
    else await apply();
    // New grants were checked to lie in the actor's scope, so the account stays visible to them.
    const after = await getAccount(tx, actor, id);
    await recordAudit(tx, actor, actor.orgId, {
      action: 'update',
      entity: 'app_user',
      entityId: id,
      unitId: auditUnit(after),
      before: auditImage(before),
      after: auditImage(after),
    });
    return after;
  });
}

/** Replaces all grants at once: every new grant is checked first, and nothing changes unless all pass. */
export async function replaceGrants(
  db: Db,
  actor: Actor,
  id: string,
  input: { grants: GrantInput[]; version: string },
): Promise<AccountItem> {
  return db.transaction(async (tx) => {
    await lockOrganisation(tx, actor.orgId);
    const before = await getAccount(tx, actor, id, true);
    if (before.version !== input.version) throw new AppError('version_conflict');
    const grants = await checkGrants(tx, actor, input.grants);
    await keepingAnAdmin(tx, actor.orgId, 'grants', () => writeGrants(tx, actor.orgId, id, grants));
    const after = await getAccount(tx, actor, id);
    await recordAudit(tx, actor, actor.orgId, {
      action: 'grants_replace',
      entity: 'app_user',
      entityId: id,
      unitId: auditUnit(after),
      before: { grants: auditImage(before).grants },
      after: { grants: auditImage(after).grants },
    });
    return after;
  });
}

async function writeGrants(q: Queryable, orgId: string, userId: string, grants: GrantInput[]): Promise<void> {
  await q.delete(roleGrant).where(eq(roleGrant.userId, userId));
  await q.insert(roleGrant).values(grants.map((g) => ({ orgId, userId, ...g })));
}

/** Issues a new one-time password, ends every session of the account and lifts a lockout. */
export async function resetPassword(db: Db, actor: Actor, id: string): Promise<AccountWithPassword> {
  const oneTimePassword = generatePassword();
  const passwordHash = await hashTemporaryPassword(oneTimePassword);
  return db.transaction(async (tx) => {
    const before = await getAccount(tx, actor, id, true);
    await tx.update(appUser).set({ passwordHash, failedLogins: 0, lockedUntil: null }).where(eq(appUser.id, id));
    const sessionsEnded = await endSessions(tx, id);
    const account = await getAccount(tx, actor, id);
    await recordAudit(tx, actor, actor.orgId, {
      action: 'password_reset',
      entity: 'app_user',
      entityId: id,
      unitId: auditUnit(account),
      before: { lockedUntil: before.lockedUntil },
      after: { lockedUntil: null, sessionsEnded, passwordTemporary: true },
    });
    return { account, oneTimePassword };
  });
}

export async function unlockAccount(db: Db, actor: Actor, id: string): Promise<AccountItem> {
  return db.transaction(async (tx) => {
    const before = await getAccount(tx, actor, id, true);
    await tx.update(appUser).set({ failedLogins: 0, lockedUntil: null }).where(eq(appUser.id, id));
    const after = await getAccount(tx, actor, id);
    await recordAudit(tx, actor, actor.orgId, {
      action: 'unlock',
      entity: 'app_user',
      entityId: id,
      unitId: auditUnit(after),
      before: { lockedUntil: before.lockedUntil },
      after: { lockedUntil: null },
    });
    return after;
  });
}

/** Any signed-in user: the current password proves it is them; every other session of theirs ends. */
export async function changeOwnPassword(db: Db, actor: Actor, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const [user] = await db.select().from(appUser).where(eq(appUser.id, actor.userId));
  if (!user) throw new AppError('unauthenticated');
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError('validation', [{ field: 'currentPassword', reason: 'wrong_password' }]);
  }
  checkPolicy(input.newPassword, user.username, 'newPassword');
  if (input.newPassword === input.currentPassword) {
    throw new AppError('validation', [{ field: 'newPassword', reason: 'password_same' }]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    // Compare-and-set on the hash read above: a concurrent reset by an administrator wins.
    const updated = await tx
      .update(appUser)
      .set({ passwordHash })
      .where(and(eq(appUser.id, actor.userId), eq(appUser.passwordHash, user.passwordHash)))
      .returning({ id: appUser.id });
    if (!updated.length) throw new AppError('version_conflict');
    const sessionsEnded = await endSessions(tx, actor.userId, actor.sessionId);
    const [grant] = actor.roles;
    await recordAudit(tx, actor, actor.orgId, {
      action: 'password_change',
      entity: 'app_user',
      entityId: actor.userId,
      unitId: grant?.scopeUnitId ?? null,
      after: { sessionsEnded, wasTemporary: isTemporaryHash(user.passwordHash) },
    });
  });
}
