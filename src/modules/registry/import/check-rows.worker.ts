// The worker thread of checkRowsInWorker: checks the file it is given and asks its parent for
// look-ups and to take each batch of changes.
import { parentPort, workerData } from 'node:worker_threads';
import { createNationalIdCipher } from '../national-id.js';
import {
  asBuffer,
  checkRows,
  serialiseError,
  deserialiseError,
  type CheckIo,
  type Reply,
  type WorkerData,
  type WorkerRequest,
} from './check-rows.js';

const port = parentPort!;
const { input, key } = workerData as WorkerData;
const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextId = 0;

port.on('message', (m: Reply) => {
  const w = waiting.get(m.id);
  waiting.delete(m.id);
  if (m.error) w?.reject(deserialiseError(m.error));
  else w?.resolve(m.value);
});

type Ask = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
function ask<T>(request: Ask): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    port.postMessage({ ...request, id });
  });
}

const post = (m: WorkerRequest) => port.postMessage(m);
const io: CheckIo = {
  cipher: createNationalIdCipher(asBuffer(key)),
  lookup: (personNos, hashes) => ask({ kind: 'lookup', personNos, hashes }),
  // Copied out of the builder's reused buffers; the clone on the way copies once more, so nothing is shared.
  append: (batch) => ask({ kind: 'append', batch: batch.copy() }),
  stopWriting: () => ask({ kind: 'stop' }),
  progress: async (done, total) => post({ kind: 'progress', done, ...(total !== undefined ? { total } : {}) }),
};

try {
  post({ kind: 'done', result: await checkRows({ ...input, content: asBuffer(input.content) }, io) });
} catch (err) {
  post({ kind: 'failed', error: serialiseError(err) });
}
