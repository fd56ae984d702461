// The certificate search path (certification_holding, migration 0008) against the plain definition
// it replaces: "holds a certificate of this code valid on this date" as an EXISTS over certification.
// Random certificates with overlaps, touching spans, open ends and impossible dates; then edits,
// removals, person moves and deletions, each followed by the same comparison.
import { eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonSearchRequest } from '../../contracts/person.js';
import type { Database } from '../../db/connection.js';
import { queryRows } from '../../db/query-rows.js';
import { newPerson, newUser, seedSmallOrg } from '../../../test/support/factories.js';
import { createTestDatabase } from '../../../test/support/test-db.js';
import { buildActor } from '../iam/auth.service.js';
import type { Actor } from '../iam/actor.js';
import { appUser } from '../iam/schema.js';
import { buildPersonSearchQueries, searchPeople } from './person-search.repository.js';
import { certification, person } from './schema.js';
import { createRng } from '../../engines/roster/prng.js';

type Org = Awaited<ReturnType<typeof seedSmallOrg>>;
let database: Database;
let org: Org;
let admin: Actor;
let eastOfficer: Actor;
const people: { id: string; unitId: string }[] = [];
const CODES = ['food_safety', 'radiation_safety', 'legal_affairs'] as const;
const TODAY = '2026-06-15';

