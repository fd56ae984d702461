import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDatabase, type Database } from '../../src/db/connection.js';
import { templateDbFor, withDatabase } from './global-setup.js';

/** A fresh, migrated database for one test file: PGlite in memory, or a clone of the PostgreSQL template. */
export async function createTestDatabase(): Promise<Database & { label: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const template = inject('pgliteTemplate');
    const db = await connectDatabase({ dataDir: 'memory://', pgliteTemplate: template });
    // The template is migrated already; this only applies migrations added since (a no-op in a run).
    await db.migrate();
    return { ...db, label: 'pglite' };
  }
  const runId = inject('testRunId');
  const name = `muster_t_${runId}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDbFor(runId)}`);
  await admin.end();
  const db = await connectDatabase({ databaseUrl: withDatabase(url, name), poolSize: 5 });
  return {
    ...db,
    label: 'postgres',
    close: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
