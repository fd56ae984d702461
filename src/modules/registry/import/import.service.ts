import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import type { ImportMapping, ImportReport, ImportRowError, ImportUploadResponse } from '../../../contracts/import.js';
import { dropIndexesAndForeignKeys, foreignKeysOf, restoreIndexesAndForeignKeys, secondaryIndexes } from '../../../db/bulk-write.js';
import type { Db, Queryable, Tx } from '../../../db/connection.js';
import { queryRows } from '../../../db/query-rows.js';
import { AppError, localiseDetail, notFound } from '../../../server/errors.js';
import { recordAudit } from '../../audit/audit.repository.js';
import type { Actor } from '../../iam/actor.js';
import type { JobContext } from '../../jobs/job-runner.js';
import { orgToday } from '../../iam/organisation.service.js';
import { maskNationalId, type NationalIdCipher } from '../national-id.js';
import { importMapping, importUpload, orgUnit, person, position } from '../schema.js';
import type { CheckedBatch } from './batch-builder.js';
import { checkRows, checkRowsInWorker, PERSON_COLUMNS, type CheckInput } from './check-rows.js';
import { suggestMapping } from './map-headers.js';
import {
  estimateSheetRows,
  listSheetNames,
  readSheetHeaders,
  summariseSpreadsheet,
  unknownSheet,
  type CsvEncoding,
  type SpreadsheetFormat,
  type SpreadsheetSummary,
} from './read-spreadsheet.js';
import { VOCABULARIES, type RowIssue, type VocabularyName } from './validate-row.js';

export type ImportDeps = { db: Db; cipher: NationalIdCipher; databaseKind: 'pglite' | 'postgres' };
export type ImportMode = 'dry_run' | 'commit';
/** A stored report error keeps the reason's parameters, so the XLSX can be re-worded in the downloader's language. */
export type StoredRowError = ImportRowError & { params?: Record<string, string | number> };
export type StoredReport = Omit<ImportReport, 'errors'> & { errors: StoredRowError[]; errorsTruncated?: boolean };

type ActorRef = Pick<Actor, 'orgId' | 'userId' | 'displayName' | 'requestId' | 'ip'>;

/** A report beyond this many errors says nothing more useful; the counts stay exact. */
const MAX_ERRORS = 100_000;

// ---------------------------------------------------------------- uploads and mappings

/**
 * The file travels to and from the database as base64 text, decoded by PostgreSQL: PGlite's bytea
 * parameter path costs seconds and over 500 MB of transient memory for a 10 MB workbook, text does not.
 * It travels in slices: PGlite's WebAssembly memory grows to hold the largest statement it has run and
 * never shrinks, and one 10 MB file in one statement grew it by 83 MiB on the way in and 37 MiB on the
 * way out; in 1 MiB slices, by 37 MiB in (the stored value itself) and nothing out.
 */
const CONTENT_SLICE = 1 << 20;

export async function storeUpload(db: Db, actor: Actor, file: { fileName: string; content: Buffer }): Promise<ImportUploadResponse> {
  const summary = await summariseSpreadsheet(file.content, file.fileName);
  const id = await db.transaction(async (tx) => {
    await tx.execute(sql`CREATE TEMP TABLE import_upload_slice (n int PRIMARY KEY, bytes bytea NOT NULL) ON COMMIT DROP`);
    for (let n = 0, at = 0; at < file.content.length; n++, at += CONTENT_SLICE) {
      const slice = file.content.subarray(at, at + CONTENT_SLICE).toString('base64');
      await tx.execute(sql`INSERT INTO import_upload_slice (n, bytes) VALUES (${n}, decode(${slice}, 'base64'))`);
    }
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`INSERT INTO import_upload (org_id, created_by, file_name, format, encoding, headers, row_count, content)
        SELECT ${actor.orgId}, ${actor.userId}, ${file.fileName}, ${summary.format}, ${summary.encoding}, ${JSON.stringify(summary.headers)}::jsonb,
          ${summary.rowCount}, string_agg(bytes, ''::bytea ORDER BY n)
        FROM import_upload_slice
        RETURNING id`,
    );
    return row!.id;
  });
  return uploadResponse(id, file.fileName, summary);
}

