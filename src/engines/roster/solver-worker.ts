// Worker-thread entry: one independent search per worker, started by solver.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { compileModel } from './compiled-model.js';
import { runSearch, type SearchParams } from './local-search.js';
import type { RosterInstance } from './types.js';

export type WorkerInput = { instance: RosterInstance; params: Omit<SearchParams, 'initialGrid'> & { initialGrid?: Int16Array } };

const input = workerData as WorkerInput;
const model = compileModel(input.instance);
const outcome = runSearch(model, input.params);
parentPort!.postMessage(outcome, [outcome.grid.buffer as ArrayBuffer]);
