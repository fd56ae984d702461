import { IMPORT_FIELDS, type ImportFieldKey, type ImportMapping } from '../../../contracts/import.js';
import { AppError, type ErrorDetail } from '../../../server/errors.js';
import { unitPathInScope, type Actor } from '../../iam/actor.js';
import { buildSearchText } from '../name-search.js';
import { maskNationalId, type NationalIdCipher } from '../national-id.js';
import type { person } from '../schema.js';
import { startWorker } from '../../../engines/start-worker.js';
import { BATCH_FIELDS, BatchBuilder, type CheckedBatch } from './batch-builder.js';
import { readSpreadsheetRows, uniqueHeaders, unreadable, type CsvEncoding, type SpreadsheetFormat } from './read-spreadsheet.js';
import { validateRow, type MappedColumn, type ParsedPerson, type RowIssue } from './validate-row.js';

/** A person as the import plans it; the generated columns are the database's to compute. */
export type PersonRow = Omit<typeof person.$inferSelect, 'sortName' | 'specialtyMask' | 'facetCode'>;

/** Rows per lookup and per multi-row statement: large enough to amortise round trips, small enough for parameters and memory. */
export const BATCH = 1000;
/** Batches whose look-up may be on its way while an earlier one is planned (see submit). */
const LOOKUPS_AHEAD = 3;

/**
 * What the check of a file needs, all of it plain data: it may be handed to a worker thread as is.
 * The units and positions are the organisation's; the actor's grants decide which units it may write.
 */
export type CheckInput = {
  content: Buffer;
  format: SpreadsheetFormat;
  encoding: CsvEncoding | null;
  sheet: string | null;
  /** Data rows expected (for progress only). */
  total: number;
  mapping: ImportMapping;
  /** A commit: the changes of a clean file go to `append`, batch by batch. A dry run decides the same and writes nothing. */
  commit: boolean;
  actor: Actor;
  today: string;
  units: { id: string; code: string; path: string }[];
  positions: { id: string; code: string }[];
};

/** What the check asks of the database and of the write, through the caller (in-process or across a worker boundary). */
export type CheckIo = {
  cipher: NationalIdCipher;
  /** The stored people with these staff numbers, and the holders of these national-ID hashes. */
  lookup(personNos: string[], hashes: string[]): Promise<{ existing: PersonRow[]; holders: { personNo: string; hash: string | null }[] }>;
  /** A checked batch of changes; the builder is cleared and reused once this has resolved. */
  append(batch: BatchBuilder): Promise<void>;
  /**
   * The file is no longer clean after batches were appended: nothing will be written. Called once,
   * before any later look-up, so a write that shares the look-ups' connection can be rolled back first
   * and the rest of the file is checked against the database as it was.
   */
  stopWriting(): Promise<void>;
  progress(done: number, total?: number): Promise<void>;
};

/** Everything the report says, before its reasons are worded; issues sorted by row, then by column. */
export type CheckResult = {
  rows: number;
  validRows: number;
  errorRows: number;
  toCreate: number;
  toUpdate: number;
  unchanged: number;
  issues: RowIssue[];
};

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