/** What the wizard shows of an upload: its shape, sample rows and the mapping guessed from its headers. */
export function uploadResponse(uploadId: string, fileName: string, summary: SpreadsheetSummary): ImportUploadResponse {
  return {
    uploadId,
    fileName,
    format: summary.format,
    encoding: summary.encoding,
    sheets: summary.sheets,
    sheet: summary.sheet,
    headers: summary.headers,
    rowCount: summary.rowCount,
    sampleRows: summary.sampleRows,
    suggestedMapping: suggestMapping(summary.headers),
  };
}

/**
 * The worksheet a dry run or commit reads (by default the first) and its headers, to check the
 * mapping against before a job is queued: the stored ones for the first sheet, read from the file
 * for another. An unknown sheet, or any sheet of a CSV, is refused on `sheet`.
 */
export async function sheetForRun(
  q: Queryable,
  upload: { id: string; format: string; headers: string[] },
  sheet: string | undefined,
): Promise<{ sheet: string | null; headers: string[] }> {
  if (upload.format !== 'xlsx') {
    if (sheet) throw unknownSheet(sheet);
    return { sheet: null, headers: upload.headers };
  }
  const content = await loadUploadContent(q, upload.id);
  const first = listSheetNames(content)[0] ?? null;
  if (!sheet || sheet === first) return { sheet: first, headers: upload.headers };
  return readSheetHeaders(content, 'xlsx', null, sheet);
}

/** Uploads are visible to their uploader only (and to no one outside the organisation). Without the file itself. */
export async function loadUpload(q: Queryable, orgId: string, id: string, userId?: string) {
  const [row] = await q
    .select({
      id: importUpload.id,
      orgId: importUpload.orgId,
      createdBy: importUpload.createdBy,
      fileName: importUpload.fileName,
      format: importUpload.format,
      encoding: importUpload.encoding,
      headers: importUpload.headers,
      rowCount: importUpload.rowCount,
    })
    .from(importUpload)
    .where(and(eq(importUpload.orgId, orgId), eq(importUpload.id, id), userId ? eq(importUpload.createdBy, userId) : undefined));
  if (!row) throw notFound();
  return row;
}

export async function loadUploadContent(q: Queryable, id: string): Promise<Buffer> {
  const slices: Buffer[] = [];
  for (let at = 0; ; at += CONTENT_SLICE) {
    const [row] = await queryRows<{ slice: string; size: number }>(
      q,
      sql`SELECT encode(substring(content FROM ${at + 1} FOR ${CONTENT_SLICE}), 'base64') AS slice, length(content) AS size
        FROM import_upload WHERE id = ${id}`,
    );
    if (!row) throw notFound();
    // PostgreSQL breaks base64 into lines; Node's decoder skips the newlines.
    slices.push(Buffer.from(row.slice, 'base64'));
    if (at + CONTENT_SLICE >= row.size) return Buffer.concat(slices);
  }
}

export async function listMappings(db: Db, orgId: string) {
  const rows = await db.select().from(importMapping).where(eq(importMapping.orgId, orgId)).orderBy(desc(importMapping.createdAt));
  return rows.map((r) => ({ id: r.id, name: r.name, mapping: r.mapping as ImportMapping, createdAt: r.createdAt.toISOString() }));
}

