// Worker-thread entry: parses one worksheet (or CSV) and sends its rows to the import in batches,
// started by readSpreadsheetRowsInWorker (read-spreadsheet-in-worker.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../server/errors.js';
import { readSpreadsheetRows, type SheetRow } from './read-spreadsheet.js';
import type { ReaderInput, ReaderMessage } from './read-spreadsheet-in-worker.js';

const input = workerData as ReaderInput;
const port = parentPort!;
/** Batches the parent has asked for and not yet been sent: it asks for one each time it takes one. */
let credit = input.aheadBatches;
let wake: (() => void) | null = null;
port.on('message', () => {
  credit++;
  wake?.();
  wake = null;
});
const send = async (message: ReaderMessage) => {
  while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
  credit--;
  port.postMessage(message);
};

try {
  let batch: SheetRow[] = [];
  for await (const r of readSpreadsheetRows(Buffer.from(input.content), input.format, input.encoding, input.sheet)) {
    batch.push(r);
    if (batch.length >= input.batchRows) {
      await send({ rows: batch });
      batch = [];
    }
  }
  await send({ rows: batch, done: true });
} catch (err) {
  // The parent rebuilds an AppError with its code and details, so the user reads the same message.
  const appError = err instanceof AppError ? { code: err.code, details: err.details, params: err.params } : null;
  port.postMessage({ rows: [], error: appError ?? { message: (err as Error).message || String(err) } } satisfies ReaderMessage);
}
// The parent's message listener keeps this thread alive; it is terminated once the last batch is taken.