/**
 * A change waiting to be written. At most one batch of these exists at a time: each is copied into
 * the batch builder as soon as it is planned, the person's columns and an update's audit entry as the
 * JSON text the write statements take.
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

/** Copies a planned change into the batch, as the write statements' parameters. */
function addToBatch(batch: BatchBuilder, p: Planned): void {
  batch.rows++;
  batch.person.push(p.record);
  if (p.audit) batch.audit.push(p.audit);
  if (p.assignment === 'move') batch.moves.push(asciiJson({ person_id: p.id, start_date: p.postSince }));
  if (p.assignment === 'restart') batch.restarts.push(asciiJson({ person_id: p.id, start_date: p.postSince }));
  // A new person's first assignment and status are written from the stored row (see writeBatch).
  if (p.assignment === 'move') {
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
  if (p.kind === 'update' && p.statusChanged) batch.statuses.push(asciiJson({ person_id: p.id, status: p.status }));
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

/** The person table's columns as the write statements name them, in the order of `toRecord`. */
export const PERSON_COLUMNS = [
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

type RunContext = {
  cipher: NationalIdCipher;
  orgId: string;
  today: string;
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
 * What a valid row changes, or null when it changes nothing; `hash` is its national ID's. `write`
 * false (a dry run, or a commit that has already met an error) decides the same but skips what only
 * the write needs: pinyin, encryption and the statements' JSON, the costliest steps per row.
 */
function plan(ctx: RunContext, p: ParsedPerson, hash: string | undefined, before: PersonRow | null, write: boolean): Planned | null {
  const { cipher, today } = ctx;
  const natId =
    p.nationalId && hash
      ? {
          nationalIdHash: hash,
          nationalIdEnc: null as string | null,
          nationalIdMasked: maskNationalId(p.nationalId),
        }
      : null;
  if (!before) {
    const homeUnitId = p.homeUnitId ?? p.unitId;
    const after: PersonRow = {
      id: crypto.randomUUID(),
      orgId: ctx.orgId,
      personNo: p.personNo,
      fullName: p.fullName,
      nameLatin: p.nameLatin ?? null,
      searchText: write ? searchTextFor(ctx, p.fullName, p.nameLatin ?? null) : '',
      gender: p.gender ?? 'unknown',
      birthDate: p.birthDate ?? null,
      nationalIdEnc: p.nationalId && write ? cipher.encrypt(p.nationalId) : null,
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
  if (write && after.nationalIdHash !== before.nationalIdHash && p.nationalId) after.nationalIdEnc = cipher.encrypt(p.nationalId);
  after.version = before.version + 1;
  return compact(p.row, 'update', after, before, assignment, statusChanged, write);
}

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
 * actor's write scope, and the people already stored (looked up a batch at a time). A commit also
 * hands each checked batch of changes to `io.append` while no error has been found, so memory stays
 * flat whatever the file's size; the caller writes them, or throws them away if the file turns out
 * faulty. Every look-up sees the database as it was before the import: the caller's write may share
 * the look-ups' connection, and a person written by an earlier batch is looked up again only when
 * the file repeats a staff number or national ID, which is found first and stops the write.
 */
export async function checkRows(input: CheckInput, io: CheckIo): Promise<CheckResult> {
  const { actor } = input;
  // The mapping is checked against the header row of the sheet itself, read as the first row below.
  let columns: MappedColumn[] = [];
  let columnOf = new Map<ImportFieldKey, string>();
  const unitPath = new Map(input.units.map((u) => [u.id, u.path]));
  const canWriteUnit = (path: string) => unitPathInScope(actor, 'person.write', path);
  const lookups = {
    unitsByCode: new Map(input.units.map((u) => [u.code, { id: u.id, path: u.path }])),
    positionsByCode: new Map(input.positions.map((p) => [p.code, p.id])),
    canWriteUnit,
  };
  const ctx: RunContext = { cipher: io.cipher, orgId: actor.orgId, today: input.today, searchTexts: new Map() };

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
  /**
   * National-ID hashes this import moves away from a stored person, with that person's staff number:
   * a look-up on a connection that sees the import's own writes would no longer find them there.
   */
  const formerHolders = new Map<string, string>();
  /** Changes go to `append` only while the file is clean: once a row fails, nothing will be written. */
  const writing = () => input.commit && issues.length === 0 && !repeated;
  let appended = false;
  let stopped = false;
  /** Once the file is no longer clean, rolls back what was appended, before any later look-up (see CheckIo). */
  const stopWritingIfFaulty = async () => {
    if (!appended || writing() || stopped) return;
    stopped = true;
    await io.stopWriting();
  };
  const toWrite = new BatchBuilder();

  type Answer = Awaited<ReturnType<CheckIo['lookup']>>;
  /** Batches looked up and waiting to be planned, oldest first: each plan waits for the one before it. */
  const plans: Promise<void>[] = [];
  let planned: Promise<void> = Promise.resolve();

  /**
   * Sends a parsed batch's look-up at once and queues its plan behind the previous batch's. Look-ups
   * run ahead of the plans (up to LOOKUPS_AHEAD batches): when the write shares their connection, an
   * answer can wait behind a batch being written, and the check goes on parsing meanwhile.
   */
  async function submit(batch: ParsedPerson[]): Promise<void> {
    if (!batch.length) return;
    if (plans.length >= LOOKUPS_AHEAD) await plans.shift();
    // A repeat is noted as its row is read, so what was written is rolled back before this look-up.
    await stopWritingIfFaulty();
    // Hashes are needed for this batch only; a file-wide map would hold 100k of them for nothing.
    const hashes = new Map<string, string>();
    for (const p of batch) if (p.nationalId && !hashes.has(p.nationalId)) hashes.set(p.nationalId, io.cipher.hash(p.nationalId));
    const answer = io.lookup(
      batch.map((p) => p.personNo),
      [...new Set(hashes.values())],
    );
    answer.catch(() => undefined);
    planned = planned.then(async () => planBatch(batch, hashes, await answer));
    planned.catch(() => undefined);
    plans.push(planned);
  }

  async function planBatch(batch: ParsedPerson[], hashes: Map<string, string>, { existing, holders }: Answer): Promise<void> {
    const byNo = new Map(existing.map((e) => [e.personNo, e]));
    const holdersOf = new Map<string, string[]>();
    for (const h of holders) if (h.hash) holdersOf.set(h.hash, [...(holdersOf.get(h.hash) ?? []), h.personNo]);
    for (const p of batch) {
      const before = byNo.get(p.personNo) ?? null;
      const hash = p.nationalId ? hashes.get(p.nationalId) : undefined;
      let ok = true;
      // Someone outside the actor's scope is not theirs to overwrite; the staff number is simply taken.
      if (before && ![before.unitId, before.homeUnitId].some((u) => canWriteUnit(unitPath.get(u) ?? '\0'))) {
        issues.push({ row: p.row, column: columnOf.get('personNo') ?? '', field: 'personNo', value: p.personNo, reason: 'duplicate' });
        ok = false;
      }
      if (p.nationalId && hash) {
        const former = formerHolders.get(hash);
        if ((holdersOf.get(hash) ?? []).some((no) => no !== p.personNo) || (former !== undefined && former !== p.personNo)) {
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
      const step = plan(ctx, p, hash, before, write);
      outcomes.set(p.row, step ? (step.kind === 'create' ? RowOutcome.Create : RowOutcome.Update) : RowOutcome.Unchanged);
      if (step && before?.nationalIdHash && hash && hash !== before.nationalIdHash)
        formerHolders.set(before.nationalIdHash, before.personNo);
      if (step && write) addToBatch(toWrite, step);
    }
    if (!writing()) toWrite.clear();
    // Write batches stay near BATCH rows even when most rows are unchanged (a re-import with a few edits).
    if (toWrite.rows >= BATCH) await flush();
  }

  async function flush(): Promise<void> {
    appended = true;
    await io.append(toWrite);
    toWrite.clear();
  }

  let pending: ParsedPerson[] = [];
  let header = true;
  for await (const r of readSpreadsheetRows(input.content, input.format, input.encoding, input.sheet)) {
    if (header) {
      header = false;
      columns = resolveMapping(uniqueHeaders(r.cells), input.mapping);
      columnOf = new Map(columns.map((c) => [c.field, c.column] as const));
      continue;
    }
    rows++;
    const { person: parsed, issues: rowIssues } = validateRow(r, columns, lookups);
    if (parsed) {
      // Repeats are noted as the rows are read, before their batch is looked up (see checkRows).
      remember(rowsByPersonNo, parsed.personNo, parsed.row);
      if (parsed.nationalId) remember(rowsByNationalId, parsed.nationalId, parsed.row);
      pending.push(parsed);
    } else {
      for (const i of rowIssues) issues.push(i);
      // A row with a bad cell still claims its staff number, so a duplicate elsewhere is reported too.
      const no = rowIssues.some((i) => i.field === 'personNo') ? null : columns.find((c) => c.field === 'personNo');
      const value = no ? String(r.cells[no.index] ?? '').trim() : '';
      if (value) remember(rowsByPersonNo, value, r.row);
    }
    if (pending.length >= BATCH) {
      await submit(pending);
      pending = [];
      await io.progress(rows, input.total);
    }
  }
  if (header) throw unreadable('no header row');
  await submit(pending);
  await planned;
  if (toWrite.rows && writing()) await flush();
  toWrite.clear();
  await stopWritingIfFaulty();
  await io.progress(rows, input.total);

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
  const fieldOrder = new Map(columns.map((c, i) => [c.field, i] as const));
  issues.sort(
    (a, b) => a.row - b.row || (fieldOrder.get(a.field as ImportFieldKey) ?? -1) - (fieldOrder.get(b.field as ImportFieldKey) ?? -1),
  );
  return {
    rows,
    validRows: rows - errorRows.size,
    errorRows: errorRows.size,
    toCreate: outcomes.count(RowOutcome.Create),
    toUpdate: outcomes.count(RowOutcome.Update),
    unchanged: outcomes.count(RowOutcome.Unchanged),
    issues,
  };
}

// ---------------------------------------------------------------- the check in a worker thread

/** Messages from the check's worker thread; each request but `progress` waits for its `Reply`. */
export type WorkerRequest =
  | { kind: 'lookup'; id: number; personNos: string[]; hashes: string[] }
  | { kind: 'append'; id: number; batch: CheckedBatch }
  | { kind: 'stop'; id: number }
  | { kind: 'progress'; done: number; total?: number }
  | { kind: 'done'; result: CheckResult }
  | { kind: 'failed'; error: SerialisedError };
export type Reply = { id: number; value?: unknown; error?: SerialisedError };
export type SerialisedError = {
  appError?: { code: AppError['code']; details: ErrorDetail[]; params: Record<string, string | number> };
  message: string;
};
export type WorkerData = { input: CheckInput; key: Uint8Array };

export function serialiseError(err: unknown): SerialisedError {
  if (err instanceof AppError) return { appError: { code: err.code, details: err.details, params: err.params }, message: err.message };
  return { message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}

export function deserialiseError(e: SerialisedError): Error {
  return e.appError ? new AppError(e.appError.code, e.appError.details, e.appError.params) : new Error(e.message);
}

const WORKER_OLD_GENERATION_MB = 160;

/** A buffer as it arrives from another thread (structured clone makes it a plain Uint8Array). */
export const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * Runs `checkRows` in a worker thread, serving its look-ups and taking its batches here. Reading the
 * spreadsheet, validating, romanising names and encrypting national IDs is most of a large import's
 * work on this side of the database; in its own thread it runs beside the database's work (PGlite's
 * WebAssembly runs on this thread) instead of before it. The worker gets its own copy of the file and
 * of the key; it is ended whatever happens.
 */
export async function checkRowsInWorker(
  input: CheckInput,
  io: Omit<CheckIo, 'cipher' | 'append'> & { append(batch: CheckedBatch): Promise<void> },
  key: Buffer,
): Promise<CheckResult> {
  const worker = startWorker(new URL('./check-rows.worker.ts', import.meta.url), {
    workerData: { input, key: new Uint8Array(key) } satisfies WorkerData,
    // What the check keeps alive is small (a key per row, the workbook's shared strings); left to
    // itself V8 lets the heap grow to several times that before collecting, in the same process as
    // PGlite's memory. Collecting more often costs this thread, not the write's.
    resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
  });
  try {
    return await new Promise<CheckResult>((resolve, reject) => {
      const answer = (id: number, work: Promise<unknown>) =>
        work.then(
          (value) => worker.postMessage({ id, value } satisfies Reply),
          (err: unknown) => worker.postMessage({ id, error: serialiseError(err) } satisfies Reply),
        );
      worker.on('message', (m: WorkerRequest) => {
        switch (m.kind) {
          case 'lookup':
            return void answer(m.id, io.lookup(m.personNos, m.hashes));
          case 'append': {
            const b = m.batch;
            const batch = { rows: b.rows } as CheckedBatch;
            for (const f of BATCH_FIELDS) batch[f] = asBuffer(b[f]);
            return void answer(m.id, io.append(batch));
          }
          case 'stop':
            return void answer(m.id, io.stopWriting());
          case 'progress':
            return void io.progress(m.done, m.total).catch(() => undefined);
          case 'done':
            return resolve(m.result);
          case 'failed':
            return reject(deserialiseError(m.error));
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`import check worker exited with code ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}
