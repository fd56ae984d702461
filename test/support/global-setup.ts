import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../../src/db/connection.js';

/** Each run names its databases after itself, so concurrent runs on one server never touch each other's. */
const RUN_ID = randomBytes(3).toString('hex');
export const templateDbFor = (runId: string): string => `muster_tpl_${runId}`;

/**
 * On PostgreSQL, migrations run once into a template database; each test file then clones it
 * (CREATE DATABASE … TEMPLATE), which is far faster than migrating per file and isolates files.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    // PGlite: initdb is the slow part of a new instance, so migrate once and let each file load the dump.
    const dir = mkdtempSync(join(tmpdir(), 'muster-pglite-'));
    const file = join(dir, 'template.tar');
    const db = await connectDatabase({ dataDir: 'memory://' });
    await db.migrate();
    await db.dumpDataDir!(file);
    await db.close();
    project.provide('pgliteTemplate', file);
    return async () => rmSync(dir, { recursive: true, force: true });
  }
  const template = templateDbFor(RUN_ID);
  project.provide('testRunId', RUN_ID);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const templateUrl = withDatabase(url, template);
  const db = await connectDatabase({ databaseUrl: templateUrl, poolSize: 1 });
  await db.migrate();
  await db.close();
  return async () => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `muster_t_${RUN_ID}_%`,
    ]);
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    testRunId: string;
  }
}
