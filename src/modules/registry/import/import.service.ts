import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import type { Db, Queryable, Tx } from '../../../db/connection.js';
import { queryRows } from '../../../db/query-rows.js';
import {
  IMPORT_FIELDS,
  type ImportFieldKey,
  type ImportMapping,
  type ImportReport,
  type ImportRowError,
  type ImportUploadResponse,
} from '../../../contracts/import.js';
import { AppError, localiseDetail, notFound, type ErrorDetail } from '../../../server/errors.js';
import { recordAudit } from '../../audit/audit.repository.js';
import { unitPathInScope, type Actor } from '../../iam/actor.js';
import { orgToday } from '../../iam/organisation.service.js';
import { buildSearchText } from '../name-search.js';
import { maskNationalId, type NationalIdCipher } from '../national-id.js';
import { importMapping, importUpload, orgUnit, person, position } from '../schema.js';
import { suggestMapping } from './map-headers.js';
import { dropIndexesAndForeignKeys, foreignKeysOf, restoreIndexesAndForeignKeys, secondaryIndexes } from '../../../db/bulk-write.js';
import { BatchBuilder, PlanSpool, type PlanSink, type SpooledBatch } from './plan-spool.js';
import {
  estimateSheetRows,
  listSheetNames,
  readSheetHeaders,
  readSpreadsheetRows,
  summariseSpreadsheet,
  uniqueHeaders,
  unknownSheet,
  unreadable,
  type CsvEncoding,
  type SpreadsheetFormat,
  type SpreadsheetSummary,
} from './read-spreadsheet.js';
import { validateRow, VOCABULARIES, type MappedColumn, type ParsedPerson, type RowIssue, type VocabularyName } from './validate-row.js';

export type ImportDeps = { db: Db; cipher: NationalIdCipher; databaseKind: 'pglite' | 'postgres' };
export type ImportMode = 'dry_run' | 'commit';
/** A stored report error keeps the reason's parameters, so the XLSX can be re-worded in the downloader's language. */
export type StoredRowError = ImportRowError & { params?: Record<string, string | number> };
export type StoredReport = Omit<ImportReport, 'errors'> & { errors: StoredRowError[]; errorsTruncated?: boolean };

/** A person as the import plans it; the generated columns are the database's to compute. */
type PersonRow = Omit<typeof person.$inferSelect, 'sortName' | 'specialtyMask' | 'facetCode'>;
type ActorRef = Pick<Actor, 'orgId' | 'userId' | 'displayName' | 'requestId' | 'ip'>;

/** Rows per lookup and per multi-row statement: large enough to amortise round trips, small enough for parameters and memory. */
const BATCH = 1000;
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

/** Turns a mapping into column positions, refusing one that misses a required field or maps a field twice. */
export function resolveMapping(headers: string[], mapping: ImportMapping): MappedColumn[] {
  const columns: MappedColumn[] = [];
  const details: ErrorDetail[] = [];
  const seen = new Set<ImportFieldKey>();
  headers.forEach((column, index) => {
    const field = mapping[column];
    if (!field) return;
    if (seen.has(field)) details.push({ field: `mapping.${field}`, reason: 'duplicate' });
    seen.add(field);
    columns.push({ field, column, index });
  });
  for (const f of IMPORT_FIELDS)
    if (f.required && !seen.has(f.key)) details.push({ field: `mapping.${f.key}`, reason: 'unmapped_required' });
  if (details.length) throw new AppError('validation', details);
  return columns;
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

// ---------------------------------------------------------------- the run: validate, then (commit) write

/**
 * A change waiting to be written. At most one batch of these exists at a time: a commit appends each
 * batch to its plan spool as soon as it is checked, so the person's columns and an update's audit
 * entry are built as the JSON text the write statements take.
 */
type Planned = {
  row: number;
  kind: 'create' | 'update';
  id: string;
  unitId: string;
  positionId: string | null;
  postSince: string | null;
  status: string;
  secondment: boolean;
  /** open: new person; move: unit or position changed; restart: only the start of the current post changed. */
  assignment: 'open' | 'move' | 'restart' | null;
  statusChanged: boolean;
  /** JSON in ASCII (see asciiJson). */
  record: string;
  /** Updates only: the changed columns before and after. A create's entry is built by the database from the row it stored. */
  audit: string | null;
};

function compact(
  row: number,
  kind: Planned['kind'],
  after: PersonRow,
  before: PersonRow | null,
  assignment: Planned['assignment'],
  statusChanged: boolean,
  write: boolean,
): Planned {
  const keys = before ? changedColumns(before, after) : undefined;
  const audit = before
    ? { action: 'update', entity_id: after.id, unit_id: after.unitId, before: snapshot(before, keys), after: snapshot(after, keys) }
    : null;
  return {
    row,
    kind,
    id: after.id,
    unitId: after.unitId,
    positionId: after.positionId,
    postSince: after.postSince,
    status: after.status,
    secondment: after.unitId !== after.homeUnitId,
    assignment,
    statusChanged,
    record: write ? asciiJson(toRecord(after)) : '',
    audit: audit && write ? asciiJson(audit) : null,
  };
}

const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;
const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * JSON with every character beyond ASCII written as a \u escape, which PostgreSQL decodes on input.
 * A batch's parameters become JS strings once more on the way to the database; text with any Chinese
 * in it takes two bytes per character in V8, pure ASCII one, and these strings are the write's largest.
 */
function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, escapeChar) : json;
}

