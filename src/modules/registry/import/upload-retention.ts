import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/connection.js';
import { queryRows } from '../../../db/query-rows.js';

/**
 * Uploaded files hold personal data (names, national IDs) in the clear inside the spreadsheet, so
 * they are kept only as long as someone may still map, dry-run or commit them. Deletes uploads older
 * than `olderThanDays`, except those a queued or running import job still reads. Job results (the
 * per-row reports) and the audit trail do not depend on the file and stay.
 */
export async function purgeExpiredUploads(db: Db, olderThanDays: number): Promise<{ id: string; orgId: string; fileName: string }[]> {
  const rows = await queryRows<{ id: string; org_id: string; file_name: string }>(
    db,
    sql`DELETE FROM import_upload u
      WHERE u.created_at < now() - make_interval(days => ${olderThanDays}::int)
        AND NOT EXISTS (SELECT 1 FROM job j WHERE j.status IN ('queued', 'running') AND j.payload->>'uploadId' = u.id::text)
      RETURNING u.id, u.org_id, u.file_name`,
  );
  return rows.map((r) => ({ id: r.id, orgId: r.org_id, fileName: r.file_name }));
}
