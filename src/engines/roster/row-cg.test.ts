// Column generation against enumeration (pricing), against the exact MILP of the whole
// instance (root bound, dive) and against the evaluator (every dive is a feasible roster).
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { compileModel, countCover, gridToRoster } from './compiled-model.js';
import { readCurtoisFile } from './curtois-parser.js';
import { evaluateRoster } from './evaluator.js';
import { RowScorer, now, runSearch, scoreGrid } from './local-search.js';
import { createRng } from './prng.js';
import { ColumnGeneration } from './row-cg.js';
import { RowDP } from './row-dp.js';
import { loadHighs, solveBlock } from './row-milp.js';
import { smallRowInstance as instance } from './row-fixtures.test-support.js';

const DATA = fileURLToPath(new URL('../../../../shared/data/curtois/', import.meta.url));

describe('RowDP.price', () => {
  it('finds the row of least requests minus duals among the rows keeping every hard rule (enumeration)', () => {
    for (const seed of [1, 2, 3]) {
      const m = compileModel(instance(seed));
      const dp = new RowDP(m);
      const rng = createRng(seed);
      const dual = Float64Array.from({ length: m.D * m.T }, () => Math.round(rng() * 40 - 10) / 4);
      const rs = new RowScorer(m);
      const trial = new Int16Array(m.E * m.D);
      for (let e = 0; e < m.E; e++) {
        let best = Infinity;
        for (let code = 0; code < Math.pow(m.V, m.D); code++) {
          let c = code;
          let cost = 0;
          let open = true;
          for (let d = 0; d < m.D; d++) {
            const v = c % m.V;
            c = Math.floor(c / m.V);
            trial[e * m.D + d] = v;
            const cb = (e * m.D + d) * m.V;
            open &&= m.blocked[cb + v] === 0;
            cost += m.cellSoft[cb + v]! - (v > 0 ? dual[d * m.T + v - 1]! : 0);
          }
          rs.score(trial, e);
          if (open && rs.hard === 0) best = Math.min(best, cost);
        }
        const got = dp.price(e, dual);
        expect({ seed, e, cost: got }).toEqual({ seed, e, cost: expect.closeTo(best, 9) });
        // The row it returns keeps e's hard rules and costs what it says.
        trial.set(dp.out, e * m.D);
        rs.score(trial, e);
        expect(rs.hard).toBe(0);
      }
    }
  });
});

describe('ColumnGeneration', () => {
  it('bounds the exact optimum from below at the root and dives to a feasible roster no better than it', async () => {
    const highs = (await loadHighs())!;
    for (const seed of [1, 2, 3]) {
      const inst = instance(seed);
      const m = compileModel(inst);
      const dp = new RowDP(m);
      expect(ColumnGeneration.usable(m, dp)).toBe(true);
      // The whole instance as one block re-solve is its exact MILP.
      const empty = new Int16Array(m.E * m.D);
      const all = Array.from({ length: m.E }, (_, e) => e);
      const exact = solveBlock(highs, m, empty, countCover(m, empty), all, 30, 1);
      expect(exact?.optimal).toBe(true);
      const optimum = scoreGrid(m, exact!.rows).soft;
      const cg = new ColumnGeneration(highs, m, dp);
      try {
        expect(cg.seed()).toBe(true);
        expect(cg.generate(Infinity)).toBe(true);
        expect(cg.lp).toBeLessThanOrEqual(optimum + 1e-6);
        const grid = cg.dive(Infinity);
        const check = evaluateRoster(inst, gridToRoster(m, grid));
        expect({ seed, hard: check.hard }).toEqual({ seed, hard: 0 });
        expect(check.soft).toBeGreaterThanOrEqual(optimum);
        expect(scoreGrid(m, grid)).toEqual({ hard: 0, soft: check.soft });
      } finally {
        cg.dispose();
      }
    }
  }, 60_000);

  it('reaches the optimum of Curtois Instance2 (828) within a few dives, every one feasible', async () => {
    const highs = (await loadHighs())!;
    const inst = readCurtoisFile(`${DATA}Instance2.txt`);
    const m = compileModel(inst);
    const cg = new ColumnGeneration(highs, m, new RowDP(m));
    try {
      expect(cg.seed()).toBe(true);
      expect(cg.generate(Infinity)).toBe(true);
      expect(cg.lp).toBeLessThanOrEqual(828 + 1e-6);
      let best = Infinity;
      for (let k = 0; k < 5 && best > 828; k++) {
        if (k > 0) {
          cg.unfixAll();
          cg.generate(Infinity);
        }
        const grid = cg.dive(Infinity);
        const check = evaluateRoster(inst, gridToRoster(m, grid));
        expect(check.hard).toBe(0);
        expect(scoreGrid(m, grid)).toEqual({ hard: 0, soft: check.soft });
        best = Math.min(best, check.soft);
      }
      expect(best).toBe(828);
    } finally {
      cg.dispose();
    }
  }, 60_000);

  it('runs inside a timed search and hands back a roster the evaluator agrees with', async () => {
    const highs = (await loadHighs())!;
    const inst = readCurtoisFile(`${DATA}Instance2.txt`);
    const m = compileModel(inst);
    const out = runSearch(m, { seed: 1, deadline: now() + 8000, maxIterations: Infinity, highs, columnGeneration: true });
    expect(out.hard).toBe(0);
    expect(out.dives).toBeGreaterThan(0);
    const check = evaluateRoster(inst, gridToRoster(m, out.grid));
    expect({ hard: check.hard, soft: check.soft }).toEqual({ hard: out.hard, soft: out.soft });
    expect(out.soft).toBeLessThanOrEqual(835);
  }, 30_000);
});
