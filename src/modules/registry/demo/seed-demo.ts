import { randomBytes } from 'node:crypto';
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db, Queryable, Tx } from '../../../db/connection.js';
import type { Role } from '../../../contracts/vocab.js';
import { dropIndexesAndForeignKeys, foreignKeysOf, restoreIndexesAndForeignKeys, secondaryIndexes } from '../../../db/bulk-write.js';
import { createUser } from '../../iam/auth.service.js';
import { organisation } from '../../iam/schema.js';
import { buildSearchText } from '../name-search.js';
import { createNationalIdCipher, maskNationalId } from '../national-id.js';
import { assignment, certification, education, orgUnit, person, position, statusChange } from '../schema.js';
import { DEFAULT_DEMO_PEOPLE, DEFAULT_DEMO_SEED, generateAgency, type DemoAgency } from './generate-agency.js';

/** Demo only: every demo account shares this password, and the README says so. */
export const DEMO_PASSWORD = 'muster-demo';

export type SeedDemoOptions = {
  /** Headcount; default 5,000. */
  people?: number;
  /** Default 42. */
  seed?: number;
  /** The 32-byte key national IDs are encrypted and hashed with; the server must use the same one. */
  secretKey: Buffer;
  log?: (message: string) => void;
  /** YYYY-MM-DD the data is generated relative to; default today in Asia/Shanghai. */
  today?: string;
};

export type DemoAccount = {
  username: string;
  password: string;
  role: Role;
  displayName: string;
  scopeUnitName: string;
};

export type SeedDemoSummary = {
  orgId: string;
  units: number;
  people: number;
  accounts: DemoAccount[];
};

/** Rows per INSERT: about 25k bind parameters for `person`, under PostgreSQL's 65,535 limit. */
const BATCH_ROWS = 1_000;

export async function hasDemoData(db: Queryable): Promise<boolean> {
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(organisation)
    .limit(1);
  return rows.length > 0;
}

/**
 * Generates a demo agency and inserts it in one transaction, with multi-row INSERTs, so a
 * failure leaves the database empty and a retry starts clean. Demo accounts for every role are
 * created with the shared demo password.
 */
export async function seedDemo(db: Db, options: SeedDemoOptions): Promise<SeedDemoSummary> {
  const log = options.log ?? (() => undefined);
  const people = options.people ?? DEFAULT_DEMO_PEOPLE;
  const seed = options.seed ?? DEFAULT_DEMO_SEED;

  let started = performance.now();
  const agency = generateAgency({ people, seed, ...(options.today ? { today: options.today } : {}) });
  log(`demo: generated ${agency.people.length} people in ${elapsed(started)}`);

  started = performance.now();
  const personRows = toPersonRows(agency, options.secretKey);
  log(`demo: search text and national-id encryption in ${elapsed(started)}`);

  started = performance.now();
  const accounts = await db.transaction(async (tx) => {
    const org = agency.organisation;
    await tx.insert(organisation).values(org);
    // Parents come before children in the generated order, so the tree is valid at every batch.
    await insertInBatches(tx, orgUnit, agency.units, log);
    await insertInBatches(tx, position, agency.positions, log);
    const restore = await suspendIndexesAndForeignKeys(tx, BULK_TABLES, log);
    await insertInBatches(tx, person, personRows, log);
    await insertInBatches(tx, education, withIds(agency.educations), log);
    await insertInBatches(tx, certification, withIds(agency.certifications), log);
    await insertInBatches(tx, assignment, withIds(agency.assignments), log);
    await insertInBatches(tx, statusChange, withIds(agency.statusChanges), log);
    await restore();
    return createDemoAccounts(tx, agency);
  });
  log(
    `demo: inserted ${agency.units.length} units, ${agency.people.length} people, ` +
      `${agency.educations.length + agency.certifications.length + agency.assignments.length + agency.statusChanges.length} history rows ` +
      `and ${accounts.length} accounts in ${elapsed(started)}`,
  );

  // Fresh tables have no statistics and no visibility map: without both the planner picks poor plans
  // and searches cannot be answered from the covering index alone. VACUUM cannot run in a transaction.
  await db.execute(sql.raw(`VACUUM (ANALYZE) ${BULK_TABLES.join(', ')}`));
  return { orgId: agency.organisation.id, units: agency.units.length, people: agency.people.length, accounts };
}

/** The tables that take the bulk of the rows; small tables are not worth the index dance. */
const BULK_TABLES = ['person', 'education', 'certification', 'certification_holding', 'assignment', 'status_change'] as const;

/**
 * Ids made here rather than by gen_random_uuid(), whose every call in PGlite crosses into
 * JavaScript (about a tenth of a history-row insert). UUIDv7 layout, a timestamp and then a
 * counter from a random start: cheap to make and ascending, so primary-key inserts append.
 */
