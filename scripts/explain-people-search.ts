// Prints EXPLAIN ANALYZE for the people-search shapes of the registry benchmark against DATABASE_URL
// (or PGlite at ./data/pgdata), as admin or as the user named by --user. Plan changes are reviewed as plans.
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { PersonSearchRequest } from '../src/contracts/person.js';
import { connectDatabase } from '../src/db/connection.js';
import { queryRows } from '../src/db/query-rows.js';
import { buildActor } from '../src/modules/iam/auth.service.js';
import { orgToday } from '../src/modules/iam/organisation.service.js';
import { appUser } from '../src/modules/iam/schema.js';
import { buildPersonSearchQueries } from '../src/modules/registry/person-search.repository.js';

const args = process.argv.slice(2);
const flag = (n: string) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : undefined);
const database = await connectDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: './data/pgdata' });
const db = database.db;
const [user] = await db
  .select()
  .from(appUser)
  .where(sql`${appUser.username} = ${flag('user') ?? 'admin'}`);
const actor = await buildActor(db, user!, 'explain', 'explain');
const today = await orgToday(db, actor.orgId);
const [district] = await queryRows<{ id: string }>(db, sql`SELECT id FROM org_unit WHERE depth = 1 ORDER BY code LIMIT 1`);
const [cert] = await queryRows<{ code: string }>(db, sql`SELECT code FROM certification GROUP BY code ORDER BY count(*) DESC LIMIT 1`);
const shapes: Record<string, Partial<PersonSearchRequest>> = {
  subtree_specialty: { unitId: district!.id, specialty: ['animal_quarantine'] },
  subtree_age_edu: { unitId: district!.id, ageMin: 30, ageMax: 45, educationLevel: ['bachelor', 'master'] },
  tenure_5y: { tenureMinYears: 5 },
  cert_valid_on: { certCode: cert?.code ?? 'none', certValidOn: '2026-06-01' },
  name_zh: { q: '张伟' },
};
const only = flag('shape');
const dialect = new PgDialect();
for (const [name, f] of Object.entries(shapes)) {
  if (only && only !== name) continue;
  const req = { sort: 'fullName', dir: 'asc', limit: 20, facets: 'true', ...f } as PersonSearchRequest;
  const queries = buildPersonSearchQueries({ actor, today }, req);
  for (const [part, query] of Object.entries(queries)) {
    const { sql: text, params } = dialect.sqlToQuery(query);
    const rows = (await database.rawQuery(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, params)) as { 'QUERY PLAN': string }[];
    console.log(`\n=== ${name}: ${part}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}
await database.close();
