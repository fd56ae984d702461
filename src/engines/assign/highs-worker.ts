// Worker thread that owns one HiGHS WASM instance for one solve. The parent terminates
// the thread afterwards, which frees the whole WASM heap even if a limit was hit mid-solve.

import { parentPort } from 'node:worker_threads';
import highsImport from 'highs';
import type { HighsModelInput } from './highs-model.js';

export type HighsRequest = { model: HighsModelInput; timeLimitSeconds: number };
export type HighsReply =
  | {
      ok: true;
      modelStatus: number;
      statusName: string;
      hasSolution: boolean;
      objective: number;
      colValue: Float64Array;
      runSeconds: number;
      mipGap: number | null;
    }
  | { ok: false; error: string };

// The package's typings describe a CommonJS namespace while Node's ESM build exports the
// loader itself as default; accept either shape.
type LoadHighs = typeof highsImport.default;
const imported: unknown = highsImport;
const loadHighs = (typeof imported === 'function' ? imported : highsImport.default) as LoadHighs;

const STATUS_NAMES: Record<number, string> = {
  7: 'optimal',
  8: 'infeasible',
  9: 'unbounded-or-infeasible',
  10: 'unbounded',
  13: 'time-limit',
  14: 'iteration-limit',
};

parentPort?.once('message', (req: HighsRequest) => {
  void solve(req).then((reply) => parentPort?.postMessage(reply));
});

async function solve(req: HighsRequest): Promise<HighsReply> {
  try {
    const highs = await loadHighs();
    const m = req.model;
    const model = highs.createModel({
      numCols: m.numCols,
      numRows: m.numRows,
      colCost: m.colCost,
      colLower: m.colLower,
      colUpper: m.colUpper,
      rowLower: m.rowLower.map((v) => (v === -Infinity ? -highs.infinity : v)),
      rowUpper: m.rowUpper.map((v) => (v === Infinity ? highs.infinity : v)),
      matrix: {
        format: 'csc',
        numRows: m.numRows,
        numCols: m.numCols,
        starts: m.starts,
        indices: m.indices,
        values: m.values,
      },
      ...(m.integrality ? { integrality: m.integrality } : {}),
    });
    try {
      model.options.set({
        output_flag: false,
        time_limit: req.timeLimitSeconds,
        mip_rel_gap: 0,
      });
      const t0 = performance.now();
      model.run();
      const runSeconds = (performance.now() - t0) / 1000;
      const modelStatus = model.getModelStatus() as number;
      const primal = Number(model.info.get('primal_solution_status'));
      const hasSolution = primal === 2;
      const sol = model.getSolution();
      let mipGap: number | null = null;
      if (m.integrality) {
        const g = Number(model.info.get('mip_gap'));
        mipGap = Number.isFinite(g) ? g : null;
      }
      return {
        ok: true,
        modelStatus,
        statusName: STATUS_NAMES[modelStatus] ?? `status-${modelStatus}`,
        hasSolution,
        objective: hasSolution ? model.getObjectiveValue() : NaN,
        colValue: new Float64Array(sol.colValue),
        runSeconds,
        mipGap,
      };
    } finally {
      model.dispose();
    }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