function withIds<T extends object>(rows: readonly T[]): (T & { id: string })[] {
  const next = createSequentialUuids();
  return rows.map((r) => ({ id: next(), ...r }));
}

function createSequentialUuids(): () => string {
  const ms = Date.now().toString(16).padStart(12, '0');
  const start = randomBytes(8);
  // 62 random bits after the variant, kept as a number pair so the counter can carry.
  let hi = start.readUInt32BE(0) & 0x3fffffff;
  let lo = start.readUInt32BE(4) & 0x7fffffff;
  const randA = (start.readUInt16BE(0) & 0x0fff).toString(16).padStart(3, '0');
  return () => {
    lo += 1;
    if (lo > 0xffffffff) {
      lo = 0;
      hi = (hi + 1) & 0x3fffffff;
    }
    const b = ((0x80000000 | hi) >>> 0).toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
    return `${ms.slice(0, 8)}-${ms.slice(8)}-7${randA}-${b.slice(0, 4)}-${b.slice(4)}`;
  };
}

/**
 * Tables whose triggers keep derived data in step (migration 0008). During a bulk load their
 * triggers are off and the derived table is rebuilt once at the end: per batch, without the dropped
 * indexes, the trigger would rescan the growing table (11 of 14 s of the certificate load on PGlite).
 */
const DERIVED = [{ source: 'certification', rebuild: 'SELECT muster_rebuild_certification_holding()' }] as const;

/**
 * Bulk-load the way pg_restore does: when the target tables are empty, drop their secondary
 * indexes and foreign keys, load, then rebuild the indexes in one pass each and validate each
 * foreign key with one join. On PGlite this more than halves the load (the per-row trigram GIN
 * update and foreign-key trigger are the costliest parts of an insert). The definitions are read
 * from the catalogue, so whatever the migrations declare comes back exactly; everything runs in
 * the seeding transaction, so a failure leaves the schema as it was. Returns the restore step;
 * a no-op when the tables already hold rows or the role may not alter them.
 */
async function suspendIndexesAndForeignKeys(
  tx: Tx,
  tables: readonly string[],
  log: (message: string) => void,
): Promise<() => Promise<void>> {
  const noop = async (): Promise<void> => undefined;
  const nonEmpty = await rowsOf<{ n: number | string }>(
    tx,
    sql.raw(`SELECT count(*) AS n FROM (${tables.map((t) => `(SELECT 1 FROM "${t}" LIMIT 1)`).join(' UNION ALL ')}) x`),
  );
  if (Number(nonEmpty[0]?.n ?? 0) > 0) return noop;

  const foreignKeys = await foreignKeysOf(tx, tables);
  const indexes = await secondaryIndexes(tx, tables, false);
  try {
    // A savepoint, so a role that does not own the tables falls back to plain inserts.
    await tx.transaction(async (sp) => {
      await dropIndexesAndForeignKeys(sp, indexes, foreignKeys);
      for (const d of DERIVED) if (tables.includes(d.source)) await sp.execute(sql.raw(`ALTER TABLE ${d.source} DISABLE TRIGGER USER`));
    });
  } catch (err) {
    log(`demo: loading with indexes in place (${err instanceof Error ? err.message : String(err)})`);
    return noop;
  }
  return async () => {
    const started = performance.now();
    await restoreIndexesAndForeignKeys(tx, indexes, foreignKeys);
    for (const d of DERIVED) {
      if (!tables.includes(d.source)) continue;
      await tx.execute(sql.raw(`ALTER TABLE ${d.source} ENABLE TRIGGER USER`));
      await tx.execute(sql.raw(d.rebuild));
    }
    log(`demo: rebuilt ${indexes.length} indexes and ${foreignKeys.length} foreign keys in ${elapsed(started)}`);
  };
}

async function rowsOf<T>(q: Queryable, query: SQL): Promise<T[]> {
  const result = await q.execute(query);
  // node-postgres and PGlite both answer with { rows }.
  return (result as unknown as { rows: T[] }).rows;
}

function elapsed(since: number): string {
  return `${Math.round(performance.now() - since)} ms`;
}

function toPersonRows(agency: DemoAgency, secretKey: Buffer): (typeof person.$inferInsert)[] {
  const cipher = createNationalIdCipher(secretKey);
  // Names repeat a lot in a large agency; pinyin conversion is the expensive part of search text.
  const searchCache = new Map<string, string>();
  return agency.people.map((p) => {
    const key = `${p.fullName}\u0000${p.nameLatin}`;
    let searchText = searchCache.get(key);
    if (searchText === undefined) {
      searchText = buildSearchText(p.fullName, p.nameLatin);
      searchCache.set(key, searchText);
    }
    const { nationalId, ...rest } = p;
    return {
      ...rest,
      searchText,
      nationalIdEnc: cipher.encrypt(nationalId),
      nationalIdHash: cipher.hash(nationalId),
      nationalIdMasked: maskNationalId(nationalId),
    };
  });
}