export async function saveMapping(db: Db, actor: Actor, input: { name: string; mapping: ImportMapping }) {
  return db.transaction(async (tx) => {
    const [dup] = await tx
      .select({ id: importMapping.id })
      .from(importMapping)
      .where(and(eq(importMapping.orgId, actor.orgId), eq(importMapping.name, input.name)));
    if (dup) throw new AppError('duplicate', [{ field: 'name', reason: 'duplicate' }], { field: 'name' });
    const [row] = await tx
      .insert(importMapping)
      .values({ orgId: actor.orgId, name: input.name, mapping: input.mapping, createdBy: actor.userId })
      .returning();
    await recordAudit(tx, actor, actor.orgId, {
      action: 'create',
      entity: 'import_mapping',
      entityId: row!.id,
      after: { name: row!.name, mapping: row!.mapping },
    });
    return { id: row!.id, name: row!.name, mapping: row!.mapping as ImportMapping, createdAt: row!.createdAt.toISOString() };
  });
}

export async function deleteMapping(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(importMapping)
      .where(and(eq(importMapping.orgId, actor.orgId), eq(importMapping.id, id)))
      .returning();
    if (!row) throw notFound();
    await recordAudit(tx, actor, actor.orgId, {
      action: 'delete',
      entity: 'import_mapping',
      entityId: id,
      before: { name: row.name, mapping: row.mapping },
    });
  });
}

// ---------------------------------------------------------------- localisation of issues

const VOCAB_OF_FIELD: Partial<Record<string, VocabularyName>> = {
  gender: 'gender',
  educationLevel: 'educationLevel',
  titleLevel: 'titleLevel',
  echelon: 'echelon',
  grade: 'grade',
  status: 'status',
  specialties: 'specialty',
  languages: 'language',
};

/** Words the reason the way the catalogue does; 'unknown_value' lists the allowed labels in the reader's language. */
export function localiseIssue(
  issue: Pick<RowIssue, 'row' | 'column' | 'field' | 'value' | 'reason' | 'params'>,
  t: TFunction,
): StoredRowError {
  const params: Record<string, string | number> = { ...issue.params };
  const vocab = VOCAB_OF_FIELD[issue.field];
  if (issue.reason === 'unknown_value' && vocab) {
    params.allowed = VOCABULARIES[vocab].map((c) => t(`enums.${vocab}.${c}`, { defaultValue: c })).join(', ');
  }
  const d = localiseDetail({ field: issue.field, reason: issue.reason, params }, t);
  return {
    row: issue.row,
    column: issue.column,
    field: issue.field,
    value: issue.value,
    reason: issue.reason,
    message: d.message ?? issue.reason,
    ...(issue.params ? { params: issue.params } : {}),
  };
}

// ---------------------------------------------------------------- the run: check, and (commit) write

export type RunImportInput = {
  uploadId: string;
  mapping: ImportMapping;
  /** The worksheet to read (XLSX); the first when absent. */
  sheet?: string | null;
  mode: ImportMode;
  actor: Actor;
  t: TFunction;
  jobId?: string;
  progress?: JobContext['progress'];
};

/**
 * Files of this many rows or more are checked in a worker thread (checkRowsInWorker), beside the
 * write; smaller ones here, where starting a thread would cost more than it saves.
 */
const WORKER_MIN_ROWS = 2_000;

/**
 * One pass over the file checks every row (checkRows) and reports. A commit writes each checked batch
 * at once, in one transaction that is committed, with the import's summary entry, only once the whole
 * file has passed: all-or-nothing, and a re-run changes nothing. On PostgreSQL the write has a
 * connection of its own and the look-ups use others, which do not see its uncommitted rows. PGlite has
 * one connection: its transaction holds it from the first batch, and the look-ups share it (checkRows
 * keeps their answers those of the database before the import); meanwhile other requests wait, and
 * progress, which could not be written, goes only to the job's events stream (GET /jobs/:id/events).
 */
