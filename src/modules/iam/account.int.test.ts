import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountItem, AccountListResponse, AccountWithPassword } from '../../contracts/account.js';
import type { Database } from '../../db/connection.js';
import { queryRows } from '../../db/query-rows.js';
import { buildTestApp, newPerson, newUser, seedSmallOrg, TEST_PASSWORD, type Session } from '../../../test/support/factories.js';
import { createTestDatabase } from '../../../test/support/test-db.js';
import { updateAccount } from './account.service.js';
import { buildActor } from './auth.service.js';
import { appUser } from './schema.js';

type Org = Awaited<ReturnType<typeof seedSmallOrg>>;
let database: Database;
let harness: Awaited<ReturnType<typeof buildTestApp>>;
let app: FastifyInstance;
let org: Org;
let rootAdmin: Session;
let eastAdmin: Session;
let eastOfficer: Session;
const users: Record<string, { id: string; username: string }> = {};

// Each sign-in comes from its own address: the per-address login limit is not what these tests are about.
let ipSeq = 0;
const nextIp = () => `10.9.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;
function login(username: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: { 'x-forwarded-for': nextIp() } });
}
async function signIn(username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await login(username, password);
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = `muster_session=${res.cookies.find((c) => c.name === 'muster_session')!.value}`;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return {
    csrf,
    cookie,
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers: { cookie, ...headers } }),
    send: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { cookie, 'x-csrf-token': csrf, ...headers },
        ...(body !== undefined ? { payload: body as object } : {}),
      }),
  };
}

const list = async (s: Session, qs = '') => (await s.get(`/api/accounts${qs}`)).json() as AccountListResponse;
const usernames = (r: AccountListResponse) => r.items.map((i) => i.username).sort();
const account = async (s: Session, id: string) => (await s.get(`/api/accounts/${id}`)).json() as AccountItem;

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await buildTestApp(database);
  app = harness.app;
  org = await seedSmallOrg(database.db);
  const u = org.units;
  users.root = await newUser(database.db, org.orgId, [{ role: 'admin', scopeUnitId: u.root!.id }]);
  users.eastAdmin = await newUser(database.db, org.orgId, [{ role: 'admin', scopeUnitId: u.east!.id }]);
  users.eastOfficer = await newUser(database.db, org.orgId, [{ role: 'hr_officer', scopeUnitId: u.east!.id }]);
  users.westOfficer = await newUser(database.db, org.orgId, [{ role: 'hr_officer', scopeUnitId: u.west!.id }]);
  // Grants on both sides: inside no single district's scope.
  users.both = await newUser(database.db, org.orgId, [
    { role: 'unit_head', scopeUnitId: u.eastPort!.id },
    { role: 'unit_head', scopeUnitId: u.westPort!.id },
  ]);
  rootAdmin = await signIn(users.root.username);
  eastAdmin = await signIn(users.eastAdmin.username);
  eastOfficer = await signIn(users.eastOfficer.username);
});

afterAll(async () => {
  await harness?.close();
  await database?.close();
});

describe('list and scope', () => {
  it('needs account.manage', async () => {
    const res = await eastOfficer.get('/api/accounts');
    expect(res.statusCode).toBe(403);
    const me = (await eastOfficer.get('/api/auth/me')).json() as { permissions: string[] };
    expect(me.permissions).not.toContain('account.manage');
    expect(((await rootAdmin.get('/api/auth/me')).json() as { permissions: string[] }).permissions).toContain('account.manage');
  });

  it('shows an organisation-wide administrator every account, a district administrator only accounts inside the district', async () => {
    const all = await list(rootAdmin, '?limit=100');
    expect(usernames(all)).toEqual(
      Object.values(users)
        .map((u) => u.username)
        .sort(),
    );
    expect(all.total).toBe(5);
    const east = await list(eastAdmin, '?limit=100');
    expect(usernames(east)).toEqual([users.eastAdmin!.username, users.eastOfficer!.username].sort());
    expect(east.total).toBe(2);
    const item = east.items.find((i) => i.id === users.eastOfficer!.id)!;
    expect(item.grants).toEqual([{ role: 'hr_officer', scopeUnitId: org.units.east!.id, scopeUnitName: '东区海关' }]);
    expect(item).not.toHaveProperty('passwordHash');
  });

  it("answers 'not found' for an account outside the scope, for reads and every write", async () => {
    const west = users.westOfficer!.id;
    expect((await eastAdmin.get(`/api/accounts/${west}`)).statusCode).toBe(404);
    expect((await eastAdmin.get(`/api/accounts/${users.both!.id}`)).statusCode).toBe(404);
    expect((await eastAdmin.send('PATCH', `/api/accounts/${west}`, { displayName: 'x', version: 'x' })).statusCode).toBe(404);
    expect((await eastAdmin.send('POST', `/api/accounts/${west}/reset-password`)).statusCode).toBe(404);
    expect((await eastAdmin.send('POST', `/api/accounts/${west}/unlock`)).statusCode).toBe(404);
    expect(
      (
        await eastAdmin.send('PUT', `/api/accounts/${west}/grants`, {
          grants: [{ role: 'staff', scopeUnitId: org.units.east!.id }],
          version: 'x',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('filters by text, role, unit subtree and status, and sorts and pages on the server', async () => {
    expect(usernames(await list(rootAdmin, `?q=${users.westOfficer!.username.slice(0, 6).toUpperCase()}`))).toContain(
      users.westOfficer!.username,
    );
    expect(usernames(await list(rootAdmin, '?role=admin'))).toEqual([users.root!.username, users.eastAdmin!.username].sort());
    // Subtree of the west port: the account with a grant there, not the west district officer above it.
    expect(usernames(await list(rootAdmin, `?unitId=${org.units.westPort!.id}`))).toEqual([users.both!.username]);
    expect(usernames(await list(rootAdmin, `?unitId=${org.units.west!.id}`))).toEqual(
      [users.westOfficer!.username, users.both!.username].sort(),
    );
    expect((await list(rootAdmin, '?status=disabled')).total).toBe(0);
    const sorted = Object.values(users)
      .map((u) => u.username.toLowerCase())
      .sort()
      .reverse();
    const seen: string[] = [];
    for (let offset = 0; offset < 5; offset += 2) {
      const page = await list(rootAdmin, `?sort=username&dir=desc&limit=2&offset=${offset}`);
      expect(page.total).toBe(5);
      seen.push(...page.items.map((i) => i.username));
    }
    expect(seen).toEqual(sorted);
    expect((await rootAdmin.get('/api/accounts?sort=password')).statusCode).toBe(400);
  });
});

describe('create', () => {
  it('creates an account with a scoped grant and a one-time password; the user must change it first, then sees only the subtree', async () => {
    const person = await newPerson(database.db, org.orgId, org.units.eastSec!.id, { fullName: '王芳' });
    const other = await newPerson(database.db, org.orgId, org.units.westSec!.id, { fullName: '赵强' });
    const res = await eastAdmin.send('POST', '/api/accounts', {
      username: 'Hr.EastPort',
      displayName: '东港人事',
      locale: 'zh-CN',
      personId: person.id,
      grants: [{ role: 'hr_officer', scopeUnitId: org.units.eastPort!.id }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as AccountWithPassword;
    expect(body.oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(body.account).toMatchObject({ username: 'Hr.EastPort', personName: '王芳', passwordTemporary: true, disabled: false });
    users.created = { id: body.account.id, username: 'Hr.EastPort' };

    // Sign-in is case-insensitive on the name; the session can do nothing but change the password.
    const s = await signIn('hr.eastport', body.oneTimePassword!);
    expect(((await s.get('/api/auth/me')).json() as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
    const blocked = await s.get('/api/people');
    expect(blocked.statusCode).toBe(403);
    expect((blocked.json() as { error: { code: string } }).error.code).toBe('password_change_required');
    const changed = await s.send('POST', '/api/auth/me/password', {
      currentPassword: body.oneTimePassword,
      newPassword: 'harbour lights 2024',
    });
    expect(changed.statusCode).toBe(200);
    const people = (await s.get('/api/people?limit=50')).json() as { items: { id: string; unitId: string }[] };
    expect(people.items.length).toBeGreaterThan(0);
    const eastPortUnits = new Set([org.units.eastPort!.id, org.units.eastSec!.id]);
    expect(people.items.every((p) => eastPortUnits.has(p.unitId))).toBe(true);
    expect(people.items.map((p) => p.id)).not.toContain(other.id);
    expect(((await s.get('/api/auth/me')).json() as { mustChangePassword: boolean }).mustChangePassword).toBe(false);
  });

  it('accepts an administrator-chosen password only when it meets the policy, naming the field and reason', async () => {
    const base = { displayName: 'P', grants: [{ role: 'staff', scopeUnitId: org.units.east!.id }] };
    const short = await eastAdmin.send('POST', '/api/accounts?lang=zh-CN', { ...base, username: 'p.short', password: 'abc123' });
    expect(short.statusCode).toBe(400);
    const err = (short.json() as { error: { code: string; details: { field: string; reason: string; message: string }[] } }).error;
    expect(err.code).toBe('validation');
    expect(err.details).toEqual([expect.objectContaining({ field: 'password', reason: 'too_short', message: '密码过短（至少 12）' })]);
    const withName = await eastAdmin.send('POST', '/api/accounts?lang=vi', {
      ...base,
      username: 'p.name',
      password: 'my-P.Name-is-long',
    });
    const d = (withName.json() as { error: { details: { reason: string; message: string }[] } }).error.details;
    expect(d.map((x) => x.reason)).toEqual(['password_contains_username']);
    expect(d[0]!.message).toBe('Mật khẩu không được chứa tên đăng nhập');
    expect(
      (await eastAdmin.send('POST', '/api/accounts', { ...base, username: 'p.common', password: 'aaaaaaaaaaaaaaaa' })).statusCode,
    ).toBe(400);
    const ok = await eastAdmin.send('POST', '/api/accounts', { ...base, username: 'p.ok', password: 'a long enough passphrase' });
    expect(ok.statusCode).toBe(201);
    expect((ok.json() as AccountWithPassword).oneTimePassword).toBeNull();
    expect((ok.json() as AccountWithPassword).account.passwordTemporary).toBe(true);
  });

  it('refuses a duplicate user name whatever its case, with a localised 409 naming the field', async () => {
    const res = await rootAdmin.send('POST', '/api/accounts?lang=zh-TW', {
      username: users.westOfficer!.username.toUpperCase(),
      displayName: 'dup',
      grants: [{ role: 'staff', scopeUnitId: org.units.west!.id }],
    });
    expect(res.statusCode).toBe(409);
    const err = (res.json() as { error: { code: string; message: string; details: { field: string; reason: string; message: string }[] } })
      .error;
    expect(err.code).toBe('duplicate');
    expect(err.message).toBe('已存在相同使用者名稱的紀錄。');
    expect(err.details).toEqual([{ field: 'username', reason: 'duplicate', message: '使用者名稱已被使用' }]);
  });

  it('refuses to grant outside the administrator’s own scope, and creates nothing', async () => {
    const res = await eastAdmin.send('POST', '/api/accounts', {
      username: 'sneaky',
      displayName: 'sneaky',
      grants: [
        { role: 'staff', scopeUnitId: org.units.east!.id },
        { role: 'admin', scopeUnitId: org.units.root!.id },
      ],
    });
    expect(res.statusCode).toBe(404);
    expect((res.json() as { error: { details: { field: string; reason: string }[] } }).error.details).toEqual([
      expect.objectContaining({ field: 'grants.1.scopeUnitId', reason: 'unknown_unit' }),
    ]);
    const [row] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM app_user WHERE username = 'sneaky'`);
    expect(row!.n).toBe(0);
    // Nor can a person of another district be linked.
    const west = await newPerson(database.db, org.orgId, org.units.westSec!.id);
    const linked = await eastAdmin.send('POST', '/api/accounts', {
      username: 'sneaky',
      displayName: 'sneaky',
      personId: west.id,
      grants: [{ role: 'staff', scopeUnitId: org.units.east!.id }],
    });
    expect(linked.statusCode).toBe(404);
    expect((linked.json() as { error: { details: { field: string }[] } }).error.details[0]!.field).toBe('personId');
  });
});

