import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** The query surface both drivers share; modules never see which one is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that can run a query: the database or an open transaction. */
export type Queryable = Db | Tx;

export type Database = {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Applies committed SQL migrations; safe to call on every start. */
  migrate: () => Promise<void>;
  /** PGlite only: writes the data directory as a tar, to start later instances from it. */
  dumpDataDir?: (path: string) => Promise<void>;
  /** The driver itself, below Drizzle: benchmarks use it to time the same SQL sent bare. */
  rawQuery: (text: string, params: unknown[]) => Promise<unknown[]>;
  close: () => Promise<void>;
};

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

export type ConnectOptions = {
  /** postgres://… for a PostgreSQL server; absent for embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; 'memory://' keeps it in memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number | undefined;
  /** Memory per sort/hash step; searches with facets keep ~20k-row working sets in memory with 16MB. */
  workMem?: string | undefined;
  /** A dumped PGlite data directory (tar) to start from instead of running initdb: ~0.5 s instead of ~4 s. */
  pgliteTemplate?: string | undefined;
};

/**
 * A registry fits in memory, where an index page costs about what a table page does. The default (4,
 * for spinning disks) makes the planner read whole wide tables rather than the narrow covering indexes
 * searches are built on (migration 0007).
 */
const RANDOM_PAGE_COST = 1.1;

export async function connectDatabase(opts: ConnectOptions = {}): Promise<Database> {
  // Only digits and a unit reach the server setting: it is interpolated into a connection option.
  const workMem = (opts.workMem ?? process.env.MUSTER_WORK_MEM ?? '16MB').replace(/[^0-9A-Za-z]/g, '');
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      options: `-c work_mem=${workMem} -c random_page_cost=${RANDOM_PAGE_COST}`,
    });
    // DATE columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone to shift.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    // An idle client whose backend goes away (server restart, a terminated connection) is reported on
    // the pool; without a listener that event would crash the process. The pool drops the client and
    // the next query connects afresh.
    pool.on('error', () => undefined);
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      kind: 'postgres',
      db,
      migrate: () => migratePg(drizzlePg(pool), { migrationsFolder }),
      rawQuery: async (text, params) => (await pool.query(text, params)).rows as unknown[],
      close: () => pool.end(),
    };
  }
  const dataDir = opts.dataDir ?? './data/pgdata';
  if (!dataDir.startsWith('memory://') && !opts.pgliteTemplate) initialiseDataDir(dataDir);
  const client = await PGlite.create(dataDir, {
    extensions: { pg_trgm },
    ...(opts.pgliteTemplate ? { loadDataDir: new Blob([readFileSync(opts.pgliteTemplate)]) } : {}),
  });
  await client.exec(`SET work_mem = '${workMem}'; SET random_page_cost = ${RANDOM_PAGE_COST}`);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    kind: 'pglite',
    db,
    dumpDataDir: async (path: string) => {
      const blob = await client.dumpDataDir('none');
      writeFileSync(path, Buffer.from(await blob.arrayBuffer()));
    },
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    rawQuery: async (text, params) => (await client.query(text, params)).rows as unknown[],
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

/**
 * Creates a new PGlite data directory (initdb) in a short-lived child process. initdb touches about
 * 750 MiB of WebAssembly memory, which a process never returns: done in the server itself, the first
 * start would carry it for life and every large import would start from it (a new directory opened
 * afterwards costs about 400 MiB). An existing directory is left alone.
 */
function initialiseDataDir(dataDir: string): void {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  mkdirSync(dataDir, { recursive: true });
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)});
    const db = await PGlite.create(${JSON.stringify(resolve(dataDir))});
    await db.close();`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`Could not create the PGlite data directory ${dataDir}: ${run.stderr.slice(-2000)}`);
}