export async function runImport(deps: ImportDeps, input: RunImportInput): Promise<StoredReport> {
  const { db } = deps;
  const { actor, t } = input;
  const today = await orgToday(db, actor.orgId);
  const upload = await loadUpload(db, actor.orgId, input.uploadId);
  const format = upload.format as SpreadsheetFormat;
  const content = await loadUploadContent(db, upload.id);
  if (format === 'csv' && input.sheet) throw unknownSheet(input.sheet);
  const firstSheet = format === 'xlsx' ? (listSheetNames(content)[0] ?? null) : null;
  const sheet = format === 'xlsx' ? (input.sheet ?? firstSheet) : null;
  const [units, positions] = await Promise.all([
    db.select({ id: orgUnit.id, code: orgUnit.code, path: orgUnit.path }).from(orgUnit).where(eq(orgUnit.orgId, actor.orgId)),
    db.select({ id: position.id, code: position.code }).from(position).where(eq(position.orgId, actor.orgId)),
  ]);
  // The upload counted the first sheet's rows; another sheet's are counted now.
  const total = (sheet !== firstSheet ? await estimateSheetRows(content, sheet) : null) ?? upload.rowCount;
  const check: CheckInput = {
    content,
    format,
    encoding: upload.encoding as CsvEncoding | null,
    sheet,
    total,
    mapping: input.mapping,
    commit: input.mode === 'commit',
    actor,
    today,
    units,
    positions,
  };
  const progress = input.progress ?? (async () => undefined);
  const write = input.mode === 'commit' ? new StreamingWrite(deps, actor, today, total) : null;
  const lookup = (personNos: string[], hashes: string[]) => {
    const find = (q: Queryable) => lookupPeople(q, actor.orgId, personNos, hashes);
    return write ? write.lookup(find) : find(db);
  };
  const io = {
    lookup,
    stopWriting: () => write!.abandon(),
    // Written progress would wait behind the transaction that holds PGlite's one connection: it is
    // only told to the job's watchers then (its events stream).
    progress: (done: number, of?: number) => progress(done, of, write?.holdsConnection ? { persist: false } : undefined),
  };
  try {
    const result =
      total >= WORKER_MIN_ROWS
        ? await checkRowsInWorker(check, { ...io, append: (batch) => write!.append(batch) }, deps.cipher.key)
        : await checkRows(check, { ...io, cipher: deps.cipher, append: (batch) => write!.append(batch.copy()) });
    const report: StoredReport = {
      uploadId: upload.id,
      mode: input.mode,
      sheet,
      rows: result.rows,
      validRows: result.validRows,
      errorRows: result.errorRows,
      toCreate: result.toCreate,
      toUpdate: result.toUpdate,
      unchanged: result.unchanged,
      committed: false,
      // Job results are plain JSON in the database: national IDs appear there only masked, as on screen.
      errors: result.issues
        .slice(0, MAX_ERRORS)
        .map((i) => localiseIssue(i.field === 'nationalId' && i.value ? { ...i, value: maskNationalId(i.value) } : i, t)),
    };
    if (result.issues.length > MAX_ERRORS) report.errorsTruncated = true;
    if (!write || result.errorRows > 0) return report;
    // Nothing differs: no audit entry, so a re-import leaves no trace but its job.
    if (write.rows) {
      await write.commit((tx) =>
        recordAudit(tx, actor, actor.orgId, {
          action: 'import',
          entity: 'import_upload',
          entityId: upload.id,
          after: {
            fileName: upload.fileName,
            ...(sheet !== null ? { sheet } : {}),
            jobId: input.jobId ?? null,
            rows: result.rows,
            created: report.toCreate,
            updated: report.toUpdate,
            unchanged: report.unchanged,
          },
        }),
      );
      // Embedded PGlite has no autovacuum: after a large import, searches would fetch every changed row
      // from the heap (index-only scans need the visibility map) and plan without statistics until the
      // next restart.
      if (deps.databaseKind === 'pglite' && write.rows >= VACUUM_AFTER_ROWS) await db.execute(sql`VACUUM (ANALYZE) person`);
    }
    await progress(result.rows, result.rows);
    report.committed = true;
    return report;
  } finally {
    await write?.dispose();
  }
}