/** Copies a planned change into the batch the spool will store, as the write statements' parameters. */
function addToBatch(batch: BatchBuilder, p: Planned): void {
  batch.rows++;
  batch.person.push(p.record);
  if (p.audit) batch.audit.push(p.audit);
  if (p.assignment === 'move') batch.moves.push(asciiJson({ person_id: p.id, start_date: p.postSince }));
  if (p.assignment === 'restart') batch.restarts.push(asciiJson({ person_id: p.id, start_date: p.postSince }));
  if (p.assignment === 'open' || p.assignment === 'move') {
    batch.opened.push(
      asciiJson({
        person_id: p.id,
        unit_id: p.unitId,
        position_id: p.positionId,
        kind: p.secondment ? 'secondment' : 'regular',
        start_date: p.postSince,
      }),
    );
  }
  if (p.statusChanged) batch.statuses.push(asciiJson({ person_id: p.id, status: p.status }));
}

/** Columns whose change is a real change; search text and ciphertext follow from name and hash. */
const COMPARED: (keyof PersonRow)[] = [
  'fullName',
  'nameLatin',
  'gender',
  'birthDate',
  'nationalIdHash',
  'unitId',
  'homeUnitId',
  'positionId',
  'postSince',
  'educationLevel',
  'specialties',
  'titleLevel',
  'titleName',
  'languages',
  'echelon',
  'grade',
  'status',
  'statusSince',
  'phone',
  'email',
];

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

function changedColumns(before: PersonRow, after: PersonRow): (keyof PersonRow)[] {
  return COMPARED.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/** What the audit log keeps of a person: never the ciphertext, hash or search helper. */
function snapshot(p: PersonRow, keys?: (keyof PersonRow)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys ?? (Object.keys(p) as (keyof PersonRow)[])) {
    if (k === 'nationalIdEnc' || k === 'nationalIdHash' || k === 'searchText' || k === 'createdAt' || k === 'updatedAt') continue;
    out[k] = p[k];
  }
  if (keys?.includes('nationalIdHash')) out.nationalIdMasked = p.nationalIdMasked;
  return out;
}

type RunContext = {
  deps: ImportDeps;
  actor: Actor;
  today: string;
  hashes: Map<string, string>;
  searchTexts: Map<string, string>;
};

/**
 * Names romanised so far, at most this many: ~150 bytes each. Unbounded, 100k rows of mostly distinct
 * names kept ~7 MiB alive through the whole check, and the heap grows to a few times what stays alive.
 */
const SEARCH_TEXT_CACHE = 16_384;

