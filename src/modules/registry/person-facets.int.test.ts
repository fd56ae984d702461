// Facet counts and totals against their definition. The search counts facets from packed codes in a
// statement of its own (person-search.repository.ts); here the same matches are listed page by page
// and counted field by field in plain code, for several filters and two scopes, with some fields
// left unrecorded so the "unknown" buckets are exercised too.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonFacets, PersonListItem, PersonSearchRequest } from '../../contracts/person.js';
import type { Database } from '../../db/connection.js';
import { queryRows } from '../../db/query-rows.js';
import { createTestDatabase } from '../../../test/support/test-db.js';
import { buildActor } from '../iam/auth.service.js';
import type { Actor } from '../iam/actor.js';
import { appUser } from '../iam/schema.js';
import { seedDemo } from './demo/seed-demo.js';
import { iteratePeople, searchPeople, type SearchContext } from './person-search.repository.js';

const TODAY = '2026-06-15';
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.db, { people: 600, seed: 7, secretKey: Buffer.alloc(32, 9), today: TODAY });
  // Unrecorded values, which the demo never produces: every "unknown" and "none" bucket gets members.
  await database.db.execute(
    sql`UPDATE person SET birth_date = NULL WHERE person_no IN (SELECT person_no FROM person ORDER BY person_no LIMIT 7)`,
  );
  await database.db.execute(
    sql`UPDATE person SET education_level = NULL, echelon = NULL WHERE person_no IN (SELECT person_no FROM person ORDER BY person_no DESC LIMIT 9)`,
  );
}, 120_000);

afterAll(async () => {
  await database?.close();
});

async function actorFor(username: string): Promise<Actor> {
  const [user] = await database.db.select().from(appUser).where(eq(appUser.username, username));
  return buildActor(database.db, user!, 'test', 'test');
}

function ageBand(birthDate: string | null): string {
  if (!birthDate) return 'unknown';
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = TODAY.split('-').map(Number) as [number, number, number];
  const age = ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
  return age < 30 ? '<30' : age < 40 ? '30-39' : age < 50 ? '40-49' : age < 60 ? '50-59' : '60+';
}

/** The facets by definition, from the listed people, as sorted [key, count] pairs per facet. */
function countByDefinition(items: PersonListItem[]): Record<keyof PersonFacets, [string, number][]> {
  const tally = (keys: string[]) => {
    const m = new Map<string, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m].sort(([a], [b]) => a.localeCompare(b));
  };
  return {
    ageBand: tally(items.map((p) => ageBand(p.birthDate))),
    educationLevel: tally(items.map((p) => p.educationLevel ?? 'unknown')),
    specialty: tally(items.flatMap((p) => p.specialties)),
    titleLevel: tally(items.map((p) => p.titleLevel)),
    position: tally(items.map((p) => p.positionId ?? 'none')),
    echelon: tally(items.map((p) => p.echelon ?? 'none')),
  };
}

const sorted = (facets: PersonFacets) =>
  Object.fromEntries(
    Object.entries(facets).map(([k, buckets]) => [
      k,
      buckets.map((b) => [b.key, b.count]).sort(([a], [b]) => String(a).localeCompare(String(b))),
    ]),
  );

/** Compares one search's total and facets with the definition; returns how many people it covered. */
async function expectFacetsByDefinition(username: string, f: Partial<PersonSearchRequest>): Promise<number> {
  const ctx: SearchContext = { actor: await actorFor(username), today: TODAY };
  const res = await searchPeople(database.db, ctx, {
    sort: 'fullName',
    dir: 'asc',
    limit: 20,
    facets: 'true',
    ...f,
  } as PersonSearchRequest);
  const listed: PersonListItem[] = [];
  for await (const page of iteratePeople(database.db, ctx, f as PersonSearchRequest, 97)) listed.push(...page);
  expect(res.total, JSON.stringify({ username, f })).toBe(listed.length);
  expect(sorted(res.facets!), JSON.stringify({ username, f })).toEqual(countByDefinition(listed));
  expect(
    Object.values(res.facets!)
      .flat()
      .every((b) => b.count > 0),
  ).toBe(true);
  return listed.length;
}

describe('facet counts', () => {
  it('equal the definition counted over the listed matches, for every filter and scope', async () => {
    const [district] = await queryRows<{ id: string }>(database.db, sql`SELECT id FROM org_unit WHERE depth = 1 ORDER BY code LIMIT 1`);
    const [cert] = await queryRows<{ code: string }>(
      database.db,
      sql`SELECT code FROM certification GROUP BY code ORDER BY count(*) DESC LIMIT 1`,
    );
    const filters: Partial<PersonSearchRequest>[] = [
      {},
      { unitId: district!.id },
      { specialty: ['animal_quarantine', 'finance'] },
      { ageMin: 30, ageMax: 45, educationLevel: ['bachelor', 'master'] },
      { tenureMinYears: 5 },
      { certCode: cert!.code, certValidOn: TODAY },
    ];
    let compared = 0;
    for (const username of ['admin', 'hr.dongdu']) {
      for (const f of filters) compared += await expectFacetsByDefinition(username, f);
    }
    // The filters must select people, or the comparison proves nothing.
    expect(compared).toBeGreaterThan(600);
  });

  it('follow edits to the coded fields on the certificate path too (the holders copy the code)', async () => {
    const [cert] = await queryRows<{ code: string }>(
      database.db,
      sql`SELECT code FROM certification GROUP BY code ORDER BY count(*) DESC LIMIT 1`,
    );
    // Holders of that certificate change education, title, echelon and specialties in one statement.
    await database.db.execute(sql`UPDATE person SET education_level = 'doctorate', title_level = 'senior', echelon = NULL,
        specialties = ARRAY['finance', 'logistics']::text[], version = version + 1
      WHERE id IN (SELECT person_id FROM certification WHERE code = ${cert!.code} ORDER BY person_id LIMIT 25)`);
    const covered = await expectFacetsByDefinition('admin', { certCode: cert!.code, certValidOn: TODAY });
    expect(covered).toBeGreaterThan(25);
  });

  it('answers the total alone when facets are not asked for', async () => {
    const ctx: SearchContext = { actor: await actorFor('admin'), today: TODAY };
    const res = await searchPeople(database.db, ctx, { sort: 'fullName', dir: 'asc', limit: 5, facets: 'false' } as PersonSearchRequest);
    const [{ n }] = (await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM person`)) as [{ n: number }];
    expect(res.total).toBe(n);
    expect(res.facets).toBeUndefined();
    expect(res.items).toHaveLength(5);
  });
});
