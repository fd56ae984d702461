import { Readable } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../../../server/errors.js';

export type SpreadsheetFormat = 'xlsx' | 'csv';
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';
/** What a cell can hold once exceljs' rich text, formulas and hyperlinks are reduced to their value. */
export type CellValue = string | number | boolean | Date | null;
/** One non-empty row; `row` is the number the user sees in Excel (header = first non-empty row). */
export type SheetRow = { row: number; cells: CellValue[] };

/** A worksheet of a workbook, in the order Excel shows the tabs; `rowCount` is an estimate (see summariseSpreadsheet). */
export type SheetInfo = { name: string; rowCount: number };

export type SpreadsheetSummary = {
  format: SpreadsheetFormat;
  encoding: CsvEncoding | null;
  /** The worksheet these headers and rows are from (XLSX), null for CSV. */
  sheet: string | null;
  /** Every worksheet of an XLSX workbook; empty for CSV. */
  sheets: SheetInfo[];
  headers: string[];
  headerRow: number;
  rowCount: number;
  sampleRows: string[][];
};

const SAMPLE_ROWS = 5;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

const startsWith = (buf: Buffer, magic: number[]) => magic.every((b, i) => buf[i] === b);

export const unreadable = (reason: string): AppError => new AppError('import_unreadable', [], { reason });

/** Magic bytes decide, not the name: offices rename files freely, and a .csv saved by Excel may be anything. */
export function detectFormat(buf: Buffer, fileName: string): SpreadsheetFormat {
  if (buf.length === 0) throw unreadable('empty file');
  if (startsWith(buf, ZIP_MAGIC)) return 'xlsx';
  if (startsWith(buf, OLE_MAGIC)) throw unreadable('legacy .xls (Excel 97–2003) is not supported; save as .xlsx or CSV');
  if (/\.xlsx$/i.test(fileName)) throw unreadable('not an .xlsx workbook');
  // Text files have no NUL bytes in any of the encodings we accept; binaries almost always do.
  if (buf.subarray(0, 4096).includes(0)) throw unreadable('not a spreadsheet or CSV text file');
  return 'csv';
}

export function detectEncoding(buf: Buffer): CsvEncoding {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8-bom';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return 'utf-8';
  } catch {
    // Chinese offices still save CSV from Excel in the system code page; GB18030 is a superset of GBK and GB2312.
    return 'gb18030';
  }
}

export function decodeCsv(buf: Buffer, encoding: CsvEncoding): string {
  // TextDecoder drops a leading BOM by default.
  return new TextDecoder(encoding === 'gb18030' ? 'gb18030' : 'utf-8').decode(buf);
}

/** The delimiter is the one that splits the header line most: Excel writes ';' where ',' is the decimal mark. */
function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, Math.max(0, text.search(/\r?\n/)) || text.length);
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![0];
}

function cellValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellValue(o.result);
    if (typeof o.text === 'string') return o.text;
    if ('error' in o) return null;
  }
  return String(v);
}

export function isBlank(v: CellValue): boolean {
  return v === null || (typeof v === 'string' && v.trim() === '');
}

/** Display form of a cell for samples and reports; dates as YYYY-MM-DD. */
export function cellText(v: CellValue): string {
  if (v === null) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  return String(v).trim();
}

async function* xlsxRows(buf: Buffer, sheetFile: string | null): AsyncGenerator<SheetRow> {
  for (let attempt = 1; ; attempt++) {
    let yielded = false;
    try {
      for await (const r of xlsxRowsOnce(buf, sheetFile)) {
        yielded = true;
        yield r;
      }
      return;
    } catch (err) {
      // exceljs' streaming reader now and then lost a race between its temp-file and shared-strings
      // paths on workbooks that store workbook.xml last (as exceljs itself writes them): about one
      // read in a hundred failed with "reading 'sheets'". worksheetsLast now puts the workbook first,
      // but a zip it cannot reorder still takes that path. It fails before the first row, so reading
      // the same bytes again is safe.
      if (yielded || attempt >= 3) throw err;
    }
  }
}

