import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECIALTIES } from '../../contracts/vocab.js';
import type { Database } from '../../db/connection.js';
import { buildTestApp, countAudit, newPerson, newUser, seedSmallOrg, signIn, type Session } from '../../../test/support/factories.js';
import { createTestDatabase } from '../../../test/support/test-db.js';

type Org = Awaited<ReturnType<typeof seedSmallOrg>>;
let database: Database;
let harness: Awaited<ReturnType<typeof buildTestApp>>;
let org: Org;
let eastOfficer: Session;
let westHead: Session;
let admin: Session;
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await buildTestApp(database);
  const db = database.db;
  org = await seedSmallOrg(db);
  const u = org.units;
  ids.eastA = (
    await newPerson(db, org.orgId, u.eastSec!.id, {
      fullName: '张伟',
      birthDate: '1990-03-01',
      postSince: '2015-05-01',
      specialties: ['animal_quarantine'],
    })
  ).id;
  ids.eastB = (
    await newPerson(db, org.orgId, u.eastPort!.id, {
      fullName: 'Nguyễn Văn Đức',
      nameLatin: 'Nguyen Van Duc',
      birthDate: '1975-01-01',
      postSince: '2024-01-01',
      languages: ['vi'],
    })
  ).id;
  ids.eastC = (await newPerson(db, org.orgId, u.east!.id, { fullName: '章薇', birthDate: '1999-12-31', postSince: '2023-06-01' })).id;
  ids.westA = (
    await newPerson(db, org.orgId, u.westSec!.id, { fullName: '张伟', birthDate: '1980-01-01', specialties: ['animal_quarantine'] })
  ).id;
  // Seconded from west to east: the west home unit still owns the person (dual management).
  ids.seconded = (await newPerson(db, org.orgId, u.eastSec!.id, { fullName: '李娜', homeUnitId: u.west!.id, status: 'seconded' })).id;
  const officer = await newUser(db, org.orgId, [{ role: 'hr_officer', scopeUnitId: u.east!.id }]);
  const head = await newUser(db, org.orgId, [{ role: 'unit_head', scopeUnitId: u.west!.id }]);
  const adm = await newUser(db, org.orgId, [{ role: 'admin', scopeUnitId: u.root!.id }]);
  eastOfficer = await signIn(harness.app, officer.username);
  westHead = await signIn(harness.app, head.username);
  admin = await signIn(harness.app, adm.username);
});

afterAll(async () => {
  await harness?.close();
  await database?.close();
});

const names = (res: { json: () => unknown }) => ((res.json() as { items: { id: string }[] }).items ?? []).map((i) => i.id).sort();

