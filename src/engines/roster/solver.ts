// Anytime roster solver: annealing searches with derived seeds, one per thread (timed runs
// trade their incumbents at the quench); best (fewest hard, then lowest soft, then lowest thread
// index) wins. With an iteration limit and no time limit the result depends only on the seed and
// the thread count.
import { availableParallelism } from 'node:os';
import { compileModel, gridToRoster, rosterToGrid } from './compiled-model.js';
import { evaluateRoster } from './evaluator.js';
import { createSharedIncumbents, now, runSearch, type SearchOutcome, type SearchParams } from './local-search.js';
import type { RosterInstance, SolveOptions, SolveResult } from './types.js';
import type { WorkerInput } from './solver-worker.js';
import { loadHighs, milpUsable } from './row-milp.js';
import { startWorker } from '../start-worker.js';

/** Seed of thread i: spread apart so threads never replay each other's streams. */
export function threadSeed(seed: number, i: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) + Math.imul(i, 0x85ebca6b)) >>> 0;
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

function runInWorker(input: WorkerInput): Promise<SearchOutcome> {
  return new Promise((resolve, reject) => {
    const w = startWorker(new URL('./solver-worker.ts', import.meta.url), { workerData: input });
    w.once('message', (m: SearchOutcome) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`roster worker exited with code ${code}`));
    });
  });
}

export async function solveRoster(instance: RosterInstance, options: SolveOptions = {}): Promise<SolveResult> {
  const start = now();
  const seed = options.seed ?? 1;
  const threads = Math.max(1, Math.floor(options.threads ?? defaultThreads()));
  if (options.timeLimitMs === undefined && options.maxIterations === undefined) {
    throw new Error('solveRoster needs timeLimitMs or maxIterations');
  }
  const model = compileModel(instance);
  const initialGrid = options.initial ? rosterToGrid(model, options.initial) : undefined;
  // Timed multi-thread runs exchange incumbents at the quench (see SearchParams.shared).
  const sharedBuffer = options.timeLimitMs !== undefined && threads > 1 ? createSharedIncumbents(model, threads) : undefined;
  const params = (i: number): Omit<SearchParams, 'highs'> => ({
    shared: sharedBuffer ? { buffer: sharedBuffer, threads, index: i } : undefined,
    seed: threadSeed(seed, i),
    deadline: options.timeLimitMs === undefined ? Infinity : start + options.timeLimitMs,
    maxIterations: options.maxIterations ?? Infinity,
    initialGrid,
    // A portfolio: even threads start from the paced (near-feasible) construction, odd ones
    // from the cover-first one.
    pace: i % 2 === 0,
    // Thread 0 also runs column generation and dives (timed runs with HiGHS only).
    columnGeneration: i === 0,
    targetSoft: options.targetSoft,
  });
  const workers: Promise<SearchOutcome>[] = [];
  for (let i = 1; i < threads; i++) workers.push(runInWorker({ instance, params: params(i) }));
  // Block re-solves (HiGHS) only run under a time limit: they are paced by the clock.
  const highs = options.timeLimitMs !== undefined && milpUsable(model) ? await loadHighs() : undefined;
  // Thread 0 runs here; the workers' messages queue until it returns.
  const outcomes = [runSearch(model, { ...params(0), highs }), ...(await Promise.all(workers))];
  let best = outcomes[0]!;
  let bestIndex = 0;
  outcomes.forEach((o, i) => {
    if (o.hard < best.hard || (o.hard === best.hard && o.soft < best.soft)) {
      best = o;
      bestIndex = i;
    }
  });
  const firsts = outcomes.map((o) => o.firstFeasibleAt).filter((t): t is number => t !== null);
  const roster = gridToRoster(model, best.grid);
  const evaluation = evaluateRoster(instance, roster);
  return {
    roster,
    score: { hard: best.hard, soft: best.soft },
    feasible: best.hard === 0,
    violations: evaluation.violations,
    firstFeasibleSeconds: firsts.length ? Math.max(0, Math.min(...firsts) - start) / 1000 : null,
    iterations: outcomes.reduce((a, o) => a + o.iterations, 0),
    elapsedSeconds: (now() - start) / 1000,
    seed: threadSeed(seed, bestIndex),
  };
}
