// Worker-thread entry: one independent search per worker, started by solver.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { compileModel } from './compiled-model.js';
import { runSearch, type SearchParams } from './local-search.js';
import { loadHighs, milpUsable } from './row-milp.js';
import type { RosterInstance } from './types.js';

export type WorkerInput = {
  instance: RosterInstance;
  params: Omit<SearchParams, 'initialGrid' | 'highs'> & { initialGrid?: Int16Array };
};

const input = workerData as WorkerInput;
const model = compileModel(input.instance);
// Block re-solves only run under a time limit (they are paced by the clock).
const highs = Number.isFinite(input.params.deadline) && milpUsable(model) ? await loadHighs() : undefined;
const outcome = runSearch(model, { ...input.params, highs });
parentPort!.postMessage(outcome, [outcome.grid.buffer as ArrayBuffer]);