// Seeded, so a failure names a reproducible case.
const rand = createRng(20261201);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const dayOf = (offset: number) => new Date(Date.UTC(2026, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);

async function actorFor(username: string): Promise<Actor> {
  const [user] = await database.db.select().from(appUser).where(eq(appUser.username, username));
  return buildActor(database.db, user!, 'test', 'test');
}

/** Certificates that exercise the span merge: overlapping, touching (expiry + 1 = next issue), open, inverted. */
async function addRandomCertificates(n: number): Promise<void> {
  const rows: (typeof certification.$inferInsert)[] = [];
  for (let i = 0; i < n; i++) {
    const p = pick(people);
    const issued = Math.floor(rand() * 300);
    const kind = rand();
    const expires = kind < 0.15 ? null : kind < 0.2 ? issued - 5 : issued + Math.floor(rand() * 120);
    rows.push({
      orgId: org.orgId,
      personId: p.id,
      code: pick(CODES),
      name: 'cert',
      issuedOn: dayOf(issued),
      expiresOn: expires === null ? null : dayOf(expires),
    });
    // Sometimes a renewal that starts the day after the previous one ends.
    if (expires !== null && expires >= issued && rand() < 0.2) {
      rows.push({ ...rows[rows.length - 1]!, issuedOn: dayOf(expires + 1), expiresOn: dayOf(expires + 40) });
    }
  }
  // One multi-row statement, as bulk loads write them: the statement-level trigger sees them together.
  await database.db.insert(certification).values(rows);
}

/** The definition: every person in the actor's scope holding a valid certificate of the code on the date. */
async function expectedHolders(actor: Actor, code: string, on: string): Promise<string[]> {
  const all = await queryRows<{ id: string }>(
    database.db,
    sql`SELECT p.id FROM person p WHERE p.org_id = ${org.orgId} AND EXISTS (
      SELECT 1 FROM certification c WHERE c.person_id = p.id AND c.code = ${code}
        AND c.issued_on <= ${on} AND (c.expires_on IS NULL OR c.expires_on >= ${on}))`,
  );
  const visible = new Set(await visibleTo(actor));
  return all
    .map((r) => r.id)
    .filter((id) => visible.has(id))
    .sort();
}

async function visibleTo(actor: Actor): Promise<string[]> {
  const res = await searchPeople(database.db, { actor, today: TODAY }, request({}));
  return res.items.map((i) => i.id);
}

function request(f: Partial<PersonSearchRequest>): PersonSearchRequest {
  return { sort: 'fullName', dir: 'asc', limit: 200, facets: 'true', ...f } as PersonSearchRequest;
}

/** Ids in result order, duplicates kept: a person listed twice is a failure, not a set-equal pass. */
async function searchedHolders(actor: Actor, code: string, on: string): Promise<{ ids: string[]; total: number }> {
  const res = await searchPeople(database.db, { actor, today: TODAY }, request({ certCode: code, certValidOn: on }));
  return { ids: res.items.map((i) => i.id).sort(), total: res.total };
}

async function expectAgreementOnRandomDates(dates: number): Promise<void> {
  for (let i = 0; i < dates; i++) {
    const on = dayOf(Math.floor(rand() * 460) - 20);
    const code = pick(CODES);
    for (const actor of [admin, eastOfficer]) {
      const want = await expectedHolders(actor, code, on);
      const got = await searchedHolders(actor, code, on);
      expect({ code, on, ids: got.ids, total: got.total }).toEqual({ code, on, ids: want, total: want.length });
    }
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  org = await seedSmallOrg(database.db);
  const u = org.units;
  const units = [u.east!, u.eastPort!, u.eastSec!, u.west!, u.westPort!, u.westSec!];
  for (let i = 0; i < 40; i++) {
    const unit = units[i % units.length]!;
    const p = await newPerson(database.db, org.orgId, unit.id, { birthDate: dayOf(-365 * (25 + (i % 30))) });
    people.push({ id: p.id, unitId: unit.id });
  }
  const adminUser = await newUser(database.db, org.orgId, [{ role: 'admin', scopeUnitId: u.root!.id }]);
  const officer = await newUser(database.db, org.orgId, [{ role: 'hr_officer', scopeUnitId: u.east!.id }]);
  admin = await actorFor(adminUser.username);
  eastOfficer = await actorFor(officer.username);
  await addRandomCertificates(120);
});

afterAll(async () => {
  await database?.close();
});

describe('certificate search through certification_holding', () => {
  it('reads certificate searches from the holding copy, and name searches with a certificate from person', () => {
    const text = (f: Partial<PersonSearchRequest>) => {
      const { page, counts } = buildPersonSearchQueries({ actor: eastOfficer, today: TODAY }, request(f));
      return [page, counts].map((q) => new PgDialect().sqlToQuery(q).sql).join(';\n');
    };
    expect(text({ certCode: 'food_safety' })).toMatch(/FROM certification_holding h/);
    expect(text({ certCode: 'food_safety' })).not.toMatch(/FROM certification c/);
    expect(text({ certCode: 'food_safety', q: 'li' })).not.toMatch(/certification_holding/);
  });

  it('lists exactly the holders of a valid certificate, once each, in scope', async () => {
    await expectAgreementOnRandomDates(40);
  });

  it('merges overlapping and touching certificates into one span and ignores impossible ones', async () => {
    const p = people[0]!;
    await database.db.delete(certification).where(eq(certification.personId, p.id));
    await database.db.insert(certification).values([
      { orgId: org.orgId, personId: p.id, code: 'finance', name: 'a', issuedOn: '2026-01-01', expiresOn: '2026-03-31' },
      { orgId: org.orgId, personId: p.id, code: 'finance', name: 'b', issuedOn: '2026-03-01', expiresOn: '2026-05-31' },
      { orgId: org.orgId, personId: p.id, code: 'finance', name: 'c', issuedOn: '2026-06-01', expiresOn: '2026-06-30' },
      { orgId: org.orgId, personId: p.id, code: 'finance', name: 'd', issuedOn: '2026-09-01', expiresOn: null },
      { orgId: org.orgId, personId: p.id, code: 'finance', name: 'e', issuedOn: '2026-08-01', expiresOn: '2026-07-01' },
    ]);
    const spans = await queryRows<{ valid_from: string; valid_to: string }>(
      database.db,
      sql`SELECT valid_from::text, valid_to::text FROM certification_holding WHERE person_id = ${p.id} AND code = 'finance' ORDER BY valid_from`,
    );
    expect(spans).toEqual([
      { valid_from: '2026-01-01', valid_to: '2026-06-30' },
      { valid_from: '2026-09-01', valid_to: 'infinity' },
    ]);
    for (const on of ['2025-12-31', '2026-01-01', '2026-03-15', '2026-06-30', '2026-07-01', '2026-08-15', '2026-09-01', '2030-01-01']) {
      expect((await searchedHolders(admin, 'finance', on)).ids).toEqual(await expectedHolders(admin, 'finance', on));
    }
  });

  it('follows edits and removals of certificates', async () => {
    const some = await queryRows<{ id: string }>(
      database.db,
      sql`SELECT id FROM certification WHERE org_id = ${org.orgId} ORDER BY id LIMIT 30`,
    );
    // Move validity, change codes, remove some; several rows per statement.
    await database.db.execute(
      sql`UPDATE certification SET issued_on = issued_on - 30, expires_on = expires_on + 45 WHERE id IN ${sql.raw(inList(some.slice(0, 10)))}`,
    );
    await database.db.execute(sql`UPDATE certification SET code = 'legal_affairs' WHERE id IN ${sql.raw(inList(some.slice(10, 20)))}`);
    await database.db.execute(sql`DELETE FROM certification WHERE id IN ${sql.raw(inList(some.slice(20, 30)))}`);
    await addRandomCertificates(30);
    await expectAgreementOnRandomDates(30);
  });

  it('follows the person: a move changes who sees them, an edit what they are counted as, a deletion removes them', async () => {
    const west = people.find((p) => p.unitId === org.units.westSec!.id)!;
    await database.db.insert(certification).values({
      orgId: org.orgId,
      personId: west.id,
      code: 'food_safety',
      name: 'x',
      issuedOn: '2026-01-01',
      expiresOn: null,
    });
    const officerSees = async () => (await searchedHolders(eastOfficer, 'food_safety', TODAY)).ids.includes(west.id);
    expect(await officerSees()).toBe(false);
    await database.db
      .update(person)
      .set({ unitId: org.units.eastSec!.id, homeUnitId: org.units.eastSec!.id })
      .where(eq(person.id, west.id));
    expect(await officerSees()).toBe(true);

    await database.db
      .update(person)
      .set({ educationLevel: 'doctorate', specialties: ['finance'] })
      .where(eq(person.id, west.id));
    const res = await searchPeople(
      database.db,
      { actor: eastOfficer, today: TODAY },
      request({ certCode: 'food_safety', educationLevel: ['doctorate'], specialty: ['finance'] }),
    );
    expect(res.items.map((i) => i.id)).toContain(west.id);
    expect(res.facets!.educationLevel.find((b) => b.key === 'doctorate')!.count).toBeGreaterThanOrEqual(1);

    await database.db.delete(person).where(eq(person.id, west.id));
    const left = await queryRows(database.db, sql`SELECT 1 FROM certification_holding WHERE person_id = ${west.id}`);
    expect(left).toEqual([]);
    people.splice(people.indexOf(west), 1);
    await expectAgreementOnRandomDates(10);
  });

  it('falls back to the person path when a filter reads a column the copy lacks', async () => {
    const on = TODAY;
    const withName = await searchPeople(
      database.db,
      { actor: admin, today: TODAY },
      request({ certCode: 'radiation_safety', certValidOn: on, q: '测试' }),
    );
    const want = await expectedHolders(admin, 'radiation_safety', on);
    expect(withName.items.map((i) => i.id).sort()).toEqual(want);
  });
});

const inList = (rows: { id: string }[]) => `(${rows.map((r) => `'${r.id}'`).join(', ')})`;
