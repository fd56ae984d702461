import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { createTestDatabase } from '../../../test/support/test-db.js';
import { recordAudit } from './audit.repository.js';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('audit log', () => {
  it('refuses updates, deletes and truncation at the database level', async () => {
    const orgId = crypto.randomUUID();
    await recordAudit(database.db, null, orgId, { action: 'create', entity: 'person', after: { x: 1 } });
    await expect(database.db.execute(sql`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow();
    await expect(database.db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
    await expect(database.db.execute(sql`TRUNCATE audit_log`)).rejects.toThrow();
    const rows = (await database.db.execute(sql`SELECT action FROM audit_log`)) as unknown as { rows: { action: string }[] };
    expect(rows.rows.map((r) => r.action)).toEqual(['create']);
  });
});
