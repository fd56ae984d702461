import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../../../db/connection.js';
import { login } from '../../iam/auth.service.js';
import { buildSearchText } from '../name-search.js';
import { createNationalIdCipher, isValidNationalId, maskNationalId } from '../national-id.js';
import { generateAgency } from './generate-agency.js';
import { DEMO_PASSWORD, hasDemoData, seedDemo, type SeedDemoSummary } from './seed-demo.js';

const TODAY = '2025-06-15';
const PEOPLE = 500;
const SEED = 3;

describe('seedDemo into PGlite', () => {
  const secretKey = randomBytes(32);
  let database: Database;
  let summary: SeedDemoSummary;
  let emptyBefore: boolean;
  let schemaBefore: string[];

  const count = async (query: ReturnType<typeof sql>): Promise<number> => {
    const r = await database.db.execute(query);
    const rows = (r as unknown as { rows: { n: number | string }[] }).rows;
    return Number(rows[0]!.n);
  };

  beforeAll(async () => {
    database = await connectDatabase({ dataDir: 'memory://' });
    await database.migrate();
    emptyBefore = !(await hasDemoData(database.db));
    schemaBefore = await describeSchema();
    summary = await seedDemo(database.db, { people: PEOPLE, seed: SEED, secretKey, today: TODAY });
  });

  /** Every index and constraint definition in the schema: the bulk load drops and rebuilds some. */
  const describeSchema = async (): Promise<string[]> => {
    const r = await database.db.execute(sql`
      SELECT indexdef AS def FROM pg_indexes WHERE schemaname = current_schema()
      UNION ALL
      SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
      WHERE connamespace = current_schema()::regnamespace`);
    return (r as unknown as { rows: { def: string }[] }).rows.map((x) => x.def).sort();
  };

  afterAll(async () => {
    await database?.close();
  });

  it('reports an empty database before and a seeded one after', async () => {
    expect(emptyBefore).toBe(true);
    expect(await hasDemoData(database.db)).toBe(true);
  });

  it('leaves every index and constraint as the migrations declared them', async () => {
    expect(schemaBefore.length).toBeGreaterThan(20);
    expect(await describeSchema()).toEqual(schemaBefore);
  });

  it('inserts every generated row', async () => {
    const agency = generateAgency({ people: PEOPLE, seed: SEED, today: TODAY });
    expect(summary).toMatchObject({ orgId: agency.organisation.id, units: agency.units.length, people: PEOPLE });
    expect(await count(sql`SELECT count(*) AS n FROM organisation`)).toBe(1);
    expect(await count(sql`SELECT count(*) AS n FROM org_unit`)).toBe(agency.units.length);
    expect(await count(sql`SELECT count(*) AS n FROM position`)).toBe(agency.positions.length);
    expect(await count(sql`SELECT count(*) AS n FROM person`)).toBe(PEOPLE);
    expect(await count(sql`SELECT count(*) AS n FROM education`)).toBe(agency.educations.length);
    expect(await count(sql`SELECT count(*) AS n FROM certification`)).toBe(agency.certifications.length);
    expect(await count(sql`SELECT count(*) AS n FROM assignment`)).toBe(agency.assignments.length);
    expect(await count(sql`SELECT count(*) AS n FROM status_change`)).toBe(agency.statusChanges.length);
    // Arrays and dates survive the JSON round trip.
    const [first] = agency.people;
    const rows = await database.db.execute(
      sql`SELECT specialties, languages, birth_date::text AS birth, post_since::text AS since FROM person WHERE id = ${first!.id}`,
    );
    expect((rows as unknown as { rows: unknown[] }).rows[0]).toEqual({
      specialties: first!.specialties,
      languages: first!.languages,
      birth: first!.birthDate,
      since: first!.postSince,
    });
  });

  it('builds the certificate spans once and turns the certificate triggers back on', async () => {
    // The same rows a from-scratch rebuild makes, and a valid certificate always has its span.
    const spans = sql`SELECT person_id, code, valid_from::text, valid_to::text, unit_id, sort_name, specialty_mask
      FROM certification_holding ORDER BY 1, 2, 3`;
    const rowsOf = async () => ((await database.db.execute(spans)) as unknown as { rows: unknown[] }).rows;
    const seeded = await rowsOf();
    await database.db.execute(sql`SELECT muster_rebuild_certification_holding()`);
    expect(await rowsOf()).toEqual(seeded);
    expect(seeded.length).toBeGreaterThan(0);
    expect(
      await count(sql`SELECT count(*) AS n FROM certification c WHERE c.issued_on <= ${TODAY}
        AND (c.expires_on IS NULL OR c.expires_on >= ${TODAY}) AND NOT EXISTS (SELECT 1 FROM certification_holding h
          WHERE h.person_id = c.person_id AND h.code = c.code AND h.valid_from <= ${TODAY} AND h.valid_to >= ${TODAY})`),
    ).toBe(0);
    expect(
      await count(
        sql`SELECT count(*) AS n FROM pg_trigger WHERE tgrelid = 'certification'::regclass AND NOT tgisinternal AND tgenabled <> 'O'`,
      ),
    ).toBe(0);
  });

  it('places every person in units whose paths exist and nest under the root', async () => {
    expect(
      await count(sql`SELECT count(*) AS n FROM person p
        LEFT JOIN org_unit u ON u.id = p.unit_id LEFT JOIN org_unit h ON h.id = p.home_unit_id
        WHERE u.id IS NULL OR h.id IS NULL`),
    ).toBe(0);
    expect(
      await count(sql`SELECT count(*) AS n FROM org_unit c JOIN org_unit p ON p.id = c.parent_id
        WHERE c.path <> p.path || c.id::text || '/'`),
    ).toBe(0);
    expect(
      await count(sql`SELECT count(*) AS n FROM person p JOIN org_unit u ON u.id = p.unit_id
        WHERE NOT EXISTS (SELECT 1 FROM org_unit r WHERE r.depth = 0 AND u.path LIKE r.path || '%')`),
    ).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM person WHERE unit_id <> home_unit_id AND status <> 'seconded'`)).toBe(0);
  });

  it('keeps post_since in step with the one open assignment', async () => {
    expect(
      await count(sql`SELECT count(*) AS n FROM person p
        WHERE (SELECT count(*) FROM assignment a WHERE a.person_id = p.id AND a.end_date IS NULL) <> 1
           OR p.post_since <> (SELECT a.start_date FROM assignment a WHERE a.person_id = p.id AND a.end_date IS NULL)`),
    ).toBe(0);
  });

  it('stores national IDs encrypted, hashed and masked, and search text from buildSearchText', async () => {
    const cipher = createNationalIdCipher(secretKey);
    const r = await database.db.execute(
      sql`SELECT full_name, name_latin, search_text, national_id_enc, national_id_hash, national_id_masked FROM person ORDER BY person_no LIMIT 50`,
    );
    const rows = (r as unknown as { rows: Record<string, string>[] }).rows;
    expect(rows).toHaveLength(50);
    for (const row of rows) {
      const plain = cipher.decrypt(row.national_id_enc!);
      expect(isValidNationalId(plain)).toBe(true);
      expect(row.national_id_enc).not.toContain(plain);
      expect(row.national_id_hash).toBe(cipher.hash(plain));
      expect(row.national_id_masked).toBe(maskNationalId(plain));
      expect(row.search_text).toBe(buildSearchText(row.full_name!, row.name_latin));
    }
  });

  it('creates a demo account for every role, with the documented password', async () => {
    const roles = summary.accounts.map((a) => a.role).sort();
    expect(roles).toEqual(['admin', 'auditor', 'commander', 'counsellor', 'hr_officer', 'hr_officer', 'staff', 'unit_head']);
    expect(summary.accounts.map((a) => a.username)).toEqual(
      expect.arrayContaining(['admin', 'hr.dongdu', 'hr.gaoqi', 'head.dongdu', 'staff', 'auditor', 'counsellor', 'commander']),
    );
    for (const a of summary.accounts) expect(a.password).toBe(DEMO_PASSWORD);
    expect(summary.accounts.find((a) => a.username === 'hr.dongdu')!.scopeUnitName).toBe('东渡海关');
    expect(summary.accounts.find((a) => a.username === 'hr.gaoqi')!.scopeUnitName).toBe('高崎机场海关');
    expect(summary.accounts.find((a) => a.username === 'admin')!.scopeUnitName).toBe('厦门海关');

    // The staff account is tied to a real person and holds only the staff role.
    const r = await database.db.execute(sql`SELECT u.person_id, array_agg(g.role) AS roles,
        (SELECT count(*) FROM person p WHERE p.id = u.person_id) AS found
      FROM app_user u JOIN role_grant g ON g.user_id = u.id WHERE u.username = 'staff' GROUP BY u.id`);
    const staff = (r as unknown as { rows: { person_id: string | null; roles: string[]; found: number | string }[] }).rows[0]!;
    expect(staff.person_id).not.toBeNull();
    expect(Number(staff.found)).toBe(1);
    expect(staff.roles).toEqual(['staff']);

    const session = await login(database.db, { username: 'hr.dongdu', password: DEMO_PASSWORD }, 1);
    expect(session.token).toBeTruthy();
  });
});