/**
 * Multi-row INSERT of up to BATCH_ROWS rows per statement, the rows travelling as one JSON
 * parameter unpacked by json_to_recordset. Measured on PGlite this is three to four times faster
 * than binding every value as its own parameter (PGlite's JS/WASM boundary makes each parameter
 * dear), and it works the same on PostgreSQL. Column names and SQL types come from the Drizzle
 * table, so the statement follows the schema.
 */
async function insertInBatches<T extends PgTable>(
  q: Queryable,
  table: T,
  rows: readonly T['$inferInsert'][],
  log: (message: string) => void,
): Promise<void> {
  const started = performance.now();
  const first = rows[0];
  if (!first) return;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = Object.keys(first).filter((k) => columns[k] !== undefined);
  const target = sql.join(
    keys.map((k) => sql.identifier(columns[k]!.name)),
    sql`, `,
  );
  const source = sql.join(
    keys.map((k) => sql.identifier(k)),
    sql`, `,
  );
  const shape = sql.raw(keys.map((k) => `"${k}" ${columns[k]!.getSQLType()}`).join(', '));
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const json = JSON.stringify(rows.slice(i, i + BATCH_ROWS));
    await q.execute(sql`INSERT INTO ${table} (${target}) SELECT ${source} FROM json_to_recordset(${json}::json) AS x(${shape})`);
    const inserted = Math.min(i + BATCH_ROWS, rows.length);
    // Every 50k rows: enough to watch a large seed move without flooding the log.
    if (inserted % 50_000 === 0 && inserted < rows.length) log(`demo: ${getTableName(table)} ${inserted}/${rows.length}`);
  }
  log(`demo: ${getTableName(table)} ${rows.length} rows in ${elapsed(started)}`);
}

type AccountSpec = {
  username: string;
  displayName: string;
  role: Role;
  scopeUnitCode: string;
  personNo?: string;
};

async function createDemoAccounts(q: Queryable, agency: DemoAgency): Promise<DemoAccount[]> {
  const unitByCode = new Map(agency.units.map((u) => [u.code, u]));
  const unitById = new Map(agency.units.map((u) => [u.id, u]));
  const root = agency.units[0]!;
  const dongdu = unitByCode.get(`${root.code}-DD`)!;
  const gaoqi = unitByCode.get(`${root.code}-GQ`)!;

  // The self-service account belongs to an ordinary officer in Dongdu, so the HR officer and
  // unit head of Dongdu see the change requests it files.
  const positionById = new Map(agency.positions.map((p) => [p.id, p]));
  const staffPerson = agency.people.find(
    (p) =>
      p.status === 'active' &&
      p.unitId === p.homeUnitId &&
      positionById.get(p.positionId)?.category === 'professional' &&
      (unitById.get(p.unitId)?.path.startsWith(dongdu.path) ?? false),
  );

  const specs: AccountSpec[] = [
    { username: 'admin', displayName: '系统管理员', role: 'admin', scopeUnitCode: root.code },
    { username: 'hr.dongdu', displayName: '东渡海关人事干部', role: 'hr_officer', scopeUnitCode: dongdu.code },
    { username: 'hr.gaoqi', displayName: '高崎机场海关人事干部', role: 'hr_officer', scopeUnitCode: gaoqi.code },
    { username: 'head.dongdu', displayName: '东渡海关关长', role: 'unit_head', scopeUnitCode: dongdu.code },
    { username: 'auditor', displayName: '审计监察员', role: 'auditor', scopeUnitCode: root.code },
    { username: 'counsellor', displayName: '心理咨询师', role: 'counsellor', scopeUnitCode: root.code },
    { username: 'commander', displayName: '前线指挥部指挥员', role: 'commander', scopeUnitCode: root.code },
  ];
  if (staffPerson) {
    specs.push({
      username: 'staff',
      displayName: staffPerson.fullName,
      role: 'staff',
      scopeUnitCode: unitById.get(staffPerson.unitId)!.code,
      personNo: staffPerson.personNo,
    });
  }

  const orgId = agency.organisation.id;
  const accounts: DemoAccount[] = [];
  for (const spec of specs) {
    const unit = unitByCode.get(spec.scopeUnitCode)!;
    const personId = spec.personNo ? (agency.people.find((p) => p.personNo === spec.personNo)?.id ?? null) : null;
    await createUser(q, {
      orgId,
      username: spec.username,
      displayName: spec.displayName,
      password: DEMO_PASSWORD,
      personId,
      locale: 'zh-CN',
      grants: [{ role: spec.role, scopeUnitId: unit.id }],
    });
    accounts.push({
      username: spec.username,
      password: DEMO_PASSWORD,
      role: spec.role,
      displayName: spec.displayName,
      scopeUnitName: unit.name,
    });
  }
  return accounts;
}
