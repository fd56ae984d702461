import type { SQL } from 'drizzle-orm';
import type { Queryable } from './connection.js';

export type Row = Record<string, unknown>;

/** Runs raw SQL on either driver; both return `{ rows }`, which the shared type leaves unknown. */
export async function queryRows<T = Row>(q: Queryable, query: SQL): Promise<T[]> {
  const res = (await q.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}