describe('grants', () => {
  it('replaces all grants or none, and refuses a stale version', async () => {
    const id = users.eastOfficer!.id;
    const before = await account(eastAdmin, id);
    const mixed = await eastAdmin.send('PUT', `/api/accounts/${id}/grants`, {
      grants: [
        { role: 'unit_head', scopeUnitId: org.units.eastSec!.id },
        { role: 'hr_officer', scopeUnitId: org.units.west!.id },
      ],
      version: before.version,
    });
    expect(mixed.statusCode).toBe(404);
    expect((await account(eastAdmin, id)).grants).toEqual(before.grants);

    const ok = await eastAdmin.send('PUT', `/api/accounts/${id}/grants`, {
      grants: [
        { role: 'unit_head', scopeUnitId: org.units.eastSec!.id },
        { role: 'hr_officer', scopeUnitId: org.units.eastPort!.id },
        { role: 'hr_officer', scopeUnitId: org.units.eastPort!.id },
      ],
      version: before.version,
    });
    expect(ok.statusCode).toBe(200);
    const after = ok.json() as AccountItem;
    expect(after.grants.map((g) => `${g.role}@${g.scopeUnitName}`).sort()).toEqual(['hr_officer@东港', 'unit_head@旅检一科']);
    expect(after.version).not.toBe(before.version);
    const stale = await eastAdmin.send('PUT', `/api/accounts/${id}/grants`, {
      grants: [{ role: 'staff', scopeUnitId: org.units.east!.id }],
      version: before.version,
    });
    expect(stale.statusCode).toBe(409);
    expect((stale.json() as { error: { code: string } }).error.code).toBe('version_conflict');
    expect((await eastAdmin.send('PUT', `/api/accounts/${id}/grants`, { grants: [], version: after.version })).statusCode).toBe(400);
  });

  it('saves profile and grants of one edit together, or neither when a grant is refused', async () => {
    const id = users.eastOfficer!.id;
    const before = await account(eastAdmin, id);
    const refused = await eastAdmin.send('PATCH', `/api/accounts/${id}`, {
      displayName: 'Renamed with a bad grant',
      grants: [{ role: 'hr_officer', scopeUnitId: org.units.west!.id }],
      version: before.version,
    });
    expect(refused.statusCode).toBe(404);
    const unchanged = await account(eastAdmin, id);
    expect(unchanged.displayName).toBe(before.displayName);
    expect(unchanged.grants).toEqual(before.grants);

    const ok = await eastAdmin.send('PATCH', `/api/accounts/${id}`, {
      displayName: 'East officer, port',
      grants: [{ role: 'hr_officer', scopeUnitId: org.units.eastPort!.id }],
      version: before.version,
    });
    expect(ok.statusCode).toBe(200);
    const after = ok.json() as AccountItem;
    expect(after.displayName).toBe('East officer, port');
    expect(after.grants.map((g) => `${g.role}@${g.scopeUnitName}`)).toEqual(['hr_officer@东港']);
    const [entry] = await queryRows<{ action: string; before: { displayName: string }; after: { displayName: string; grants: unknown[] } }>(
      database.db,
      sql`SELECT action, before, after FROM audit_log WHERE entity_id = ${id} ORDER BY id DESC LIMIT 1`,
    );
    expect(entry).toMatchObject({
      action: 'update',
      before: { displayName: before.displayName },
      after: { displayName: 'East officer, port' },
    });
    expect(entry!.after.grants).toHaveLength(1);
  });
});

