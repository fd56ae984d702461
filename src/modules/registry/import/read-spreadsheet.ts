import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../../../server/errors.js';

export type SpreadsheetFormat = 'xlsx' | 'csv';
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';
/** What a cell can hold once exceljs' rich text, formulas and hyperlinks are reduced to their value. */
export type CellValue = string | number | boolean | Date | null;
/** One non-empty row; `row` is the number the user sees in Excel (header = first non-empty row). */
export type SheetRow = { row: number; cells: CellValue[] };

export type SpreadsheetSummary = {
  format: SpreadsheetFormat;
  encoding: CsvEncoding | null;
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

async function* xlsxRows(buf: Buffer): AsyncGenerator<SheetRow> {
  for (let attempt = 1; ; attempt++) {
    let yielded = false;
    try {
      for await (const r of xlsxRowsOnce(buf)) {
        yielded = true;
        yield r;
      }
      return;
    } catch (err) {
      // exceljs' streaming reader now and then loses a race between its temp-file and shared-strings
      // paths on workbooks that store workbook.xml last (as exceljs itself writes them): about one
      // read in a hundred fails with "reading 'sheets'". It fails before the first row, so reading
      // the same bytes again is safe.
      if (yielded || attempt >= 3) throw err;
    }
  }
}

async function* xlsxRowsOnce(buf: Buffer): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), {
    sharedStrings: 'cache',
    // Styles tell date cells from plain numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  // The typings leave out that the reader is an EventEmitter; 'entry' announces each part before it is parsed.
  (reader as unknown as NodeJS.EventEmitter).on('entry', (e: { type?: string }) => {
    if (e.type === 'worksheet') compactSharedStrings(reader);
  });
  for await (const ws of reader) {
    for await (const r of ws as AsyncIterable<ExcelJS.Row>) {
      const values = r.values as unknown[];
      const cells: CellValue[] = [];
      // exceljs row values are 1-based and sparse.
      for (let c = 1; c < values.length; c++) cells.push(cellValue(values[c]));
      if (cells.some((c) => !isBlank(c))) yield { row: r.number, cells };
    }
    // Only the first worksheet is imported.
    break;
  }
}

/**
 * The workbook's shared strings (every distinct text of a 100k-row register: staff numbers, IDs,
 * phones, e-mails) are complete when a worksheet starts, and exceljs keeps them as slices of the XML
 * chunks it parsed, which keeps every chunk alive: ~45 MiB of heap for 100k rows instead of ~19 MiB
 * flat. Each string is copied once into a string of its own. The heap's size follows what stays
 * alive (V8 lets it grow to a few times that between full collections), so this is worth more than
 * the bytes it saves.
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

/** All non-empty rows of the first sheet, header row first, streamed for XLSX so memory stays flat. */
export async function* readSpreadsheetRows(buf: Buffer, format: SpreadsheetFormat, encoding: CsvEncoding | null): AsyncGenerator<SheetRow> {
  if (format === 'csv') {
    yield* csvRows(buf, encoding ?? detectEncoding(buf));
    return;
  }
  try {
    yield* xlsxRows(buf);
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
 * Headers, data-row count and a few sample rows for the mapping screen. CSV is counted exactly; for
 * XLSX only the first rows are parsed and the rest are counted by scanning the sheet's XML for row
 * elements, because a full parse of a 100k-row workbook costs seconds the upload screen should not
 * wait for. The scan counts rows the way Excel stores them, so blank-but-formatted rows count too;
 * the import report gives the exact figures.
 */
export async function summariseSpreadsheet(buf: Buffer, fileName: string): Promise<SpreadsheetSummary> {
  const format = detectFormat(buf, fileName);
  const encoding = format === 'csv' ? detectEncoding(buf) : null;
  const scanned = format === 'xlsx' ? await countXlsxRowElements(buf).catch(() => null) : null;
  let headers: string[] | null = null;
  let headerRow = 0;
  let rowCount = 0;
  const sampleRows: string[][] = [];
  for await (const r of readSpreadsheetRows(buf, format, encoding)) {
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
  return { format, encoding, headers, headerRow, rowCount, sampleRows };
}

/**
 * Counts `<row>` elements of the first worksheet straight from the zip (central directory, then a
 * streaming inflate), without an XML parser. Returns null for anything unusual (zip64, encryption),
 * and the caller then counts by parsing.
 */
export async function countXlsxRowElements(buf: Buffer): Promise<number | null> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) return null;
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries && p + 46 <= buf.length; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) return null;
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const next = p + 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const local = buf.readUInt32LE(p + 42);
    p = next;
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    if (buf.readUInt32LE(local) !== 0x04034b50 || (method !== 0 && method !== 8)) return null;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    return method === 0 ? countRowTags([data]) : countRowTags(Readable.from([data]).pipe(createInflateRaw()));
  }
  return null;
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