const VACUUM_AFTER_ROWS = 1000;

/** A list of keys (staff numbers, hex hashes) as one text[] parameter, quoted for the array literal. */
const textArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;

/**
 * The stored people with these staff numbers, and the holders of these national-ID hashes, found by one
 * index probe per key whatever the statistics say (`OFFSET 0` keeps each lateral subquery a probe):
 * inside PGlite's import transaction the person table grows by thousands of rows the planner has not
 * counted, and a plain IN list was planned as a scan of all the organisation's people, 7 ms a batch at
 * the start of a 100,000-row import and 80 ms by its end.
 */
async function lookupPeople(q: Queryable, orgId: string, personNos: string[], hashes: string[]) {
  const found = await queryRows<{ id: string }>(
    q,
    sql`SELECT p.id FROM unnest(${textArray(personNos)}::text[]) AS k(no)
      CROSS JOIN LATERAL (SELECT id FROM person WHERE org_id = ${orgId} AND person_no = k.no OFFSET 0) p`,
  );
  const existing = found.length
    ? await q
        .select()
        .from(person)
        .where(
          inArray(
            person.id,
            found.map((f) => f.id),
          ),
        )
    : [];
  const holders = hashes.length
    ? await queryRows<{ personNo: string; hash: string | null }>(
        q,
        sql`SELECT p.person_no AS "personNo", p.national_id_hash AS hash FROM unnest(${textArray(hashes)}::text[]) AS h(hash)
          CROSS JOIN LATERAL (SELECT person_no, national_id_hash FROM person WHERE org_id = ${orgId} AND national_id_hash = h.hash OFFSET 0) p`,
      )
    : [];
  return { existing, holders };
}

/** Thrown inside the write's transaction to roll it back; never seen outside it. */
const ROLLBACK = Symbol('rollback');
/** Checked batches the write may fall behind by before the check waits for it. */
const MAX_QUEUED_BATCHES = 4;

/**
 * The write of a commit, running while the check goes on: batches are written in the order they were
 * appended, in one transaction that `commit` ends (with the import's summary entry) and `abandon` or
 * `dispose` roll back. A failed write (a version conflict) is rethrown by the next `append` or by
 * `commit`, so the check stops early.
 *
 * On PGlite the transaction holds the only connection (`holdsConnection`): the check's look-ups are
 * run inside it, ahead of queued batches, and a large commit sets aside the secondary indexes and
 * foreign keys of the tables it writes and rebuilds them before it commits (see setIndexesAside).
 */
class StreamingWrite {
  rows = 0;
  private readonly exclusive: boolean;
  private readonly batches: CheckedBatch[] = [];
  private readonly lookups: ((q: Queryable) => Promise<void>)[] = [];
  private ending: ((tx: Tx) => Promise<void>) | typeof ROLLBACK | null = null;
  private failure: unknown = null;
  private running: Promise<void> | null = null;
  private closed = false;
  private wakeWriter: (() => void) | null = null;
  private wakeChecker: (() => void) | null = null;

  constructor(
    private readonly deps: ImportDeps,
    private readonly actor: ActorRef,
    private readonly today: string,
    private readonly expectedRows: number,
  ) {
    this.exclusive = deps.databaseKind === 'pglite';
  }

  /** True while PGlite's one connection is this write's: anything else sent to the database would wait for it to end. */
  get holdsConnection(): boolean {
    return this.exclusive && this.running !== null && !this.closed;
  }

