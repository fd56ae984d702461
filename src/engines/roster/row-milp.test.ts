// The block re-solve (HiGHS MILP over whole rows) against enumeration of one row, and on a
// Curtois instance against the evaluator.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { compileModel, countCover, gridToRoster } from './compiled-model.js';
import { readCurtoisFile } from './curtois-parser.js';
import { evaluateRoster } from './evaluator.js';
import { RowScorer, runSearch, scoreGrid } from './local-search.js';
import { loadHighs, milpUsable, solveBlock } from './row-milp.js';
import { smallRowInstance as instance } from './row-fixtures.test-support.js';

const DATA = fileURLToPath(new URL('../../../../shared/data/curtois/', import.meta.url));

describe('solveBlock', () => {
  it('finds the cheapest feasible row with the other rows fixed (checked by enumeration)', async () => {
    const highs = (await loadHighs())!;
    expect(highs).toBeDefined();
    for (const seed of [1, 2, 3]) {
      const inst = instance(seed);
      const m = compileModel(inst);
      expect(milpUsable(m)).toBe(true);
      const grid = runSearch(m, { seed, deadline: Infinity, maxIterations: 20_000, dpFactor: 0 }).grid;
      const rs = new RowScorer(m);
      for (let e = 0; e < m.E; e++) {
        let best = Infinity;
        const trial = Int16Array.from(grid);
        const n = Math.pow(m.V, m.D);
        for (let code = 0; code < n; code++) {
          let c = code;
          for (let d = 0; d < m.D; d++) {
            trial[e * m.D + d] = c % m.V;
            c = Math.floor(c / m.V);
          }
          rs.score(trial, e);
          if (rs.hard > 0) continue;
          const s = scoreGrid(m, trial).soft;
          if (s < best) best = s;
        }
        const res = solveBlock(highs, m, grid, countCover(m, grid), [e], 10, 1);
        expect(res?.optimal).toBe(true);
        trial.set(grid);
        trial.set(res!.rows, e * m.D);
        const got = evaluateRoster(inst, gridToRoster(m, trial));
        expect(got.violations.filter((v) => v.level === 'hard' && v.staffId === m.staffIds[e])).toEqual([]);
        expect({ seed, e, soft: got.soft }).toEqual({ seed, e, soft: best });
      }
    }
  });

  it('re-solves a block of Curtois rows to a feasible roster no worse than before', async () => {
    const highs = (await loadHighs())!;
    const inst = readCurtoisFile(`${DATA}Instance2.txt`);
    const m = compileModel(inst);
    const out = runSearch(m, { seed: 3, deadline: Infinity, maxIterations: 300_000 });
    expect(out.hard).toBe(0);
    const block = [0, 3, 7, 11];
    const res = solveBlock(highs, m, out.grid, countCover(m, out.grid), block, 20, 1);
    expect(res).not.toBeNull();
    const grid = Int16Array.from(out.grid);
    block.forEach((e, i) => grid.set(res!.rows.subarray(i * m.D, (i + 1) * m.D), e * m.D));
    const check = evaluateRoster(inst, gridToRoster(m, grid));
    expect(check.hard).toBe(0);
    expect(check.soft).toBeLessThanOrEqual(out.soft);
    expect(scoreGrid(m, grid)).toEqual({ hard: check.hard, soft: check.soft });
  }, 30_000);

  it('re-solves a window of days over every row, the days outside it fixed', async () => {
    const highs = (await loadHighs())!;
    for (const name of ['Instance2', 'Instance7']) {
      const inst = readCurtoisFile(`${DATA}${name}.txt`);
      const m = compileModel(inst);
      const out = runSearch(m, { seed: 4, deadline: Infinity, maxIterations: 300_000 });
      expect(out.hard).toBe(0);
      const all = Array.from({ length: m.E }, (_, e) => e);
      for (const [from, to] of [
        [0, 4],
        [5, 11],
        [m.D - 6, m.D - 1],
      ] as const) {
        const res = solveBlock(highs, m, out.grid, countCover(m, out.grid), all, 20, 1, from, to);
        expect(res).not.toBeNull();
        for (let e = 0; e < m.E; e++)
          for (let d = 0; d < m.D; d++) if (d < from || d > to) expect(res!.rows[e * m.D + d]).toBe(out.grid[e * m.D + d]);
        const check = evaluateRoster(inst, gridToRoster(m, res!.rows));
        expect({ name, from, hard: check.hard }).toEqual({ name, from, hard: 0 });
        expect(check.soft).toBeLessThanOrEqual(out.soft);
      }
    }
  }, 60_000);
});
