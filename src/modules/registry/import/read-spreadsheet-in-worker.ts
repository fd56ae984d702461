// The rows of a spreadsheet, parsed in a worker thread. On a 100k-row workbook exceljs' parse is the
// largest single cost of an import's check (~5 s of CPU, and most of its garbage); in a worker it runs
// beside the look-ups, validation and planning on the main thread (and beside PGlite, which runs there).
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../../engines/start-worker.js';
import { AppError, type ErrorCode, type ErrorDetail } from '../../../server/errors.js';
import type { CsvEncoding, SheetRow, SpreadsheetFormat } from './read-spreadsheet.js';

export type ReaderInput = {
  content: Uint8Array;
  format: SpreadsheetFormat;
  encoding: CsvEncoding | null;
  sheet: string | null;
  batchRows: number;
  /** How many batches the worker may parse ahead of the import: bounds the rows held in memory. */
  aheadBatches: number;
};

export type ReaderMessage = {
  rows: SheetRow[];
  done?: boolean;
  error?: { code: ErrorCode; details: ErrorDetail[]; params: Record<string, string | number> } | { message: string };
};

/**
 * The same rows, in the same order and with the same errors, as readSpreadsheetRows. Returning early
 * (or throwing in the consumer's loop) ends the worker.
 */
export async function* readSpreadsheetRowsInWorker(
  content: Buffer,
  format: SpreadsheetFormat,
  encoding: CsvEncoding | null,
  sheet: string | null,
  options: { batchRows?: number; aheadBatches?: number } = {},
): AsyncGenerator<SheetRow> {
  const input: ReaderInput = {
    // A copy: the caller keeps its buffer, and a pooled Buffer's ArrayBuffer may hold other data.
    content: new Uint8Array(content),
    format,
    encoding,
    sheet,
    batchRows: options.batchRows ?? 500,
    aheadBatches: options.aheadBatches ?? 4,
  };
  const worker: Worker = startWorker(new URL('./read-spreadsheet.worker.ts', import.meta.url), {
    workerData: input,
    transferList: [input.content.buffer as ArrayBuffer],
  });
  const queue: ReaderMessage[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: ReaderMessage) => {
    queue.push(m);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  worker.on('exit', (code) => {
    if (code !== 0 && !failure) failure = new Error(`spreadsheet reader exited with code ${code}`);
    notify();
  });
  try {
    for (;;) {
      while (!queue.length && !failure) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift();
      if (!m) throw failure!;
      if (m.error) {
        if ('code' in m.error) throw new AppError(m.error.code, m.error.details, m.error.params);
        throw new Error(m.error.message);
      }
      if (!m.done) worker.postMessage('more');
      for (const r of m.rows) yield r;
      if (m.done) return;
    }
  } finally {
    await worker.terminate();
  }
}