  /** Runs a look-up: inside the transaction while it holds PGlite's connection, on the database otherwise. */
  lookup<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    if (!this.holdsConnection) return fn(this.deps.db);
    return new Promise<T>((resolve, reject) => {
      this.lookups.push((q) => fn(q).then(resolve, reject));
      this.wakeWriter?.();
    });
  }

  async append(batch: CheckedBatch): Promise<void> {
    this.throwIfFailed();
    if (this.ending) throw new Error('import write already ended');
    this.running ??= this.run();
    this.batches.push(batch);
    this.rows += batch.rows;
    this.wakeWriter?.();
    while (this.batches.length > MAX_QUEUED_BATCHES && this.failure === null && !this.closed)
      await new Promise<void>((r) => (this.wakeChecker = r));
    this.throwIfFailed();
  }

  /** Writes what is queued, then `finish` in the same transaction, and commits. */
  async commit(finish: (tx: Tx) => Promise<void>): Promise<void> {
    this.ending = finish;
    this.running ??= this.run();
    this.wakeWriter?.();
    await this.running;
    this.throwIfFailed();
  }

  /** Rolls back what was written; nothing more will be. */
  async abandon(): Promise<void> {
    this.ending ??= ROLLBACK;
    this.wakeWriter?.();
    await this.running;
  }

  async dispose(): Promise<void> {
    if (this.running) await this.abandon();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  private async run(): Promise<void> {
    try {
      await this.deps.db.transaction(async (tx) => {
        const setAside = this.exclusive ? await setIndexesAside(tx, this.expectedRows) : null;
        for (;;) {
          // A look-up goes first: the check waits for it, and batches wait in the queue anyway.
          const lookup = this.lookups.shift();
          if (lookup) {
            await lookup(tx);
            continue;
          }
          const batch = this.batches.shift();
          if (batch) {
            this.wakeChecker?.();
            await writeBatch(tx, this.actor, this.today, batch);
            continue;
          }
          if (this.ending === ROLLBACK) throw ROLLBACK;
          if (this.ending) {
            if (setAside) await restoreIndexesAndForeignKeys(tx, setAside.indexes, setAside.foreignKeys);
            return this.ending(tx);
          }
          await new Promise<void>((r) => (this.wakeWriter = r));
          this.wakeWriter = null;
        }
      });
    } catch (err) {
      if (err !== ROLLBACK) this.failure = err;
    } finally {
      this.closed = true;
      this.batches.length = 0;
      // Look-ups queued as the transaction ended are answered on the database itself.
      for (const lookup of this.lookups.splice(0)) void lookup(this.deps.db);
      this.wakeChecker?.();
    }
  }
}

/** The tables a commit writes a row or more to per person. */
const WRITTEN_TABLES = ['person', 'audit_log', 'assignment', 'status_change'] as const;
const REBUILD_MIN_ROWS = 2_000;
/** The check's look-ups by national ID use this index while the import writes: it stays. */
const LOOKUP_INDEXES = new Set(['person_natid_hash_idx']);

/**
 * Sets aside the secondary indexes and foreign keys of the tables a large PGlite commit writes, when
 * they hold fewer rows than the file brings (a rebuild reads the whole table), to rebuild them once
 * before it commits. Measured at 100,000 new people: without indexes, writes 14.8 s plus 3.3 s of
 * rebuilding against 22.0 s with them in place; without the two foreign keys (assignment and status
 * history to person), their inserts took 4.3 s against 5.8-7.3 s, for one validating join each.
 * Unique indexes stay (the upsert's arbiter). Safe only because the commit holds PGlite's one
 * connection alone for its whole transaction; a rollback restores them.
 */
