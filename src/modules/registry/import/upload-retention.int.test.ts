import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/connection.js';
import { queryRows } from '../../../db/query-rows.js';
import { newUser, seedSmallOrg } from '../../../../test/support/factories.js';
import { createTestDatabase } from '../../../../test/support/test-db.js';
import { job } from '../../jobs/schema.js';
import { importUpload } from '../schema.js';
import { purgeExpiredUploads } from './upload-retention.js';

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('import upload retention', () => {
  it('deletes uploads past the retention period unless a pending job still reads them', async () => {
    const db = database.db;
    const org = await seedSmallOrg(db);
    const user = await newUser(db, org.orgId, [{ role: 'admin', scopeUnitId: org.units.root!.id }]);
    const upload = async (fileName: string, daysAgo: number) => {
      const [row] = await db
        .insert(importUpload)
        .values({
          orgId: org.orgId,
          createdBy: user.id,
          fileName,
          format: 'csv',
          headers: ['工号'],
          rowCount: 1,
          content: Buffer.from('工号\nA1\n'),
          createdAt: new Date(Date.now() - daysAgo * 86_400_000),
        })
        .returning({ id: importUpload.id });
      return row!.id;
    };
    const fresh = await upload('fresh.csv', 2);
    const expired = await upload('expired.csv', 45);
    const expiredButQueued = await upload('queued.csv', 45);
    const expiredAndDone = await upload('done.csv', 45);
    await db.insert(job).values([
      { orgId: org.orgId, kind: 'import_commit', status: 'queued', payload: { uploadId: expiredButQueued } },
      { orgId: org.orgId, kind: 'import_commit', status: 'succeeded', payload: { uploadId: expiredAndDone }, result: { committed: true } },
    ]);

    const purged = await purgeExpiredUploads(db, 30);

    expect(purged.map((p) => p.fileName).sort()).toEqual(['done.csv', 'expired.csv']);
    const left = await queryRows<{ id: string }>(db, sql`SELECT id FROM import_upload ORDER BY file_name`);
    expect(left.map((r) => r.id).sort()).toEqual([fresh, expiredButQueued].sort());
    expect(left.map((r) => r.id)).not.toContain(expired);
    // The finished job and its report are untouched.
    const jobs = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM job`);
    expect(Number(jobs[0]!.n)).toBe(2);
  });
});
