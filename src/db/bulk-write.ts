import { sql } from 'drizzle-orm';
import type { Queryable, Tx } from './connection.js';
import { queryRows } from './query-rows.js';

/** Table names as a parameter list for `relname IN (…)`. */
const nameList = (tables: readonly string[]) =>
  sql.join(
    tables.map((t) => sql`${t}`),
    sql`, `,
  );

export type IndexDefinition = { table: string; name: string; def: string };
export type ForeignKeyDefinition = { table: string; name: string; def: string };

/**
 * The secondary indexes of the given tables, as the catalogue defines them: every index not backing
 * a constraint (primary keys stay: cheap btrees others may depend on), and with `keepUnique`
 * unique indexes stay too (an upsert's ON CONFLICT needs its arbiter).
 */
export async function secondaryIndexes(tx: Tx, tables: readonly string[], keepUnique: boolean): Promise<IndexDefinition[]> {
  if (!tables.length) return [];
  const list = nameList(tables);
  return queryRows<IndexDefinition>(
    tx,
    sql`SELECT t.relname AS "table", i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relname IN (${list})
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ${keepUnique ? sql`AND NOT i.indisunique` : sql``}
      ORDER BY 1, 2`,
  );
}

/** The foreign keys declared on the given tables (the referencing side), as the catalogue defines them. */
export async function foreignKeysOf(tx: Tx, tables: readonly string[]): Promise<ForeignKeyDefinition[]> {
  if (!tables.length) return [];
  const list = nameList(tables);
  return queryRows<ForeignKeyDefinition>(
    tx,
    sql`SELECT c.conrelid::regclass::text AS "table", quote_ident(c.conname) AS name, pg_get_constraintdef(c.oid) AS def
      FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname IN (${list})
      ORDER BY 1, 2`,
  );
}

/**
 * Drops the indexes and foreign keys in the caller's transaction; `restoreIndexesAndForeignKeys` puts
 * them back from their definitions: one sort per index instead of an entry per inserted row, and one
 * join per foreign key (which validates every row, old and new) instead of a look-up per row. A
 * failure or rollback leaves the schema as it was. Only for writers that hold the database alone for
 * the duration (the embedded PGlite's one connection, a seeder): on a shared server the DDL would
 * lock readers out.
 */
export async function dropIndexesAndForeignKeys(
  q: Queryable,
  indexes: readonly IndexDefinition[],
  foreignKeys: readonly ForeignKeyDefinition[],
): Promise<void> {
  for (const fk of foreignKeys) await q.execute(sql.raw(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`));
  for (const ix of indexes) await q.execute(sql.raw(`DROP INDEX ${ix.name}`));
}

export async function restoreIndexesAndForeignKeys(
  q: Queryable,
  indexes: readonly IndexDefinition[],
  foreignKeys: readonly ForeignKeyDefinition[],
): Promise<void> {
  for (const ix of indexes) await q.execute(sql.raw(ix.def));
  for (const fk of foreignKeys) await q.execute(sql.raw(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.def}`));
}
