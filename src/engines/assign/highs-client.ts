// Runs one HiGHS solve in a fresh worker thread with a wall-clock limit.

import { startWorker } from '../start-worker.js';
import type { HighsModelInput } from './highs-model.js';
import type { HighsReply, HighsRequest } from './highs-worker.js';

export type HighsOutcome = {
  status: 'optimal' | 'time-limit' | 'infeasible' | 'killed' | 'error' | 'other';
  hasSolution: boolean;
  /** Objective of the minimisation HiGHS solved (−value). */
  objective: number;
  colValue: Float64Array | null;
  /** HiGHS run time inside the worker. */
  runSeconds: number;
  /** Wall time including worker start, WASM load and model transfer. */
  wallSeconds: number;
  mipGap: number | null;
  detail?: string;
};

export async function runHighs(model: HighsModelInput, timeLimitMs: number): Promise<HighsOutcome> {
  const t0 = performance.now();
  const worker = startWorker(new URL('./highs-worker.ts', import.meta.url));
  // HiGHS's own limit covers the run; setup and the WASM load get extra head-room before
  // the thread is killed outright.
  const killAfter = timeLimitMs + Math.max(5000, timeLimitMs * 0.5);
  const wall = (): number => (performance.now() - t0) / 1000;
  try {
    const reply = await new Promise<HighsReply | 'killed'>((resolve, reject) => {
      const timer = setTimeout(() => resolve('killed'), killAfter);
      worker.once('message', (r: HighsReply) => {
        clearTimeout(timer);
        resolve(r);
      });
      worker.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      const req: HighsRequest = { model, timeLimitSeconds: Math.max(0.001, timeLimitMs / 1000) };
      worker.postMessage(req);
    });
    if (reply === 'killed')
      return {
        status: 'killed',
        hasSolution: false,
        objective: NaN,
        colValue: null,
        runSeconds: wall(),
        wallSeconds: wall(),
        mipGap: null,
      };
    if (!reply.ok)
      return {
        status: 'error',
        hasSolution: false,
        objective: NaN,
        colValue: null,
        runSeconds: 0,
        wallSeconds: wall(),
        mipGap: null,
        detail: reply.error,
      };
    const status: HighsOutcome['status'] =
      reply.statusName === 'optimal' || reply.statusName === 'time-limit' || reply.statusName === 'infeasible' ? reply.statusName : 'other';
    return {
      status,
      hasSolution: reply.hasSolution,
      objective: reply.objective,
      colValue: reply.hasSolution ? reply.colValue : null,
      runSeconds: reply.runSeconds,
      wallSeconds: wall(),
      mipGap: reply.mipGap,
      detail: reply.statusName,
    };
  } finally {
    await worker.terminate();
  }
}