describe('scope', () => {
  it("hides people outside the officer's subtree in the list", async () => {
    const res = await eastOfficer.get('/api/people?limit=50');
    expect(res.statusCode).toBe(200);
    expect(names(res)).toEqual([ids.eastA, ids.eastB, ids.eastC, ids.seconded].sort());
  });

  it('shows a seconded person to both the serving and the home unit', async () => {
    expect(names(await westHead.get('/api/people?limit=50'))).toEqual([ids.westA, ids.seconded].sort());
  });

  it('keeps search and facets inside the scope', async () => {
    const res = await eastOfficer.get(`/api/people?q=${encodeURIComponent('张伟')}&facets=true`);
    const body = res.json() as { items: { id: string }[]; total: number; facets: { specialty: { key: string; count: number }[] } };
    expect(body.items.map((i) => i.id)).toEqual([ids.eastA]);
    expect(body.total).toBe(1);
    expect(body.facets.specialty).toEqual([{ key: 'animal_quarantine', count: 1 }]);
  });

  it('cannot widen the scope with a unit filter outside it', async () => {
    const res = await eastOfficer.get(`/api/people?unitId=${org.units.west!.id}`);
    expect(names(res)).toEqual([ids.seconded]);
  });

  it("answers 'not found' for another district's person by URL, and refuses the national ID", async () => {
    expect((await westHead.get(`/api/people/${ids.eastA}`)).statusCode).toBe(404);
    expect((await westHead.send('POST', `/api/people/${ids.eastA}/national-id`)).statusCode).toBe(404);
    expect((await eastOfficer.send('PATCH', `/api/people/${ids.westA}`, { version: 1, phone: '1' })).statusCode).toBe(404);
  });

  it('exports only what is in scope', async () => {
    const res = await eastOfficer.get('/api/people/export?format=xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(1 + 4);
    const csv = await eastOfficer.get('/api/people/export?format=csv&lang=zh-CN');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('姓名');
    expect(lines).toHaveLength(5);
  });

  it('counts the dashboard over the scope only', async () => {
    const res = await westHead.get('/api/dashboard');
    expect(res.statusCode).toBe(200);
    expect((res.json() as { total: number }).total).toBe(2);
  });

  it('lists units of the scope with their ancestors marked out of scope', async () => {
    const res = await westHead.get('/api/units');
    const items = (res.json() as { items: { code: string; inScope: boolean }[] }).items;
    expect(items.map((i) => i.code).sort()).toEqual(['root', 'west', 'westPort', 'westSec'].sort());
    expect(items.find((i) => i.code === 'root')!.inScope).toBe(false);
  });
});

describe('search', () => {
  it('finds Chinese names by pinyin initials and Vietnamese names without diacritics', async () => {
    expect(names(await admin.get('/api/people?q=zw'))).toEqual([ids.eastA, ids.eastC, ids.westA].sort());
    expect(names(await admin.get(`/api/people?q=${encodeURIComponent('张')}`))).toEqual([ids.eastA, ids.westA].sort());
    expect(names(await admin.get('/api/people?q=nguyen%20van%20duc'))).toEqual([ids.eastB]);
    expect(names(await admin.get('/api/people?q=duc'))).toEqual([ids.eastB]);
  });

  it('filters by tenure in post and age', async () => {
    expect(names(await admin.get('/api/people?tenureMinYears=5'))).toContain(ids.eastA);
    expect(names(await admin.get('/api/people?tenureMinYears=5'))).not.toContain(ids.eastB);
    expect(names(await admin.get('/api/people?ageMin=45'))).toEqual([ids.eastB, ids.westA].sort());
  });

  it('pages with a keyset cursor without repeating or skipping anyone', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin.get(`/api/people?limit=2&sort=birthDate&dir=desc${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json() as { items: { id: string }[]; nextCursor: string | null; total: number };
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });
});

describe('writes', () => {
  it('refuses a stale version instead of overwriting another officer', async () => {
    const first = await eastOfficer.send('PATCH', `/api/people/${ids.eastC}`, { version: 1, phone: '0592-1111' });
    expect(first.statusCode).toBe(200);
    const second = await eastOfficer.send('PATCH', `/api/people/${ids.eastC}`, { version: 1, phone: '0592-2222' });
    expect(second.statusCode).toBe(409);
    expect((second.json() as { error: { code: string } }).error.code).toBe('version_conflict');
    const detail = (await eastOfficer.get(`/api/people/${ids.eastC}`)).json() as { phone: string; version: number };
    expect(detail).toMatchObject({ phone: '0592-1111', version: 2 });
  });

  it('writes an audit entry in the same transaction as each change', async () => {
    const before = await countAudit(database.db, { entityId: ids.eastA });
    const created = await eastOfficer.send('POST', '/api/people', {
      personNo: 'NEW001',
      fullName: '王芳',
      unitId: org.units.eastSec!.id,
      birthDate: '1992-02-02',
      nationalId: '11010519491231002X',
    });
    expect(created.statusCode).toBe(201);
    const newId = (created.json() as { id: string }).id;
    expect(await countAudit(database.db, { entityId: newId, action: 'create' })).toBe(1);
    await eastOfficer.send('POST', `/api/people/${ids.eastA}/status`, { status: 'on_leave', effectiveDate: '2026-01-01', version: 1 });
    await eastOfficer.send('POST', `/api/people/${ids.eastA}/certifications`, {
      code: 'radiation_safety',
      name: '辐射安全证',
      issuedOn: '2024-01-01',
      expiresOn: '2027-01-01',
    });
    expect(await countAudit(database.db, { entityId: ids.eastA })).toBe(before + 1);
    expect(await countAudit(database.db, { action: 'create' })).toBeGreaterThanOrEqual(2);
  });

  it('leaves nothing behind when a write fails half-way', async () => {
    const bad = await eastOfficer.send('POST', '/api/people', { personNo: 'NEW001', fullName: '重复', unitId: org.units.eastSec!.id });
    expect(bad.statusCode).toBe(409);
    expect((bad.json() as { error: { details: { field: string }[] } }).error.details[0]!.field).toBe('personNo');
  });

  it('derives tenure from the assignment history when a person moves', async () => {
    const d = (await eastOfficer.get(`/api/people/${ids.eastB}`)).json() as { version: number };
    const res = await eastOfficer.send('PATCH', `/api/people/${ids.eastB}`, {
      version: d.version,
      unitId: org.units.eastSec!.id,
      effectiveDate: '2026-02-01',
    });
    expect(res.statusCode).toBe(200);
    const after = (await eastOfficer.get(`/api/people/${ids.eastB}`)).json() as {
      postSince: string;
      assignments: { startDate: string; endDate: string | null }[];
    };
    expect(after.postSince).toBe('2026-02-01');
    expect(after.assignments[0]).toMatchObject({ startDate: '2026-02-01', endDate: null });
    expect(after.assignments[1]).toMatchObject({ endDate: '2026-01-31' });
  });

  it('names the field and the reason in the user language', async () => {
    const res = await eastOfficer.send('POST', '/api/people?lang=zh-CN', {
      personNo: '',
      fullName: 'x',
      unitId: org.units.east!.id,
      birthDate: '1990-13-45',
      nationalId: '123',
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: { code: string; message: string; details: { field: string; message: string }[] } };
    expect(body.error.message).toBe('部分字段填写有误。');
    const fields = Object.fromEntries(body.error.details.map((d) => [d.field, d.message]));
    expect(fields.personNo).toBe('工号为必填项');
    expect(fields.birthDate).toContain('出生日期');
    expect(fields.nationalId).toBe('身份证号不是有效的身份证号码');
  });
});

describe('sensitive fields', () => {
  it('masks the national ID in lists and logs every unmasked read', async () => {
    const list = (await eastOfficer.get('/api/people?limit=50')).json() as { items: { nationalIdMasked: string }[] };
    expect(list.items.every((i) => /\*{6,}/.test(i.nationalIdMasked))).toBe(true);
    const before = await countAudit(database.db, { action: 'read_sensitive', entityId: ids.eastC });
    const res = await eastOfficer.send('POST', `/api/people/${ids.eastC}/national-id`);
    expect(res.statusCode).toBe(200);
    expect((res.json() as { nationalId: string }).nationalId).toMatch(/^\d{17}[\dX]$/);
    expect(await countAudit(database.db, { action: 'read_sensitive', entityId: ids.eastC })).toBe(before + 1);
  });

  it('refuses the unmasked ID to a role that may not see it', async () => {
    const res = await westHead.send('POST', `/api/people/${ids.westA}/national-id`);
    expect(res.statusCode).toBe(403);
  });
});

describe('self-service', () => {
  it('lets staff see only their own record and route edits to their HR officer', async () => {
    const staffUser = await newUser(database.db, org.orgId, [], ids.eastC);
    const staff = await signIn(harness.app, staffUser.username);
    expect(names(await staff.get('/api/people'))).toEqual([ids.eastC]);
    expect((await staff.get(`/api/people/${ids.eastA}`)).statusCode).toBe(404);
    expect((await staff.send('PATCH', `/api/people/${ids.eastC}`, { version: 9, phone: '1' })).statusCode).toBe(403);
    const proposed = await staff.send('POST', '/api/me/change-requests', { phone: '13800000000', note: '换号' });
    expect(proposed.statusCode).toBe(201);
    const pending = (await eastOfficer.get('/api/change-requests')).json() as { items: { id: string }[] };
    expect(pending.items).toHaveLength(1);
    expect(((await westHead.get('/api/change-requests')).json() as { items: unknown[] }).items).toHaveLength(0);
    const ok = await eastOfficer.send('POST', `/api/change-requests/${pending.items[0]!.id}/approve`, {});
    expect(ok.statusCode).toBe(200);
    expect(((await staff.get('/api/me/person')).json() as { phone: string }).phone).toBe('13800000000');
  });
});

describe('units', () => {
  it('moves a unit with its subtree and keeps scope consistent', async () => {
    const units = ((await admin.get('/api/units')).json() as { items: { id: string; code: string; version: number }[] }).items;
    const eastPort = units.find((u) => u.code === 'eastPort')!;
    const res = await admin.send('POST', `/api/units/${eastPort.id}/move`, { parentId: org.units.west!.id, version: eastPort.version });
    expect(res.statusCode).toBe(200);
    // The west head now sees the moved site's people; a move under its own subtree is refused.
    expect(names(await westHead.get('/api/people?limit=50'))).toContain(ids.eastA);
    const loop = await admin.send('POST', `/api/units/${org.units.west!.id}/move`, { parentId: org.units.westSec!.id, version: 1 });
    expect(loop.statusCode).toBe(409);
    expect(await countAudit(database.db, { action: 'move' })).toBe(1);
  });
});

describe('auth', () => {
  it('requires the CSRF header on cookie-authenticated writes', async () => {
    const res = await harness.app.inject({
      method: 'PATCH',
      url: `/api/people/${ids.eastC}`,
      headers: { cookie: eastOfficer.cookie },
      payload: { version: 2 },
    });
    expect(res.statusCode).toBe(403);
    expect((res.json() as { error: { code: string } }).error.code).toBe('csrf');
  });

  it('locks an account after repeated failed sign-ins', async () => {
    const u = await newUser(database.db, org.orgId, [{ role: 'staff', scopeUnitId: org.units.east!.id }]);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push(
        (await harness.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: 'wrong' } }))
          .statusCode,
      );
    }
    expect(codes.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(codes[4]).toBe(423);
    const right = await harness.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: 'correct horse battery' },
    });
    expect(right.statusCode).toBe(423);
  });

  it('rejects requests without a session', async () => {
    const res = await harness.app.inject({ method: 'GET', url: '/api/people', headers: { 'accept-language': 'vi' } });
    expect(res.statusCode).toBe(401);
    expect((res.json() as { error: { message: string } }).error.message).toBe('Vui lòng đăng nhập.');
  });
});

describe('audit view', () => {
  it('shows auditors the changes with before and after, filterable by person', async () => {
    const aud = await newUser(database.db, org.orgId, [{ role: 'auditor', scopeUnitId: org.units.root!.id }]);
    const s = await signIn(harness.app, aud.username);
    const res = await s.get(`/api/audit?personId=${ids.eastC}`);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: { action: string; before: unknown; after: unknown }[] }).items;
    expect(items.map((i) => i.action)).toEqual(expect.arrayContaining(['update', 'read_sensitive']));
    const upd = items.find((i) => i.action === 'update' && (i.after as { phone?: string }).phone === '0592-1111');
    expect(upd?.before).toMatchObject({ phone: null });
    expect((await eastOfficer.get('/api/audit')).statusCode).toBe(403);
  });

  it('filters by the entity and action names the writers use, and refuses names it does not know', async () => {
    const aud = await newUser(database.db, org.orgId, [{ role: 'auditor', scopeUnitId: org.units.root!.id }]);
    const s = await signIn(harness.app, aud.username);
    const logins = (await s.get('/api/audit?entity=app_user&action=login')).json() as { items: { action: string; entity: string }[] };
    expect(logins.items.length).toBeGreaterThan(0);
    expect(logins.items.every((i) => i.action === 'login' && i.entity === 'app_user')).toBe(true);
    const bad = await s.get('/api/audit?action=logon');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('action');
  });
});

describe('unit headcount', () => {
  it('counts serving staff of the whole subtree and of the unit itself', async () => {
    const items = ((await admin.get('/api/units')).json() as { items: { code: string; headcount: number; directHeadcount: number }[] })
      .items;
    const byCode = Object.fromEntries(items.map((i) => [i.code, i]));
    const root = byCode.root!;
    expect(root.directHeadcount).toBe(0);
    expect(root.headcount).toBe(items.reduce((s, i) => s + i.directHeadcount, 0));
    expect(root.headcount).toBeGreaterThan(4);
  });
});

describe('education and certifications', () => {
  it('adds and removes rows, bumping the person version and auditing both', async () => {
    const before = (await eastOfficer.get(`/api/people/${ids.eastC}`)).json() as { version: number };
    const edu = await eastOfficer.send('POST', `/api/people/${ids.eastC}/education`, {
      level: 'master',
      institution: '厦门大学',
      major: '国际贸易',
      graduatedOn: '2015-06-30',
    });
    expect(edu.statusCode).toBe(201);
    const cert = await eastOfficer.send('POST', `/api/people/${ids.eastC}/certifications`, {
      code: 'food_safety',
      name: '食品安全',
      issuedOn: '2020-01-01',
      expiresOn: '2019-01-01',
    });
    expect(cert.statusCode).toBe(400);
    expect((cert.json() as { error: { details: { field: string; reason: string }[] } }).error.details[0]).toMatchObject({
      field: 'expiresOn',
      reason: 'date_order',
    });
    const eduId = (edu.json() as { id: string }).id;
    expect((await eastOfficer.send('DELETE', `/api/people/${ids.eastC}/education/${eduId}`)).statusCode).toBe(204);
    expect((await eastOfficer.send('DELETE', `/api/people/${ids.eastC}/education/${eduId}`)).statusCode).toBe(404);
    const after = (await eastOfficer.get(`/api/people/${ids.eastC}`)).json() as { version: number; education: unknown[] };
    expect(after.version).toBe(before.version + 2);
    expect(await countAudit(database.db, { entityId: eduId })).toBe(2);
  });

  it('offers the certificate types in use, counting valid holders inside the scope, and finds them by type', async () => {
    const add = (id: string, expiresOn: string) =>
      admin.send('POST', `/api/people/${id}/certifications`, {
        code: 'legal_affairs',
        name: '法律职业资格',
        issuedOn: '2020-01-01',
        expiresOn,
      });
    // eastC stays in the east district; earlier tests moved eastB's and the seconded person's site to the west.
    expect((await add(ids.eastC!, '2099-12-31')).statusCode).toBe(201);
    expect((await add(ids.westA!, '2099-12-31')).statusCode).toBe(201);
    expect((await add(ids.seconded!, '2021-01-01')).statusCode).toBe(201); // lapsed: a type in use, not a holder
    type Types = { items: { code: string; name: string; holders: number }[] };
    const legal = (res: { json: () => unknown }) => (res.json() as Types).items.find((i) => i.code === 'legal_affairs');
    expect(legal(await eastOfficer.get('/api/certification-types'))).toEqual({ code: 'legal_affairs', name: '法律职业资格', holders: 1 });
    expect(legal(await admin.get('/api/certification-types'))).toMatchObject({ holders: 2 });
    expect(names(await eastOfficer.get('/api/people?certCode=legal_affairs'))).toEqual([ids.eastC]);
    expect(names(await admin.get('/api/people?certCode=legal_affairs&certValidOn=2020-06-01'))).toEqual(
      [ids.eastC, ids.westA, ids.seconded].sort(),
    );
  });
});

describe('search access paths', () => {
  // Runs last: the unit move above has put eastPort and eastSec under west.
  it('returns each person once, whichever of their units the subtree holds', async () => {
    const u = org.units;
    const inside = (await newPerson(database.db, org.orgId, u.westPort!.id, { fullName: '王芳', homeUnitId: u.westSec!.id })).id;
    const across = (await newPerson(database.db, org.orgId, u.east!.id, { fullName: '刘洋', homeUnitId: u.westSec!.id })).id;
    const westList = names(await westHead.get('/api/people?limit=100'));
    expect(westList.filter((id) => id === inside)).toHaveLength(1);
    expect(westList.filter((id) => id === across)).toHaveLength(1);
    expect(new Set(westList).size).toBe(westList.length);
    const byWest = (await admin.get(`/api/people?limit=100&unitId=${u.west!.id}`)).json() as { items: { id: string }[]; total: number };
    expect(byWest.total).toBe(byWest.items.length);
    expect(byWest.items.map((i) => i.id)).toEqual(expect.arrayContaining([inside, across]));
    expect(names(await admin.get(`/api/people?limit=100&unitId=${u.east!.id}`))).toEqual([across, ids.eastC].sort());
    const dashboard = (await westHead.get('/api/dashboard')).json() as { total: number };
    expect(dashboard.total).toBe(westList.length);
  });

  it('filters and counts specialties by the bits the database stores', async () => {
    const res = (await admin.get('/api/people?specialty=animal_quarantine&facets=true')).json() as {
      items: { id: string }[];
      facets: { specialty: { key: string; count: number }[] };
    };
    expect(res.items.map((i) => i.id).sort()).toEqual([ids.eastA, ids.westA].sort());
    expect(res.facets.specialty).toEqual([{ key: 'animal_quarantine', count: 2 }]);
  });

  it('numbers specialties in the database exactly as the vocabulary does', async () => {
    const rows = (await database.rawQuery(
      `SELECT s, muster_specialty_mask(ARRAY[s]) AS bits FROM unnest($1::text[]) WITH ORDINALITY AS t(s, i) ORDER BY i`,
      [[...SPECIALTIES, 'no_such_specialty']],
    )) as { s: string; bits: number }[];
    expect(rows.map((r) => Number(r.bits))).toEqual([...SPECIALTIES.map((_, i) => 2 ** i), 0]);
    const [both] = (await database.rawQuery(`SELECT muster_specialty_mask($1::text[]) AS bits`, [[SPECIALTIES[0], SPECIALTIES[3]]])) as {
      bits: number;
    }[];
    expect(Number(both!.bits)).toBe(1 + 8);
  });
});