async function setIndexesAside(tx: Tx, rows: number) {
  if (rows < REBUILD_MIN_ROWS) return null;
  const small: string[] = [];
  for (const table of WRITTEN_TABLES) {
    // Counts at most `rows` rows, so a large audit log is not read through to be measured.
    const [r] = await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${sql.identifier(table)} LIMIT ${rows}) x`,
    );
    if (Number(r?.n ?? rows) < rows) small.push(table);
  }
  const indexes = (await secondaryIndexes(tx, small, true)).filter((ix) => !LOOKUP_INDEXES.has(ix.name));
  const foreignKeys = await foreignKeysOf(tx, small);
  await dropIndexesAndForeignKeys(tx, indexes, foreignKeys);
  return { indexes, foreignKeys };
}

const UPDATED_COLUMNS = PERSON_COLUMNS.filter((c) => c !== 'id' && c !== 'org_id' && c !== 'person_no');
const COMPARED_COLUMNS = UPDATED_COLUMNS.filter(
  (c) => c !== 'version' && c !== 'search_text' && c !== 'national_id_enc' && c !== 'national_id_masked',
);

const ident = (c: string) => sql.raw(`"${c}"`);
const list = (cols: readonly string[], prefix = '') => sql.raw(cols.map((c) => `${prefix}"${c}"`).join(', '));

const EMPTY_ARRAY = Buffer.from('[]');
/** Below V8's large-object threshold (128 KiB): a string this size is young, and dies young. */
const PARAM_PIECE = 64 * 1024;

/**
 * A JSON text of ASCII bytes as a statement's parameter, sent in pieces that PostgreSQL joins back
 * (`concat($1::text, $2::text, …)`, one copy of the bytes). PGlite and pg take parameters as JS
 * strings, and one string per batch parameter would be ~1 MB, which V8 puts in its large-object
 * space, freed only by a full collection: over a 100k-row write they piled up to ~250 MiB of heap
 * between two (in pieces, the heap stayed under ~130 MiB).
 */
export function jsonParam(json: Buffer) {
  const pieces: SQL[] = [];
  for (let at = 0; at < json.length; at += PARAM_PIECE)
    pieces.push(sql`${json.toString('latin1', at, Math.min(json.length, at + PARAM_PIECE))}::text`);
  return sql`${concatAll(pieces)}::json`;
}

/** concat() takes at most 100 arguments; longer texts are joined in groups. */
function concatAll(pieces: SQL[]): SQL {
  if (pieces.length <= CONCAT_ARGS) return sql`concat(${sql.join(pieces, sql`, `)})`;
  const groups: SQL[] = [];
  for (let i = 0; i < pieces.length; i += CONCAT_ARGS) groups.push(concatAll(pieces.slice(i, i + CONCAT_ARGS)));
  return concatAll(groups);
}
const CONCAT_ARGS = 90;

/**
 * One batch, a handful of statements whatever its size: the upsert (which touches a row only when
 * it really differs and its version is still the one validated), then the assignment history,
 * status history and audit rows as multi-row inserts fed from one JSON parameter each (the audit
 * rows of new people straight from the rows the upsert returns).
 */
async function writeBatch(tx: Tx, actor: ActorRef, today: string, batch: CheckedBatch): Promise<void> {
  // New people (version 1: an update always raises it) get their audit entry, first assignment and
  // first status from the row as stored (the audit entry as the camelCase snapshot the registry's own
  // writes record), so none of them travels as a parameter.
  const written = await queryRows<{ id: string }>(
    tx,
    sql`WITH written AS (
        INSERT INTO person (${list(PERSON_COLUMNS)}, created_at, updated_at)
        SELECT ${list(PERSON_COLUMNS)}, now(), now() FROM json_populate_recordset(NULL::person, ${jsonParam(batch.person)})
        ON CONFLICT (org_id, person_no) DO UPDATE SET ${sql.join(
          UPDATED_COLUMNS.map((c) => sql`${ident(c)} = EXCLUDED.${ident(c)}`),
          sql`, `,
        )}, updated_at = now()
        WHERE person.version = EXCLUDED.version - 1
          AND (${list(COMPARED_COLUMNS, 'person.')}) IS DISTINCT FROM (${list(COMPARED_COLUMNS, 'EXCLUDED.')})
        RETURNING person.*
      ), created AS (
        INSERT INTO audit_log (org_id, actor_user_id, actor_name, action, entity, entity_id, unit_id, person_id, before, after, request_id, ip)
        SELECT ${actor.orgId}::uuid, ${actor.userId}::uuid, ${actor.displayName}, 'create', 'person', w.id, w.unit_id, w.id, NULL,
          jsonb_build_object(${CREATED_SNAPSHOT}), ${actor.requestId ?? null}, ${actor.ip ?? null}
        FROM written w WHERE w.version = 1
      ), opened AS (
        INSERT INTO assignment (org_id, person_id, unit_id, position_id, kind, start_date)
        SELECT w.org_id, w.id, w.unit_id, w.position_id, CASE WHEN w.unit_id <> w.home_unit_id THEN 'secondment' ELSE 'regular' END,
          w.post_since
        FROM written w WHERE w.version = 1
      ), statuses AS (
        INSERT INTO status_change (org_id, person_id, status, effective_date, reason, recorded_by)
        SELECT w.org_id, w.id, w.status, ${today}::date, 'import', ${actor.userId}::uuid FROM written w WHERE w.version = 1
      )
      SELECT id FROM written`,
  );
  if (written.length !== batch.rows) {
    // Someone changed or created one of these people since the file was checked: nothing is applied.
    throw new AppError('version_conflict');
  }
  const some = (json: Buffer) => !json.equals(EMPTY_ARRAY);
  if (some(batch.moves)) {
    await tx.execute(sql`UPDATE assignment a SET end_date = GREATEST(a.start_date, v.start_date - 1)
      FROM json_to_recordset(${jsonParam(batch.moves)}) AS v(person_id uuid, start_date date)
      WHERE a.person_id = v.person_id AND a.end_date IS NULL`);
  }
  if (some(batch.restarts)) {
    await tx.execute(sql`UPDATE assignment a SET start_date = v.start_date
      FROM json_to_recordset(${jsonParam(batch.restarts)}) AS v(person_id uuid, start_date date)
      WHERE a.person_id = v.person_id AND a.end_date IS NULL`);
  }
  if (some(batch.opened)) {
    await tx.execute(sql`INSERT INTO assignment (org_id, person_id, unit_id, position_id, kind, start_date)
      SELECT ${actor.orgId}::uuid, person_id, unit_id, position_id, kind, start_date
      FROM json_to_recordset(${jsonParam(batch.opened)}) AS v(person_id uuid, unit_id uuid, position_id uuid, kind text, start_date date)`);
  }
  if (some(batch.statuses)) {
    await tx.execute(sql`INSERT INTO status_change (org_id, person_id, status, effective_date, reason, recorded_by)
      SELECT ${actor.orgId}::uuid, person_id, status, ${today}::date, 'import', ${actor.userId}::uuid
      FROM json_to_recordset(${jsonParam(batch.statuses)}) AS v(person_id uuid, status text)`);
  }
  if (!some(batch.audit)) return;
  await tx.execute(sql`INSERT INTO audit_log (org_id, actor_user_id, actor_name, action, entity, entity_id, unit_id, person_id, before, after, request_id, ip)
    SELECT ${actor.orgId}::uuid, ${actor.userId}::uuid, ${actor.displayName}, action, 'person', entity_id, unit_id, entity_id, before, after, ${actor.requestId ?? null}, ${actor.ip ?? null}
    FROM json_to_recordset(${jsonParam(batch.audit)}) AS v(action text, entity_id uuid, unit_id uuid, before jsonb, after jsonb)`);
}

const HIDDEN_IN_AUDIT = new Set(['national_id_enc', 'national_id_hash', 'search_text']);

/** `'id', w.id, 'orgId', w.org_id, …`: the audit snapshot of a new person, from the row written. */
const CREATED_SNAPSHOT = sql.raw(
  PERSON_COLUMNS.filter((c) => !HIDDEN_IN_AUDIT.has(c))
    .map((c) => `'${c.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase())}', w."${c}"`)
    .join(', '),
);