describe('disable, reset, unlock', () => {
  it('disabling ends the sessions and blocks sign-in; enabling lets the user back in', async () => {
    const target = await newUser(database.db, org.orgId, [{ role: 'staff', scopeUnitId: org.units.eastSec!.id }]);
    const s = await signIn(target.username);
    expect((await s.get('/api/auth/me')).statusCode).toBe(200);
    const v = (await account(eastAdmin, target.id)).version;
    const res = await eastAdmin.send('PATCH', `/api/accounts/${target.id}`, { disabled: true, version: v });
    expect(res.statusCode).toBe(200);
    expect((res.json() as AccountItem).disabled).toBe(true);
    expect((await s.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login(target.username, TEST_PASSWORD)).statusCode).toBe(401);
    expect(usernames(await list(eastAdmin, '?status=disabled'))).toEqual([target.username]);
    const v2 = (res.json() as AccountItem).version;
    expect((await eastAdmin.send('PATCH', `/api/accounts/${target.id}`, { disabled: false, version: v2 })).statusCode).toBe(200);
    expect((await login(target.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('edits display name and language with optimistic concurrency', async () => {
    const id = users.eastOfficer!.id;
    const v = (await account(eastAdmin, id)).version;
    const res = await eastAdmin.send('PATCH', `/api/accounts/${id}`, { displayName: '东区人事', locale: 'vi', version: v });
    expect(res.json()).toMatchObject({ displayName: '东区人事', locale: 'vi' });
    expect((await eastAdmin.send('PATCH', `/api/accounts/${id}`, { displayName: 'again', version: v })).statusCode).toBe(409);
  });

  it('refuses to disable one’s own account', async () => {
    const me = await account(eastAdmin, users.eastAdmin!.id);
    const res = await eastAdmin.send('PATCH', `/api/accounts/${me.id}`, { disabled: true, version: me.version });
    expect(res.statusCode).toBe(409);
    expect((res.json() as { error: { code: string } }).error.code).toBe('own_account');
  });

  it('resetting issues a new one-time password, ends sessions and lifts a lockout', async () => {
    const target = await newUser(database.db, org.orgId, [{ role: 'staff', scopeUnitId: org.units.eastSec!.id }]);
    const s = await signIn(target.username);
    const res = await eastAdmin.send('POST', `/api/accounts/${target.id}/reset-password`);
    expect(res.statusCode).toBe(200);
    const { oneTimePassword, account: a } = res.json() as AccountWithPassword;
    expect(a.passwordTemporary).toBe(true);
    expect((await s.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login(target.username, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(target.username, oneTimePassword!)).statusCode).toBe(200);
  });

  it('unlocks an account locked by failed sign-ins', async () => {
    const target = await newUser(database.db, org.orgId, [{ role: 'staff', scopeUnitId: org.units.eastSec!.id }]);
    for (let i = 0; i < 5; i++) await login(target.username, 'wrong password!');
    expect((await login(target.username, TEST_PASSWORD)).statusCode).toBe(423);
    const locked = await list(eastAdmin, '?status=locked');
    expect(usernames(locked)).toEqual([target.username]);
    expect(locked.items[0]!.lockedUntil).not.toBeNull();
    const res = await eastAdmin.send('POST', `/api/accounts/${target.id}/unlock`);
    expect(res.statusCode).toBe(200);
    expect((res.json() as AccountItem).lockedUntil).toBeNull();
    expect((await login(target.username, TEST_PASSWORD)).statusCode).toBe(200);
  });
});

describe('last administrator', () => {
  it('refuses to strip or disable the last organisation-wide administrator, with a clear error', async () => {
    const me = await account(rootAdmin, users.root!.id);
    const strip = await rootAdmin.send('PUT', `/api/accounts/${me.id}/grants?lang=en`, {
      grants: [{ role: 'hr_officer', scopeUnitId: org.units.root!.id }],
      version: me.version,
    });
    expect(strip.statusCode).toBe(409);
    const err = (strip.json() as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('last_admin');
    expect(err.message).toContain('without an administrator');
    expect((await account(rootAdmin, me.id)).grants.map((g) => g.role)).toEqual(['admin']);

    // A second one makes the change possible.
    const second = (
      (
        await rootAdmin.send('POST', '/api/accounts', {
          username: 'admin.two',
          displayName: 'Admin Two',
          grants: [{ role: 'admin', scopeUnitId: org.units.root!.id }],
        })
      ).json() as AccountWithPassword
    ).account;
    const [meRow] = await database.db.select().from(appUser).where(eq(appUser.id, me.id));
    const staleMe = await buildActor(database.db, meRow!, 'stale', 'stale');
    const stripped = await rootAdmin.send('PUT', `/api/accounts/${me.id}/grants`, {
      grants: [
        { role: 'admin', scopeUnitId: org.units.east!.id },
        { role: 'auditor', scopeUnitId: org.units.root!.id },
      ],
      version: me.version,
    });
    expect(stripped.statusCode).toBe(200);
    // Now a district administrator: the organisation-wide one is out of sight.
    expect((await rootAdmin.get(`/api/accounts/${second.id}`)).statusCode).toBe(404);
    // A request that began before the change (its actor still organisation-wide) cannot disable the last one either.
    await expect(updateAccount(database.db, staleMe, second.id, { disabled: true, version: second.version })).rejects.toMatchObject({
      code: 'last_admin',
    });
    const [secondRow] = await database.db.select().from(appUser).where(eq(appUser.id, second.id));
    expect(secondRow!.disabled).toBe(false);
  });
});

describe('own password', () => {
  it('checks the current password and the policy, then ends the other sessions only', async () => {
    const u = await newUser(database.db, org.orgId, [{ role: 'staff', scopeUnitId: org.units.westSec!.id }]);
    const a = await signIn(u.username);
    const b = await signIn(u.username);
    const wrong = await a.send('POST', '/api/auth/me/password', { currentPassword: 'nope', newPassword: 'a fresh passphrase' });
    expect(wrong.statusCode).toBe(400);
    expect((wrong.json() as { error: { details: { field: string; reason: string }[] } }).error.details).toEqual([
      expect.objectContaining({ field: 'currentPassword', reason: 'wrong_password' }),
    ]);
    const weak = await a.send('POST', '/api/auth/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect((weak.json() as { error: { details: { field: string; reason: string }[] } }).error.details).toEqual([
      expect.objectContaining({ field: 'newPassword', reason: 'too_short' }),
    ]);
    const same = await a.send('POST', '/api/auth/me/password', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
    expect((same.json() as { error: { details: { reason: string }[] } }).error.details[0]!.reason).toBe('password_same');
    const ok = await a.send('POST', '/api/auth/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'a fresh passphrase' });
    expect(ok.statusCode).toBe(200);
    expect((await a.get('/api/auth/me')).statusCode).toBe(200);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login(u.username, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(u.username, 'a fresh passphrase')).statusCode).toBe(200);
  });
});

describe('audit', () => {
  it('records every account write with before and after, and never a password or its hash', async () => {
    const rows = await queryRows<{ action: string; before: unknown; after: unknown; actor_user_id: string | null; unit_id: string | null }>(
      database.db,
      sql`SELECT action, before, after, actor_user_id, unit_id FROM audit_log
        WHERE org_id = ${org.orgId} AND entity = 'app_user' AND action NOT IN ('login', 'login_failed', 'account_locked') ORDER BY id`,
    );
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['create', 'update', 'grants_replace', 'password_reset', 'unlock', 'password_change']) expect(actions).toContain(a);
    const created = rows.find((r) => r.action === 'create')!;
    expect(created.after).toMatchObject({ username: 'Hr.EastPort', passwordIssued: 'generated' });
    expect(created.unit_id).toBe(org.units.eastPort!.id);
    const grants = rows.find((r) => r.action === 'grants_replace')!;
    expect(grants.before).toHaveProperty('grants');
    expect(grants.after).toHaveProperty('grants');
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/scrypt|\$temp|password_hash|passwordHash/);
    expect(text).not.toContain(TEST_PASSWORD);
    expect(text).not.toContain('harbour lights');
    // Refused writes leave no trace: the out-of-scope create was rolled back whole.
    expect(text).not.toContain('sneaky');
  });
});