/** Rows of the worksheet stored as `xl/worksheets/sheet<sheetFile>.xml`, or of the first one exceljs meets. */
async function* xlsxRowsOnce(buf: Buffer, sheetFile: string | null): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([worksheetsLast(buf)]), {
    sharedStrings: 'cache',
    // Styles tell date cells from plain numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  // The 'entry' event announces each part just before exceljs hands it over, with the number in the
  // part's file name: the only reliable link from a worksheet reader to its part (its own id and name
  // come from workbook.xml, which a workbook may store after the sheets). The typings leave out that
  // the reader is an EventEmitter.
  let announced: string | null = null;
  (reader as unknown as NodeJS.EventEmitter).on('entry', (e: { type?: string; id?: unknown }) => {
    if (e.type !== 'worksheet') return;
    announced = String(e.id);
    compactSharedStrings(reader);
  });
  for await (const ws of reader) {
    if (sheetFile !== null && announced !== sheetFile) {
      await skipWorksheet(ws);
      continue;
    }
    for await (const r of ws as AsyncIterable<ExcelJS.Row>) {
      const values = r.values as unknown[];
      const cells: CellValue[] = [];
      // exceljs row values are 1-based and sparse.
      for (let c = 1; c < values.length; c++) cells.push(cellValue(values[c]));
      if (cells.some((c) => !isBlank(c))) yield { row: r.number, cells };
    }
    return;
  }
  if (sheetFile !== null) throw unreadable(`worksheet part sheet${sheetFile}.xml is missing`);
}

/**
 * The zip's entries reordered so that every worksheet comes after the parts it depends on (shared
 * strings, styles, the workbook). Excel and exceljs both store the shared strings after the sheets,
 * and exceljs' streaming reader then inflates each sheet it meets into a temporary file and parses it
 * only once the shared strings have come: for 100,000 rows, 1.5 s before the first row and a second
 * pass over ~80 MB of XML. The reader parses local entries in the order they come, data descriptors
 * included, so whole entries (header to the next entry's header) can be moved as they are. The
 * buffer is returned unchanged when its directory is unusual or the order is already right.
 */
export function worksheetsLast(buf: Buffer): Buffer {
  const entries = zipEntries(buf);
  if (!entries?.length) return buf;
  const byOffset = [...entries].sort((a, b) => a.localHeader - b.localHeader);
  const isSheet = (e: ZipEntry) => WORKSHEET_PART.test(e.name);
  const ordered = [...byOffset.filter((e) => !isSheet(e)), ...byOffset.filter(isSheet)];
  if (ordered.every((e, i) => e === byOffset[i])) return buf;
  // Each entry's bytes run to the next entry's header; the last one's to the central directory.
  const directoryStart = centralDirectory(buf)!.offset;
  const bytesOf = new Map(
    byOffset.map((e, i) => [e, buf.subarray(e.localHeader, byOffset[i + 1]?.localHeader ?? directoryStart)] as const),
  );
  if ([...bytesOf.values()].some((b) => b.length < 30 || b.readUInt32LE(0) !== LOCAL_HEADER_MAGIC)) return buf;
  return Buffer.concat(ordered.map((e) => bytesOf.get(e)!));
}

/**
 * Passes over a worksheet without parsing it. A sheet exceljs meets before the shared strings (in a
 * zip worksheetsLast could not reorder) waits in a temporary file; the reader holds a lazily opened
 * stream of it, and removes the file as soon as it is given the next sheet: a stream never read would
 * then fail to open, with no one listening, and take the process down. That stream is closed here first. A sheet read
 * straight from the zip is drained by exceljs itself. Should exceljs keep its input elsewhere one
 * day, the sheet is parsed to its end instead: slower, never wrong.
 */
async function skipWorksheet(ws: unknown): Promise<void> {
  const input = (ws as { iterator?: unknown }).iterator;
  if (input instanceof Readable) {
    input.on('error', () => undefined);
    input.destroy();
    return;
  }
  if (input && typeof input === 'object' && Symbol.asyncIterator in input) return;
  for await (const _ of ws as AsyncIterable<unknown>) void _;
}

