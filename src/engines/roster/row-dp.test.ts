// The exact row moves against enumeration: RowDP must find the cheapest feasible row for one
// member with the others fixed, PairDP the cheapest keep/swap pattern of two rows.
import { describe, expect, it } from 'vitest';
import { compileModel, countCover, gridToRoster } from './compiled-model.js';
import { evaluateRoster } from './evaluator.js';
import { RowScorer, runSearch, scoreGrid } from './local-search.js';
import { PairDP, RowDP } from './row-dp.js';
import { readCurtoisFile } from './curtois-parser.js';
import { fileURLToPath } from 'node:url';
import { smallRowInstance as instance } from './row-fixtures.test-support.js';

const DATA = fileURLToPath(new URL('../../../../shared/data/curtois/', import.meta.url));

describe('RowDP', () => {
  it('finds the cheapest feasible row with the other rows fixed (checked by enumeration)', () => {
    // The solver's own scorers are used for speed here; they are checked against the
    // evaluator on every Curtois instance in solver.test.ts.
    for (const seed of [1, 2, 3]) {
      const inst = instance(seed);
      const m = compileModel(inst);
      const grid = runSearch(m, { seed, deadline: Infinity, maxIterations: 20_000, dpFactor: 0 }).grid;
      const count = countCover(m, grid);
      const dp = new RowDP(m);
      const rs = new RowScorer(m);
      for (let e = 0; e < m.E; e++) {
        // Enumerate every row of member e.
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
        const cost = dp.solve(e, grid, count);
        expect(cost).not.toBe(Infinity);
        trial.set(grid);
        trial.set(dp.out, e * m.D);
        const got = evaluateRoster(inst, gridToRoster(m, trial));
        expect(got.violations.filter((v) => v.level === 'hard' && v.staffId === m.staffIds[e])).toEqual([]);
        expect({ seed, e, soft: got.soft }).toEqual({ seed, e, soft: best });
      }
    }
  });
});

describe('PairDP', () => {
  it('finds the cheapest way for two members to trade cells with cover fixed', () => {
    for (const seed of [5, 6, 7]) {
      const inst = instance(seed);
      const m = compileModel(inst);
      const grid = runSearch(m, { seed, deadline: Infinity, maxIterations: 20_000, dpFactor: 0 }).grid;
      const pd = new PairDP(m, new RowDP(m));
      const base = scoreGrid(m, grid);
      for (let e1 = 0; e1 < m.E; e1++)
        for (let e2 = e1 + 1; e2 < m.E; e2++) {
          let best = Infinity;
          const trial = Int16Array.from(grid);
          for (let mask = 0; mask < 1 << m.D; mask++) {
            trial.set(grid);
            for (let d = 0; d < m.D; d++)
              if (mask & (1 << d)) {
                trial[e1 * m.D + d] = grid[e2 * m.D + d]!;
                trial[e2 * m.D + d] = grid[e1 * m.D + d]!;
              }
            const s = evaluateRoster(inst, gridToRoster(m, trial));
            const own = s.violations.some((v) => v.level === 'hard' && (v.staffId === m.staffIds[e1] || v.staffId === m.staffIds[e2]));
            if (!own && s.soft < best) best = s.soft;
          }
          const delta = pd.solve(e1, e2, grid);
          if (best === Infinity) {
            expect(delta).toBe(Infinity);
            continue;
          }
          // Per-type caps are not part of the pair state: the path may break one, and the
          // search then rejects the move. Otherwise it must be the optimum.
          trial.set(grid);
          for (let d = 0; d < m.D; d++)
            if (pd.swap[d]) {
              trial[e1 * m.D + d] = grid[e2 * m.D + d]!;
              trial[e2 * m.D + d] = grid[e1 * m.D + d]!;
            }
          const got = evaluateRoster(inst, gridToRoster(m, trial));
          const capsOnly = got.violations.filter((v) => v.level === 'hard').every((v) => v.constraint === 'max-shifts');
          expect(capsOnly).toBe(true);
          if (got.hard === 0) {
            expect(got.soft).toBe(best);
            expect(got.soft - base.soft).toBe(delta);
          } else expect(base.soft + delta).toBeLessThanOrEqual(best);
        }
    }
  });
});

describe('search with exact row moves', () => {
  it('agrees with the evaluator when row moves run often', () => {
    for (const name of ['Instance3', 'Instance9', 'Instance16']) {
      const inst = readCurtoisFile(`${DATA}${name}.txt`);
      const model = compileModel(inst);
      const out = runSearch(model, { seed: 11, deadline: Infinity, maxIterations: 60_000, dpFactor: 0.0005 });
      const check = evaluateRoster(inst, gridToRoster(model, out.grid));
      expect({ name, hard: check.hard, soft: check.soft }).toEqual({ name, hard: out.hard, soft: out.soft });
    }
  }, 60_000);
});