/** Pinyin is the costliest step per row, and registers repeat names (张伟 is legion): a recent name is romanised once. */
function searchTextFor(ctx: RunContext, fullName: string, nameLatin: string | null): string {
  const key = `${fullName}\u0000${nameLatin ?? ''}`;
  let text = ctx.searchTexts.get(key);
  if (text === undefined) {
    // Copied flat: the text is built by concatenation, and a kept rope of its pieces is ~40 % larger.
    text = Buffer.from(buildSearchText(fullName, nameLatin)).toString();
    // The oldest name makes room: common names keep coming back, and the rest need not stay.
    if (ctx.searchTexts.size >= SEARCH_TEXT_CACHE) ctx.searchTexts.delete(ctx.searchTexts.keys().next().value!);
    ctx.searchTexts.set(key, text);
  }
  return text;
}

/**
 * What a valid row changes, or null when it changes nothing. `write` false (a dry run, or a commit
 * that has already met an error) decides the same but skips what only the write needs: pinyin,
 * encryption and the statements' JSON, the costliest steps per row.
 */
function plan(ctx: RunContext, p: ParsedPerson, before: PersonRow | null, write: boolean): Planned | null {
  const { deps, actor, today } = ctx;
  const natId = p.nationalId
    ? {
        nationalIdHash: ctx.hashes.get(p.nationalId)!,
        nationalIdEnc: null as string | null,
        nationalIdMasked: maskNationalId(p.nationalId),
      }
    : null;
  if (!before) {
    const homeUnitId = p.homeUnitId ?? p.unitId;
    const after: PersonRow = {
      id: crypto.randomUUID(),
      orgId: actor.orgId,
      personNo: p.personNo,
      fullName: p.fullName,
      nameLatin: p.nameLatin ?? null,
      searchText: write ? searchTextFor(ctx, p.fullName, p.nameLatin ?? null) : '',
      gender: p.gender ?? 'unknown',
      birthDate: p.birthDate ?? null,
      nationalIdEnc: p.nationalId && write ? deps.cipher.encrypt(p.nationalId) : null,
      nationalIdHash: natId?.nationalIdHash ?? null,
      nationalIdMasked: natId?.nationalIdMasked ?? null,
      unitId: p.unitId,
      homeUnitId,
      positionId: p.positionId ?? null,
      postSince: p.postSince ?? today,
      educationLevel: p.educationLevel ?? null,
      specialties: p.specialties ?? [],
      titleLevel: p.titleLevel ?? 'none',
      titleName: p.titleName ?? null,
      languages: p.languages ?? [],
      echelon: p.echelon ?? null,
      grade: p.grade ?? null,
      status: p.status ?? 'active',
      statusSince: today,
      phone: p.phone ?? null,
      email: p.email ?? null,
      version: 1,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    return compact(p.row, 'create', after, null, 'open', true, write);
  }
  // An empty cell leaves the stored value alone: registers often have gaps, and a gap is not a deletion.
  const after: PersonRow = { ...before };
  after.fullName = p.fullName;
  if (p.nameLatin !== undefined) after.nameLatin = p.nameLatin;
  if (p.gender !== undefined) after.gender = p.gender;
  if (p.birthDate !== undefined) after.birthDate = p.birthDate;
  if (natId && natId.nationalIdHash !== before.nationalIdHash) Object.assign(after, natId);
  after.unitId = p.unitId;
  if (p.positionId !== undefined) after.positionId = p.positionId;
  if (p.educationLevel !== undefined) after.educationLevel = p.educationLevel;
  if (p.specialties !== undefined && !sameSet(p.specialties, before.specialties)) after.specialties = p.specialties;
  if (p.titleLevel !== undefined) after.titleLevel = p.titleLevel;
  if (p.titleName !== undefined) after.titleName = p.titleName;
  if (p.languages !== undefined && !sameSet(p.languages, before.languages)) after.languages = p.languages;
  if (p.echelon !== undefined) after.echelon = p.echelon;
  if (p.grade !== undefined) after.grade = p.grade;
  if (p.status !== undefined) after.status = p.status;
  if (p.phone !== undefined) after.phone = p.phone;
  if (p.email !== undefined) after.email = p.email;
  const unitChanged = after.unitId !== before.unitId;
  // A regular transfer moves the home unit too; a seconded person keeps theirs (as updatePerson does).
  if (p.homeUnitId !== undefined) after.homeUnitId = p.homeUnitId;
  else if (unitChanged && before.unitId === before.homeUnitId) after.homeUnitId = after.unitId;
  const moved = unitChanged || after.positionId !== before.positionId;
  let assignment: Planned['assignment'] = null;
  if (moved) {
    assignment = 'move';
    after.postSince = p.postSince ?? today;
  } else if (p.postSince !== undefined && p.postSince !== before.postSince) {
    assignment = 'restart';
    after.postSince = p.postSince;
  }
  const statusChanged = after.status !== before.status;
  if (statusChanged) after.statusSince = today;
  if (write && (after.fullName !== before.fullName || after.nameLatin !== before.nameLatin))
    after.searchText = searchTextFor(ctx, after.fullName, after.nameLatin);
  if (!changedColumns(before, after).length) return null;
  if (write && after.nationalIdHash !== before.nationalIdHash && p.nationalId) after.nationalIdEnc = deps.cipher.encrypt(p.nationalId);
  after.version = before.version + 1;
  return compact(p.row, 'update', after, before, assignment, statusChanged, write);
}

export type RunImportInput = {
  uploadId: string;
  mapping: ImportMapping;
  /** The worksheet to read (XLSX); the first when absent. */
  sheet?: string | null;
  mode: ImportMode;
  actor: Actor;
  t: TFunction;
  jobId?: string;
  progress?: (done: number, total?: number) => Promise<void>;
};

/** What the check made of each row, by row number, for the report's counts: a byte per row, not an object. */
const enum RowOutcome {
  None = 0,
  Create = 1,
  Update = 2,
  Unchanged = 3,
}

class RowOutcomes {
  private bytes = new Uint8Array(1024);
  readonly counts = [0, 0, 0, 0];
  set(row: number, outcome: RowOutcome): void {
    if (row >= this.bytes.length) {
      const grown = new Uint8Array(Math.max(row + 1, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[row] = outcome;
    this.counts[outcome]!++;
  }
  /** Takes rows found faulty later (a repeat further down the file) out of the counts. */
  discount(row: number): void {
    const outcome = this.bytes[row] ?? RowOutcome.None;
    this.counts[outcome]!--;
  }
  count(outcome: RowOutcome): number {
    return this.counts[outcome]!;
  }
}

/**
 * One pass over the file validates every row against the mapping, the units and positions in the
 * actor's write scope, and the people already stored (looked up a batch at a time). A dry run stops
 * there. A commit also appends each checked batch of changes to a plan spool on disk while no error
 * has been found, so memory stays flat whatever the file's size. A commit with any error row applies
 * nothing (the job still succeeds, with `committed: false` and the errors); otherwise the spooled
 * batches are written in one transaction with multi-row statements, so the import is all-or-nothing
 * and a re-run changes nothing. The check runs outside that transaction: on PGlite the transaction
 * holds the only connection, and during the check the server keeps answering and progress moves.
 */
export async function runImport(deps: ImportDeps, input: RunImportInput): Promise<StoredReport> {
  const today = await orgToday(deps.db, input.actor.orgId);
  // PostgreSQL: a connection of its own writes each batch as soon as it is checked, in one transaction
  // committed once the whole file has passed; the check's look-ups run on other connections and do not
  // see those uncommitted rows, exactly as when the write came after the check. PGlite has one
  // connection, which a transaction would hold through the whole check: its batches go to the spool.
  const sink =
    input.mode !== 'commit'
      ? null
      : deps.databaseKind === 'postgres'
        ? new StreamingWrite(deps.db, input.actor, today)
        : await PlanSpool.open();
  try {
    return await checkAndWrite(deps, input, today, sink);
  } finally {
    await sink?.dispose();
  }
}

/** Thrown inside the streaming transaction to roll it back; never seen outside it. */
const ROLLBACK = Symbol('rollback');
/** Checked batches the streaming write may fall behind by before the check waits for it. */
const MAX_QUEUED_BATCHES = 4;

/**
 * The write of a commit on PostgreSQL, running while the check goes on: batches are written in the
 * order they were appended, in one transaction that `commit` ends (with the import's summary entry)
 * and `dispose` rolls back if it was not committed (a row failed, the job failed). A failed write
 * (a version conflict) is rethrown by the next `append` or by `commit`, so the check stops early.
 */
class StreamingWrite implements PlanSink {
  rows = 0;
  private readonly queue: SpooledBatch[] = [];
  private ending: ((tx: Tx) => Promise<void>) | typeof ROLLBACK | null = null;
  private failure: unknown = null;
  private running: Promise<void> | null = null;
  private wakeWriter: (() => void) | null = null;
  private wakeChecker: (() => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly actor: ActorRef,
    private readonly today: string,
  ) {}

  async append(batch: BatchBuilder): Promise<void> {
    this.throwIfFailed();
    this.running ??= this.run();
    this.queue.push(batch.copy());
    this.rows += batch.rows;
    this.wakeWriter?.();
    while (this.queue.length > MAX_QUEUED_BATCHES && this.failure === null) await new Promise<void>((r) => (this.wakeChecker = r));
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

  async dispose(): Promise<void> {
    if (!this.running) return;
    this.ending ??= ROLLBACK;
    this.wakeWriter?.();
    await this.running;
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  private async run(): Promise<void> {
    try {
      await this.db.transaction(async (tx) => {
        for (;;) {
          const batch = this.queue.shift();
          if (batch) {
            this.wakeChecker?.();
            await writeBatch(tx, this.actor, this.today, batch);
            continue;
          }
          if (this.ending === ROLLBACK) throw ROLLBACK;
          if (this.ending) return this.ending(tx);
          await new Promise<void>((r) => (this.wakeWriter = r));
          this.wakeWriter = null;
        }
      });
    } catch (err) {
      if (err !== ROLLBACK) this.failure = err;
    } finally {
      this.wakeChecker?.();
    }
  }
}

async function checkAndWrite(
  deps: ImportDeps,
  input: RunImportInput,
  today: string,
  sink: PlanSpool | StreamingWrite | null,
): Promise<StoredReport> {
  const { db } = deps;
  const { actor, t } = input;
  const progress = input.progress ?? (async () => undefined);
  const upload = await loadUpload(db, actor.orgId, input.uploadId);
  const format = upload.format as SpreadsheetFormat;
  const content = await loadUploadContent(db, upload.id);
  if (format === 'csv' && input.sheet) throw unknownSheet(input.sheet);
  const firstSheet = format === 'xlsx' ? (listSheetNames(content)[0] ?? null) : null;
  const sheet = format === 'xlsx' ? (input.sheet ?? firstSheet) : null;
  // The mapping is checked against the header row of the sheet itself, read as the first row below.
  let columns: MappedColumn[] = [];
  let columnOf = new Map<ImportFieldKey, string>();
  const [units, positions] = await Promise.all([
    db.select({ id: orgUnit.id, code: orgUnit.code, path: orgUnit.path }).from(orgUnit).where(eq(orgUnit.orgId, actor.orgId)),
    db.select({ id: position.id, code: position.code }).from(position).where(eq(position.orgId, actor.orgId)),
  ]);
  const unitPath = new Map(units.map((u) => [u.id, u.path]));
  const canWriteUnit = (path: string) => unitPathInScope(actor, 'person.write', path);
  const lookups = {
    unitsByCode: new Map(units.map((u) => [u.code, { id: u.id, path: u.path }])),
    positionsByCode: new Map(positions.map((p) => [p.code, p.id])),
    canWriteUnit,
  };
  const ctx: RunContext = { deps, actor, today, hashes: new Map(), searchTexts: new Map() };

  const issues: RowIssue[] = [];
  const outcomes = new RowOutcomes();
  let rows = 0;
  // First row of each key as a plain number; an array only once a key repeats (rare), to keep 100k keys cheap.
  const rowsByPersonNo = new Map<string, number | number[]>();
  const rowsByNationalId = new Map<string, number | number[]>();
  let repeated = false;
  const remember = (m: Map<string, number | number[]>, key: string, row: number) => {
    const prev = m.get(key);
    if (prev !== undefined) repeated = true;
    m.set(key, prev === undefined ? row : Array.isArray(prev) ? [...prev, row] : [prev, row]);
  };
  /** A commit hands changes to its sink only while the file is clean: once a row fails, nothing will be written. */
  const writing = () => sink !== null && issues.length === 0 && !repeated;
  const toWrite = new BatchBuilder();
  // The upload counted the first sheet's rows; another sheet's are counted now (for progress only).
  const total = (sheet !== firstSheet ? await estimateSheetRows(content, sheet) : null) ?? upload.rowCount;

  async function checkBatch(batch: ParsedPerson[]): Promise<void> {
    if (!batch.length) return;
    // Hashes are needed for this batch only; a file-wide map would hold 100k of them for nothing.
    ctx.hashes.clear();
    for (const p of batch) if (p.nationalId && !ctx.hashes.has(p.nationalId)) ctx.hashes.set(p.nationalId, deps.cipher.hash(p.nationalId));
    const batchHashes = [...new Set(ctx.hashes.values())];
    const [existing, holders] = await Promise.all([
      db
        .select()
        .from(person)
        .where(
          and(
            eq(person.orgId, actor.orgId),
            inArray(
              person.personNo,
              batch.map((p) => p.personNo),
            ),
          ),
        ),
      batchHashes.length
        ? db
            .select({ personNo: person.personNo, hash: person.nationalIdHash })
            .from(person)
            .where(and(eq(person.orgId, actor.orgId), inArray(person.nationalIdHash, batchHashes)))
        : Promise.resolve([]),
    ]);
    const byNo = new Map(existing.map((e) => [e.personNo, e]));
    const holdersOf = new Map<string, string[]>();
    for (const h of holders) holdersOf.set(h.hash!, [...(holdersOf.get(h.hash!) ?? []), h.personNo]);
    for (const p of batch) {
      const before = byNo.get(p.personNo) ?? null;
      let ok = true;
      // Someone outside the actor's scope is not theirs to overwrite; the staff number is simply taken.
      if (before && ![before.unitId, before.homeUnitId].some((u) => canWriteUnit(unitPath.get(u) ?? '\0'))) {
        issues.push({ row: p.row, column: columnOf.get('personNo') ?? '', field: 'personNo', value: p.personNo, reason: 'duplicate' });
        ok = false;
      }
      if (p.nationalId) {
        const hash = ctx.hashes.get(p.nationalId)!;
        remember(rowsByNationalId, p.nationalId, p.row);
        if ((holdersOf.get(hash) ?? []).some((no) => no !== p.personNo)) {
          issues.push({
            row: p.row,
            column: columnOf.get('nationalId') ?? '',
            field: 'nationalId',
            value: p.nationalId,
            reason: 'duplicate',
          });
          ok = false;
        }
      }
      if (!ok) continue;
      const write = writing();
      const step = plan(ctx, p, before, write);
      outcomes.set(p.row, step ? (step.kind === 'create' ? RowOutcome.Create : RowOutcome.Update) : RowOutcome.Unchanged);
      if (step && write) addToBatch(toWrite, step);
    }
    if (!writing()) toWrite.clear();
    // Write batches stay near BATCH rows even when most rows are unchanged (a re-import with a few edits).
    if (toWrite.rows >= BATCH) {
      await sink!.append(toWrite);
      toWrite.clear();
    }
  }

  let pending: ParsedPerson[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  let header = true;
  for await (const r of readSpreadsheetRows(content, format, upload.encoding as CsvEncoding | null, sheet)) {
    if (header) {
      header = false;
      columns = resolveMapping(uniqueHeaders(r.cells), input.mapping);
      columnOf = new Map(columns.map((c) => [c.field, c.column] as const));
      continue;
    }
    rows++;
    const { person: parsed, issues: rowIssues } = validateRow(r, columns, lookups);
    if (parsed) {
      remember(rowsByPersonNo, parsed.personNo, parsed.row);
      pending.push(parsed);
    } else {
      for (const i of rowIssues) issues.push(i);
      // A row with a bad cell still claims its staff number, so a duplicate elsewhere is reported too.
      const no = rowIssues.some((i) => i.field === 'personNo') ? null : columns.find((c) => c.field === 'personNo');
      const value = no ? String(r.cells[no.index] ?? '').trim() : '';
      if (value) remember(rowsByPersonNo, value, r.row);
    }
    if (pending.length >= BATCH) {
      // The database looks up one batch while the next is parsed; one lookup in flight at a time keeps the order.
      await inFlight;
      inFlight = checkBatch(pending);
      inFlight.catch(() => undefined);
      pending = [];
      await progress(rows, total);
    }
  }
  if (header) throw unreadable('no header row');
  await inFlight;
  await checkBatch(pending);
  if (toWrite.rows && writing()) await sink!.append(toWrite);
  toWrite.clear();
  await progress(rows, total);

  // Repeats within the file are reported on every row involved, naming all of them.
  const repeats = [
    ['personNo', rowsByPersonNo],
    ['nationalId', rowsByNationalId],
  ] as const;
  for (const [field, rowsByValue] of repeats) {
    for (const [value, at] of rowsByValue) {
      if (!Array.isArray(at)) continue;
      const column = columnOf.get(field) ?? '';
      for (const row of at) issues.push({ row, column, field, value, reason: 'duplicate_in_file', params: { rows: at.join(', ') } });
    }
  }
  rowsByPersonNo.clear();
  rowsByNationalId.clear();
  ctx.searchTexts.clear();
  const errorRows = new Set(issues.map((i) => i.row));
  for (const row of errorRows) outcomes.discount(row);
  const report: StoredReport = {
    uploadId: upload.id,
    mode: input.mode,
    sheet,
    rows,
    validRows: rows - errorRows.size,
    errorRows: errorRows.size,
    toCreate: outcomes.count(RowOutcome.Create),
    toUpdate: outcomes.count(RowOutcome.Update),
    unchanged: outcomes.count(RowOutcome.Unchanged),
    committed: false,
    errors: [],
  };
  const fieldOrder = new Map(columns.map((c, i) => [c.field, i] as const));
  issues.sort(
    (a, b) => a.row - b.row || (fieldOrder.get(a.field as ImportFieldKey) ?? -1) - (fieldOrder.get(b.field as ImportFieldKey) ?? -1),
  );
  // Job results are plain JSON in the database: national IDs appear there only masked, as on screen.
  report.errors = issues
    .slice(0, MAX_ERRORS)
    .map((i) => localiseIssue(i.field === 'nationalId' && i.value ? { ...i, value: maskNationalId(i.value) } : i, t));
  if (issues.length > MAX_ERRORS) report.errorsTruncated = true;
  if (!sink || errorRows.size > 0) return report;
  // Nothing differs: no audit entry, so a re-import leaves no trace but its job.
  if (!sink.rows) {
    report.committed = true;
    return report;
  }

  const summary = (tx: Tx) =>
    recordAudit(tx, actor, actor.orgId, {
      action: 'import',
      entity: 'import_upload',
      entityId: upload.id,
      after: {
        fileName: upload.fileName,
        ...(sheet !== null ? { sheet } : {}),
        jobId: input.jobId ?? null,
        rows,
        created: report.toCreate,
        updated: report.toUpdate,
        unchanged: report.unchanged,
      },
    });
  if (sink instanceof StreamingWrite) {
    await sink.commit(summary);
    await progress(rows, rows);
    report.committed = true;
    return report;
  }
  // The spool is PGlite's (see runImport). Its one connection is held by this transaction, so progress
  // cannot be written until it ends: it jumps from "rows checked" to done.
  const writeTotal = rows + sink.rows;
  await db.transaction(async (tx) => {
    const small = await tablesSmallerThan(tx, sink.rows);
    const [indexes, foreignKeys] = [await secondaryIndexes(tx, small, true), await foreignKeysOf(tx, small)];
    await dropIndexesAndForeignKeys(tx, indexes, foreignKeys);
    for await (const batch of sink.read()) await writeBatch(tx, actor, today, batch);
    await restoreIndexesAndForeignKeys(tx, indexes, foreignKeys);
    await summary(tx);
  });
  // Embedded PGlite has no autovacuum: after a large import, searches would fetch every changed row
  // from the heap (index-only scans need the visibility map) and plan without statistics until the next
  // restart.
  if (sink.rows >= VACUUM_AFTER_ROWS) await db.execute(sql`VACUUM (ANALYZE) person`);
  await progress(writeTotal, writeTotal);
  report.committed = true;
  return report;
}

const VACUUM_AFTER_ROWS = 1000;

/** The tables a commit writes a row or more to per person. */
const WRITTEN_TABLES = ['person', 'audit_log', 'assignment', 'status_change'] as const;
const REBUILD_MIN_ROWS = 2_000;

/**
 * The tables a large PGlite commit may write without their secondary indexes and foreign keys,
 * rebuilding them once at the end: those holding fewer rows than the commit brings (a rebuild reads
 * the whole table). Measured at 100,000 new people: without indexes, writes 14.8 s plus 3.3 s of
 * rebuilding against 22.0 s with them in place; without the two foreign keys (assignment and status
 * history to person), their inserts took 4.3 s against 5.8-7.3 s, for one validating join each.
 * Unique indexes stay (the upsert's arbiter). Safe only because the commit holds PGlite's one
 * connection alone for its whole transaction; a rollback restores them.
 */
async function tablesSmallerThan(tx: Tx, rows: number): Promise<string[]> {
  if (rows < REBUILD_MIN_ROWS) return [];
  const small: string[] = [];
  for (const table of WRITTEN_TABLES) {
    // Counts at most `rows` rows, so a large audit log is not read through to be measured.
    const [r] = await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${sql.identifier(table)} LIMIT ${rows}) x`,
    );
    if (Number(r?.n ?? rows) < rows) small.push(table);
  }
  return small;
}

const PERSON_COLUMNS = [
  'id',
  'org_id',
  'person_no',
  'full_name',
  'name_latin',
  'search_text',
  'gender',
  'birth_date',
  'national_id_enc',
  'national_id_hash',
  'national_id_masked',
  'unit_id',
  'home_unit_id',
  'position_id',
  'post_since',
  'education_level',
  'specialties',
  'title_level',
  'title_name',
  'languages',
  'echelon',
  'grade',
  'status',
  'status_since',
  'phone',
  'email',
  'version',
] as const;
const UPDATED_COLUMNS = PERSON_COLUMNS.filter((c) => c !== 'id' && c !== 'org_id' && c !== 'person_no');
const COMPARED_COLUMNS = UPDATED_COLUMNS.filter(
  (c) => c !== 'version' && c !== 'search_text' && c !== 'national_id_enc' && c !== 'national_id_masked',
);

function toRecord(p: PersonRow): Record<(typeof PERSON_COLUMNS)[number], unknown> {
  return {
    id: p.id,
    org_id: p.orgId,
    person_no: p.personNo,
    full_name: p.fullName,
    name_latin: p.nameLatin,
    search_text: p.searchText,
    gender: p.gender,
    birth_date: p.birthDate,
    national_id_enc: p.nationalIdEnc,
    national_id_hash: p.nationalIdHash,
    national_id_masked: p.nationalIdMasked,
    unit_id: p.unitId,
    home_unit_id: p.homeUnitId,
    position_id: p.positionId,
    post_since: p.postSince,
    education_level: p.educationLevel,
    specialties: p.specialties,
    title_level: p.titleLevel,
    title_name: p.titleName,
    languages: p.languages,
    echelon: p.echelon,
    grade: p.grade,
    status: p.status,
    status_since: p.statusSince,
    phone: p.phone,
    email: p.email,
    version: p.version,
  };
}

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
async function writeBatch(tx: Tx, actor: ActorRef, today: string, batch: SpooledBatch): Promise<void> {
  // New people (version 1: an update always raises it) get their audit entry from the row as stored,
  // the camelCase snapshot the registry's own writes record, so the entry never travels as a parameter.
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