/**
 * The workbook's shared strings (every distinct text of a 100k-row register: staff numbers, IDs,
 * phones, e-mails) are complete when a worksheet starts, and exceljs keeps them as slices of the XML
 * chunks it parsed, which keeps every chunk alive: ~45 MiB of heap for 100k rows instead of ~19 MiB
 * flat. Each string is copied once into a string of its own. The heap's size follows what stays
 * alive (V8 lets it grow to a few times that between full collections), so this is worth more than
 * the bytes it saves. (Packing them further into a few long strings behind an array-like Proxy took
 * the live set to ~30 MiB, but exceljs' cell loop through the Proxy cost ~0.65 s per 100k rows.)
 */
function compactSharedStrings(reader: ExcelJS.stream.xlsx.WorkbookReader): void {
  const strings = (reader as unknown as { sharedStrings?: unknown }).sharedStrings;
  if (!Array.isArray(strings) || (strings as { compacted?: boolean }).compacted) return;
  for (let i = 0; i < strings.length; i++) {
    const s: unknown = strings[i];
    if (typeof s === 'string' && s.length >= SLICED_STRING_MIN) strings[i] = Buffer.from(s, 'utf8').toString('utf8');
  }
  (strings as { compacted?: boolean }).compacted = true;
}
/** V8 makes a substring this long a slice of its parent; shorter ones are copies already. */
const SLICED_STRING_MIN = 13;

