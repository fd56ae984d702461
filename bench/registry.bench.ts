// `npm run bench -- registry`: five people-search shapes at 100,000 people on PostgreSQL and PGlite,
// each through the service layer and, as the baseline in the same run, the same SQL sent bare;
// plus the 100,000-row XLSX import end to end.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { PersonSearchRequest } from '../src/contracts/person.js';
import { connectDatabase, type Database } from '../src/db/connection.js';
import { queryRows } from '../src/db/query-rows.js';
import { buildActor } from '../src/modules/iam/auth.service.js';
import { appUser } from '../src/modules/iam/schema.js';
import { orgToday } from '../src/modules/iam/organisation.service.js';
import type { Actor } from '../src/modules/iam/actor.js';
import { seedDemo } from '../src/modules/registry/demo/seed-demo.js';
import { foldDiacritics } from '../src/modules/registry/name-search.js';
import { buildPersonSearchQueries, searchPeople, type SearchContext } from '../src/modules/registry/person-search.repository.js';
import { median, percentile, reportResult } from './lib.js';
import { benchImport } from './registry-import.js';

type Flags = Record<string, string | true>;
type ShapeResult = { p50_ms: number; p95_ms: number; bare_p50_ms: number; bare_p95_ms: number; rows: number };
const secretKey = Buffer.alloc(32, 3);
const dialect = new PgDialect();

