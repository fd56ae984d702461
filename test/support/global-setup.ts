import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../../src/db/connection.js';

export const TEMPLATE_DB = 'muster_test_template';

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
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  const templateUrl = withDatabase(url, TEMPLATE_DB);
  const db = await connectDatabase({ databaseUrl: templateUrl, poolSize: 1 });
  await db.migrate();
  await db.close();
  return async () => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'muster_t_%'`);
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
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
  }
}