function* csvRows(buf: Buffer, encoding: CsvEncoding): Generator<SheetRow> {
  const text = decodeCsv(buf, encoding);
  let records: string[][];
  try {
    records = parseCsv(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (err) {
    throw unreadable((err as Error).message);
  }
  for (let i = 0; i < records.length; i++) {
    const cells = records[i]!;
    // Record index + 1 is the row Excel shows when it opens the file.
    if (cells.some((c) => c.trim() !== '')) yield { row: i + 1, cells };
  }
}

/**
 * All non-empty rows of one worksheet (XLSX: the named one, by default the first tab; CSV: the file),
 * header row first, streamed for XLSX so memory stays flat. An unknown sheet name is refused with a
 * detail on `sheet`.
 */
export async function* readSpreadsheetRows(
  buf: Buffer,
  format: SpreadsheetFormat,
  encoding: CsvEncoding | null,
  sheet?: string | null,
): AsyncGenerator<SheetRow> {
  if (format === 'csv') {
    if (sheet) throw unknownSheet(sheet);
    yield* csvRows(buf, encoding ?? detectEncoding(buf));
    return;
  }
  const chosen = chooseSheet(listSheetParts(buf), sheet);
  try {
    yield* xlsxRows(buf, chosen?.file ?? null);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unreadable((err as Error).message || 'damaged workbook');
  }
}

/** Headers as keys of a mapping: trimmed, never empty, never repeated (a blank or repeated header gets its column letter). */
export function uniqueHeaders(cells: CellValue[]): string[] {
  const seen = new Set<string>();
  return cells.map((c, i) => {
    let h = cellText(c).replace(/\s+/g, ' ').slice(0, 200);
    if (!h || seen.has(h)) h = `${h ? `${h} ` : ''}(${columnLetter(i)})`;
    seen.add(h);
    return h;
  });
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/**
 * Headers, data-row count and a few sample rows of one worksheet for the mapping screen, and the list
 * of worksheets. CSV is counted exactly; for XLSX only the first rows are parsed and the rest are
 * counted by scanning each sheet's XML for row elements, because a full parse of a 100k-row
 * workbook costs seconds the upload screen should not wait for. The scan counts rows the way Excel
 * stores them, so blank-but-formatted rows count too; the import report gives the exact figures.
 */
export async function summariseSpreadsheet(buf: Buffer, fileName: string, sheet?: string | null): Promise<SpreadsheetSummary> {
  const format = detectFormat(buf, fileName);
  const encoding = format === 'csv' ? detectEncoding(buf) : null;
  const parts = format === 'xlsx' ? listSheetParts(buf) : [];
  const chosen = format === 'xlsx' ? chooseSheet(parts, sheet) : null;
  if (format === 'csv' && sheet) throw unknownSheet(sheet);
  const counts = await Promise.all(parts.map((p) => countSheetRowElements(buf, p.file).catch(() => null)));
  const scanned = format === 'xlsx' ? (chosen ? counts[parts.indexOf(chosen)]! : await countXlsxRowElements(buf).catch(() => null)) : null;
  let headers: string[] | null = null;
  let headerRow = 0;
  let rowCount = 0;
  const sampleRows: string[][] = [];
  for await (const r of readSpreadsheetRows(buf, format, encoding, chosen?.name)) {
    if (!headers) {
      headers = uniqueHeaders(r.cells);
      headerRow = r.row;
      continue;
    }
    rowCount++;
    if (sampleRows.length < SAMPLE_ROWS) sampleRows.push(headers.map((_, i) => cellText(r.cells[i] ?? null)));
    else if (scanned !== null) break;
  }
  if (!headers) throw unreadable('no header row');
  if (scanned !== null && rowCount > sampleRows.length) rowCount = Math.max(rowCount, scanned - 1);
  const sheets = parts.map((p, i) => ({
    name: p.name,
    rowCount: p === chosen ? rowCount : Math.max(0, (counts[i] ?? 1) - 1),
  }));
  return { format, encoding, sheet: chosen?.name ?? null, sheets, headers, headerRow, rowCount, sampleRows };
}

/** The header row of one worksheet (or of a CSV), without counting or sampling the rest: for checking a mapping. */
export async function readSheetHeaders(
  buf: Buffer,
  format: SpreadsheetFormat,
  encoding: CsvEncoding | null,
  sheet?: string | null,
): Promise<{ sheet: string | null; headers: string[] }> {
  const chosen = format === 'xlsx' ? chooseSheet(listSheetParts(buf), sheet) : null;
  for await (const r of readSpreadsheetRows(buf, format, encoding, chosen?.name ?? sheet)) {
    return { sheet: chosen?.name ?? null, headers: uniqueHeaders(r.cells) };
  }
  throw unreadable('no header row');
}

/**
 * Counts `<row>` elements of the first worksheet part in the zip, without an XML parser. Returns
 * null for anything unusual (zip64, encryption), and the caller then counts by parsing.
 */
export async function countXlsxRowElements(buf: Buffer): Promise<number | null> {
  const first = zipEntries(buf)?.find((e) => WORKSHEET_PART.test(e.name));
  return first ? countEntryRowTags(buf, first) : null;
}

/** The worksheet names of a workbook in tab order (empty when its parts cannot be read). */
export function listSheetNames(buf: Buffer): string[] {
  return listSheetParts(buf).map((p) => p.name);
}

/** Data rows of a worksheet (the first by default), estimated as its row elements less the header; null if unknown. */
export async function estimateSheetRows(buf: Buffer, sheet?: string | null): Promise<number | null> {
  const chosen = chooseSheet(listSheetParts(buf), sheet);
  const count = chosen ? await countSheetRowElements(buf, chosen.file) : await countXlsxRowElements(buf);
  return count === null ? null : Math.max(0, count - 1);
}

async function countSheetRowElements(buf: Buffer, sheetFile: string): Promise<number | null> {
  const entry = zipEntries(buf)?.find((e) => e.name === `xl/worksheets/sheet${sheetFile}.xml`);
  return entry ? countEntryRowTags(buf, entry) : null;
}

// ---------------------------------------------------------------- worksheets of a workbook

/** A worksheet as the workbook lists it, with the number of its part (`xl/worksheets/sheet<file>.xml`). */
type SheetPart = { name: string; file: string };

export const unknownSheet = (sheet: string): AppError =>
  new AppError('validation', [{ field: 'sheet', reason: 'unknown_sheet', params: { value: sheet } }]);

/** The named worksheet, or the first; null when the workbook's sheet list cannot be read (then exceljs' first). */
function chooseSheet(parts: SheetPart[], sheet: string | null | undefined): SheetPart | null {
  if (!sheet) return parts[0] ?? null;
  const found = parts.find((p) => p.name === sheet);
  if (!found) throw unknownSheet(sheet);
  return found;
}

type ZipEntry = { name: string; method: number; compressedSize: number; localHeader: number };

const LOCAL_HEADER_MAGIC = 0x04034b50;
/** A worksheet's part in the zip (chart sheets live elsewhere). */
const WORKSHEET_PART = /^xl\/worksheets\/[^/]+\.xml$/;

/** The zip's central directory: where it starts (where the last entry's bytes end) and how many entries it lists. */
function centralDirectory(buf: Buffer): { offset: number; count: number } | null {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) return null;
  return { offset: buf.readUInt32LE(eocd + 16), count: buf.readUInt16LE(eocd + 10) };
}

/** The zip's central directory entries; null for anything unusual (zip64, a damaged directory). */
function zipEntries(buf: Buffer): ZipEntry[] | null {
  const directory = centralDirectory(buf);
  if (!directory) return null;
  const { count } = directory;
  const entries: ZipEntry[] = [];
  let p = directory.offset;
  for (let i = 0; i < count && p + 46 <= buf.length; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = buf.readUInt16LE(p + 28);
    entries.push({
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      localHeader: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

/** An entry's stored bytes (still compressed), or null if its local header does not check out. */
function entryData(buf: Buffer, e: ZipEntry): Buffer | null {
  if (e.localHeader + 30 > buf.length || buf.readUInt32LE(e.localHeader) !== LOCAL_HEADER_MAGIC || (e.method !== 0 && e.method !== 8))
    return null;
  const start = e.localHeader + 30 + buf.readUInt16LE(e.localHeader + 26) + buf.readUInt16LE(e.localHeader + 28);
  return buf.subarray(start, start + e.compressedSize);
}

function readSmallEntry(buf: Buffer, entries: ZipEntry[], name: string): string | null {
  const e = entries.find((x) => x.name === name);
  const data = e && entryData(buf, e);
  if (!data) return null;
  return (e.method === 0 ? data : inflateRawSync(data)).toString('utf8');
}

async function countEntryRowTags(buf: Buffer, e: ZipEntry): Promise<number | null> {
  const data = entryData(buf, e);
  if (!data) return null;
  return e.method === 0 ? countRowTags([data]) : countRowTags(Readable.from([data]).pipe(createInflateRaw()));
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const xmlDecode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : (XML_ENTITIES[e] ?? m),
  );
const xmlAttributes = (tag: string) => {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out.set(m[1]!, xmlDecode(m[2] ?? m[3] ?? ''));
  return out;
};

/**
 * The worksheets in tab order, from xl/workbook.xml and its relationships, keeping those exceljs can
 * read (parts named xl/worksheets/sheet<n>.xml; chart sheets are not worksheets). Empty when the
 * workbook's parts cannot be read; the reader then falls back to the first worksheet it meets.
 */
function listSheetParts(buf: Buffer): SheetPart[] {
  const entries = zipEntries(buf);
  if (!entries) return [];
  let workbook: string | null;
  let rels: string | null;
  try {
    workbook = readSmallEntry(buf, entries, 'xl/workbook.xml');
    rels = readSmallEntry(buf, entries, 'xl/_rels/workbook.xml.rels');
  } catch {
    return [];
  }
  if (!workbook || !rels) return [];
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const a = xmlAttributes(m[1]!);
    if (a.get('Id') && a.get('Target')) targets.set(a.get('Id')!, a.get('Target')!);
  }
  const parts: SheetPart[] = [];
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const a = xmlAttributes(m[1]!);
    // The relationship id is the attribute `id` in the relationships namespace, whatever its prefix.
    const rid = [...a].find(([k]) => /^\w+:id$/.test(k))?.[1];
    const name = a.get('name');
    const file = rid ? /^(?:\/?xl\/)?worksheets\/sheet(\d+)\.xml$/.exec(targets.get(rid) ?? '')?.[1] : undefined;
    if (name && file) parts.push({ name, file });
  }
  return parts;
}

async function countRowTags(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<number> {
  let count = 0;
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + chunk.toString('latin1');
    for (let i = text.indexOf('<row'); i >= 0; i = text.indexOf('<row', i + 4)) {
      const c = text[i + 4];
      if (c === ' ' || c === '>') count++;
    }
    carry = text.slice(-4);
  }
  return count;
}