export default async function registryBench(flags: Flags): Promise<void> {
  const smoke = flags.smoke === true;
  const people = Number(flags.people ?? (smoke ? 1500 : 100_000));
  const runs = Number(flags.runs ?? (smoke ? 5 : 60));
  // A shared 2-core machine: the load when the run started and ended says how far to trust it.
  const metrics: Record<string, number> = { people, load_1m_start: round(loadavg()[0]!) };
  const baseline: Record<string, number | string> = {};
  const pgUrl = process.env.DATABASE_URL;
  const targets: ('pg' | 'pglite')[] = [];
  if (pgUrl && flags['skip-pg'] !== true) targets.push('pg');
  if (flags['skip-pglite'] !== true) targets.push('pglite');
  if (!pgUrl) console.log('DATABASE_URL not set: PostgreSQL shapes skipped (set it to a server where databases can be created).');

  for (const target of targets) {
    const { database, drop } = await openScratch(target, pgUrl);
    try {
      const t0 = performance.now();
      await database.migrate();
      await seedDemo(database.db, { people, seed: 42, secretKey });
      console.log(`[${target}] seeded ${people} people in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      // Only full runs are compared across days; the smoke run inside npm test skips the ~2 s this costs on PGlite.
      if (!smoke) metrics[`${target}.reference_ms`] = await referenceMs(database);
      const shapes = await runShapes(database, runs);
      for (const [name, r] of Object.entries(shapes)) {
        metrics[`${target}.${name}.p50_ms`] = r.p50_ms;
        metrics[`${target}.${name}.p95_ms`] = r.p95_ms;
        metrics[`${target}.${name}.bare_p95_ms`] = r.bare_p95_ms;
        baseline[`${target}.${name}.bare_p50_ms`] = r.bare_p50_ms;
        metrics[`${target}.${name}.overhead_ratio`] = round(r.p50_ms / r.bare_p50_ms);
        console.log(
          `[${target}] ${name.padEnd(24)} p50 ${r.p50_ms.toFixed(2)} ms  p95 ${r.p95_ms.toFixed(2)} ms  | bare p50 ${r.bare_p50_ms.toFixed(2)}  p95 ${r.bare_p95_ms.toFixed(2)}  | ratio(p50) ${(r.p50_ms / r.bare_p50_ms).toFixed(2)}  total ${r.rows}`,
        );
      }
    } finally {
      await drop();
    }
  }

  if (flags['skip-import'] !== true) {
    const importMetrics = await runImportBench(smoke ? 2000 : Number(flags['import-rows'] ?? 100_000), pgUrl, {
      'import-runs': smoke ? '1' : '3',
      ...flags,
    });
    Object.assign(metrics, importMetrics);
  }
  metrics.load_1m_end = round(loadavg()[0]!);
  reportResult({ name: smoke ? 'registry-smoke' : 'registry', metrics, baseline }, { write: !smoke });
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * How fast this machine is today, in the database's own terms: the median of 7 runs of a fixed
 * CPU-bound statement that reads no table. The same code measured up to 2.6x apart on different days
 * on this shared box; with this beside the figures, runs from different days can be compared.
 */
async function referenceMs(database: Database): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    await database.rawQuery('SELECT count(*) FROM generate_series(1, 1000000)', []);
    times.push(performance.now() - t);
  }
  return round(median(times));
}

async function openScratch(target: 'pg' | 'pglite', pgUrl: string | undefined): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (target === 'pglite') {
    const database = await connectDatabase({ dataDir: 'memory://' });
    return { database, drop: () => database.close() };
  }
  const name = `muster_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(pgUrl!);
  u.pathname = `/${name}`;
  const database = await connectDatabase({ databaseUrl: u.toString(), poolSize: 4 });
  return {
    database,
    drop: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: pgUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** The shapes named by the issue; every one asks for facets, the most expensive form of the request. */
async function defineShapes(database: Database, actor: Actor): Promise<Record<string, Partial<PersonSearchRequest>>> {
  const db = database.db;
  const [district] = await queryRows<{ id: string }>(db, sql`SELECT id FROM org_unit WHERE depth = 1 ORDER BY code LIMIT 1`);
  const [cert] = await queryRows<{ code: string }>(db, sql`SELECT code FROM certification GROUP BY code ORDER BY count(*) DESC LIMIT 1`);
  const [zh] = await queryRows<{ full_name: string }>(
    db,
    sql`SELECT full_name FROM person WHERE full_name ~ '^[一-龥]{2,3}$' ORDER BY person_no LIMIT 1 OFFSET 17`,
  );
  // A Vietnamese name from the data, typed the way users do: without diacritics, family and middle name.
  const [vi] = await queryRows<{ full_name: string }>(
    db,
    sql`SELECT full_name FROM person WHERE full_name ~ '^[A-Za-zÀ-ỹĐđ ]+$' AND full_name ~ ' .* ' ORDER BY person_no LIMIT 1`,
  );
  const viQuery = vi ? foldDiacritics(vi.full_name).split(' ').slice(0, 2).join(' ') : 'nguyen van';
  void actor;
  return {
    subtree_specialty: { unitId: district!.id, specialty: ['animal_quarantine'] },
    subtree_age_edu: { unitId: district!.id, ageMin: 30, ageMax: 45, educationLevel: ['bachelor', 'master'] },
    tenure_5y: { tenureMinYears: 5 },
    cert_valid_on: { certCode: cert?.code ?? 'none', certValidOn: '2026-06-01' },
    name_zh: { q: zh!.full_name },
    name_vi: { q: viQuery },
  };
}

async function runShapes(database: Database, runs: number): Promise<Record<string, ShapeResult>> {
  const db = database.db;
  // The organisation administrator: scope over the whole tree, so the scope predicate is always present.
  const [user] = await db
    .select()
    .from(appUser)
    .where(sql`${appUser.username} = 'admin'`);
  const actor = await buildActor(db, user!, 'bench', 'bench');
  const today = await orgToday(db, actor.orgId);
  const ctx: SearchContext = { actor, today };
  const shapes = await defineShapes(database, actor);
  const out: Record<string, ShapeResult> = {};
  for (const [name, filter] of Object.entries(shapes)) {
    const req = { sort: 'fullName', dir: 'asc', limit: 20, facets: 'true', ...filter } as PersonSearchRequest;
    const bareQueries = Object.values(buildPersonSearchQueries(ctx, req)).map((q) => dialect.sqlToQuery(q));
    const service = async () => searchPeople(db, ctx, req);
    // The service's two statements, sent bare the same way: together, on the pool's connections.
    const bare = async () => Promise.all(bareQueries.map((q) => database.rawQuery(q.sql, q.params)));
    for (let i = 0; i < 5; i++) {
      await service();
      await bare();
    }
    const s: number[] = [];
    const b: number[] = [];
    let rows = 0;
    // Interleaved, so both sides see the same noise from this shared machine.
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      rows = (await service()).total;
      s.push(performance.now() - t);
      t = performance.now();
      await bare();
      b.push(performance.now() - t);
    }
    s.sort((x, y) => x - y);
    b.sort((x, y) => x - y);
    out[name] = {
      p50_ms: round(median(s)),
      p95_ms: round(percentile(s, 95)),
      bare_p50_ms: round(median(b)),
      bare_p95_ms: round(percentile(b, 95)),
      rows,
    };
  }
  return out;
}

async function runImportBench(rows: number, pgUrl: string | undefined, flags: Flags): Promise<Record<string, number>> {
  try {
    return await benchImport(rows, pgUrl, flags);
  } catch (err) {
    console.error(err);
    return { 'import.failed': 1 };
  }
}
