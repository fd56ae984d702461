// Exact re-solve of a block of staff rows with every other row fixed, as a MILP for HiGHS
// (large-neighbourhood move). One binary per (member, day, allowed task); cover cells touched
// by the block get under/over columns priced by their weights; every hard rule of a row is a
// linear row: one cell a day, forbidden successions, per-type caps, minute limits, windows of
// maxCons + 1 days, forbidden short interior runs (work and off), weekends worked. The
// objective is the soft score of the whole roster minus a constant, so a solution no worse
// than the current rows is always found when those rows keep every hard rule (they are passed
// as the start).
import highsImport, { type Highs } from 'highs';
import type { CompiledModel } from './compiled-model.js';

const NO_LIMIT = 1 << 29;

export type BlockResult = {
  /** Rows of the block, in the order given, D cells each. */
  rows: Int16Array;
  /** HiGHS proved the block optimal (otherwise it stopped on its limit). */
  optimal: boolean;
  seconds: number;
};

// The package's typings describe a CommonJS namespace while Node's ESM build exports the
// loader itself as default; accept either shape (as src/engines/assign/highs-worker.ts does).
type LoadHighs = typeof highsImport.default;
const imported: unknown = highsImport;
const load = (typeof imported === 'function' ? imported : highsImport.default) as LoadHighs;

/** A HiGHS instance for this thread, or undefined when the WASM module cannot be loaded. */
export async function loadHighs(): Promise<Highs | undefined> {
  try {
    return await load();
  } catch {
    return undefined;
  }
}

/** True when every rule of the model is expressible here (no fairness, no high-load caps). */
export function milpUsable(m: CompiledModel): boolean {
  if (m.fairNights !== 0 || m.fairWeekends !== 0) return false;
  for (let e = 0; e < m.E; e++) if (m.maxHigh[e]! < NO_LIMIT) return false;
  return true;
}

class Builder {
  readonly cost: number[] = [];
  readonly lower: number[] = [];
  readonly upper: number[] = [];
  readonly integer: number[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];
  readonly starts: number[] = [0];
  readonly indices: number[] = [];
  readonly values: number[] = [];

  col(cost: number, lo: number, hi: number, integer: boolean): number {
    this.cost.push(cost);
    this.lower.push(lo);
    this.upper.push(hi);
    this.integer.push(integer ? 1 : 0);
    return this.cost.length - 1;
  }

  /** Adds lo ≤ Σ coefs·cols ≤ hi; duplicate columns are merged. */
  row(cols: number[], coefs: number[], lo: number, hi: number): void {
    const merged = new Map<number, number>();
    cols.forEach((c, i) => merged.set(c, (merged.get(c) ?? 0) + coefs[i]!));
    let n = 0;
    for (const [c, v] of merged) {
      if (v === 0) continue;
      this.indices.push(c);
      this.values.push(v);
      n++;
    }
    if (n === 0) return;
    this.rowLower.push(lo);
    this.rowUpper.push(hi);
    this.starts.push(this.indices.length);
  }
}

/**
 * Re-solves days `from`..`to` of rows `block` of `grid` (cover counts `count` include them)
 * with HiGHS, the other days of those rows fixed as they are, and returns the best rows found,
 * or null when HiGHS found none within `timeLimitSeconds`.
 */
export function solveBlock(
  highs: Highs,
  m: CompiledModel,
  grid: Int16Array,
  count: Int32Array,
  block: readonly number[],
  timeLimitSeconds: number,
  seed: number,
  from = 0,
  to = m.D - 1,
): BlockResult | null {
  const { D, T, V, S } = m;
  const b = new Builder();
  const inf = highs.infinity;
  // x[(i*D + d)*V + v]: column of member block[i] on day d with value v (v ≥ 1), or -1.
  const x = new Int32Array(block.length * D * V).fill(-1);
  const start: number[] = [];
  const fixed = Int32Array.from(count);
  block.forEach((e, i) => {
    const al = m.allowedValues[e]!;
    for (let d = from; d <= to; d++) {
      const cur = grid[e * D + d]!;
      if (cur > 0) fixed[d * T + cur - 1]!--;
      const cb = (e * D + d) * V;
      for (const v of al) {
        if (v === 0 || m.blocked[cb + v]) continue;
        x[(i * D + d) * V + v] = b.col(m.cellSoft[cb + v]! - m.cellSoft[cb]!, 0, 1, true);
        start.push(cur === v ? 1 : 0);
      }
    }
  });
  // Cover cells the block can touch: Σx + under − over = req − fixed.
  for (let d = from; d <= to; d++)
    for (let v = 1; v < V; v++) {
      const ci = d * T + v - 1;
      const cols: number[] = [];
      const coefs: number[] = [];
      let have = fixed[ci]!;
      for (let i = 0; i < block.length; i++) {
        const c = x[(i * D + d) * V + v]!;
        if (c < 0) continue;
        cols.push(c);
        coefs.push(1);
        if (grid[block[i]! * D + d] === v) have++;
      }
      if (cols.length === 0) continue;
      const req = m.coverReq[ci]!;
      const u = b.col(m.coverUnder[ci]!, 0, inf, false);
      const o = b.col(m.coverOver[ci]!, 0, inf, false);
      start.push(Math.max(0, req - have), Math.max(0, have - req));
      cols.push(u, o);
      coefs.push(1, -1);
      b.row(cols, coefs, req - fixed[ci]!, req - fixed[ci]!);
    }
  // One linear expression at a time: free days add columns, fixed days add a constant.
  let cols: number[] = [];
  let coefs: number[] = [];
  let constant = 0;
  const reset = (): void => {
    cols = [];
    coefs = [];
    constant = 0;
  };
  const emit = (lo: number, hi: number): void => {
    if (cols.length > 0) b.row(cols, coefs, lo - constant, hi - constant);
  };
  /** Adds Σ_v coef(v)·x[i, d, v] (v ≥ 1). */
  const term = (i: number, d: number, coef: (v: number) => number): void => {
    if (d < from || d > to) {
      const v = grid[block[i]! * D + d]!;
      if (v > 0) constant += coef(v);
      return;
    }
    for (let v = 1; v < V; v++) {
      const c = x[(i * D + d) * V + v]!;
      if (c < 0) continue;
      const k = coef(v);
      if (k === 0) continue;
      cols.push(c);
      coefs.push(k);
    }
  };
  const one = (): number => 1;
  const minus = (): number => -1;
  // Rows of rules whose days all lie outside from..to have no columns and are skipped.
  const lo0 = Math.max(0, from - 1);
  const hi0 = Math.min(D - 1, to + 1);
  block.forEach((e, i) => {
    for (let d = from; d <= to; d++) {
      reset();
      term(i, d, one);
      emit(-inf, 1);
    }
    // Forbidden successions, one row per (day, first shift): x[d, a] + Σ_forbidden x[d+1, b] ≤ 1.
    for (let d = lo0; d < hi0; d++)
      for (let a = 0; a < S; a++) {
        reset();
        term(i, d, (v) => (m.taskShift[v - 1] === a ? 1 : 0));
        term(i, d + 1, (v) => (m.forbid[a * S + m.taskShift[v - 1]!] ? 1 : 0));
        emit(-inf, 1);
      }
    for (let s = 0; s < S; s++) {
      const cap = m.maxShifts[e * S + s]!;
      if (cap >= D) continue;
      reset();
      for (let d = 0; d < D; d++) term(i, d, (v) => (m.taskShift[v - 1] === s ? 1 : 0));
      emit(-inf, cap);
    }
    reset();
    for (let d = 0; d < D; d++) term(i, d, (v) => m.shiftLen[m.taskShift[v - 1]!]!);
    emit(m.minMin[e]! > 0 ? m.minMin[e]! : -inf, m.maxMin[e]! < D * 1440 ? m.maxMin[e]! : inf);
    const maxCons = m.maxCons[e]!;
    if (maxCons < D)
      for (let d0 = Math.max(0, from - maxCons); d0 + maxCons < D && d0 <= to; d0++) {
        reset();
        for (let d = d0; d <= d0 + maxCons; d++) term(i, d, one);
        emit(-inf, maxCons);
      }
    // No interior work run of length l < minCons: −W[s−1] + Σ W[s..s+l−1] − W[s+l] ≤ l − 1.
    for (let l = 1; l < m.minCons[e]!; l++)
      for (let s = Math.max(1, from - l); s + l < D && s - 1 <= to; s++) {
        reset();
        term(i, s - 1, minus);
        for (let d = s; d < s + l; d++) term(i, d, one);
        term(i, s + l, minus);
        emit(-inf, l - 1);
      }
    // No interior off run of length l < minOff: W[s−1] − Σ W[s..s+l−1] + W[s+l] ≤ 1.
    for (let l = 1; l < m.minOff[e]!; l++)
      for (let s = Math.max(1, from - l); s + l < D && s - 1 <= to; s++) {
        reset();
        term(i, s - 1, one);
        for (let d = s; d < s + l; d++) term(i, d, minus);
        term(i, s + l, one);
        emit(-inf, 1);
      }
    const maxWe = m.maxWe[e]!;
    let nW = 0;
    for (let d = 0; d < D; d++) nW = Math.max(nW, m.weekend[d]! + 1);
    if (maxWe < nW) {
      // y[w] ≥ W[d] for each day of weekend w; Σ y ≤ maxWe. Weekends with no free day are
      // constants (worked or not as they are).
      const y: number[] = [];
      let fixedWorked = 0;
      for (let w = 0; w < nW; w++) {
        let worked = 0;
        let free = false;
        for (let d = 0; d < D; d++) {
          if (m.weekend[d] !== w) continue;
          if (grid[e * D + d] !== 0) worked = 1;
          if (d >= from && d <= to) free = true;
        }
        if (!free) {
          fixedWorked += worked;
          continue;
        }
        const yc = b.col(0, 0, 1, false);
        for (let d = 0; d < D; d++) {
          if (m.weekend[d] !== w) continue;
          reset();
          term(i, d, one);
          if (cols.length === 0) {
            // A fixed worked day of this weekend: the weekend counts.
            if (constant > 0) b.row([yc], [1], 1, 1);
            continue;
          }
          cols.push(yc);
          coefs.push(-1);
          emit(-inf, 0);
        }
        start.push(worked);
        y.push(yc);
      }
      if (y.length > 0)
        b.row(
          y,
          y.map(() => 1),
          -inf,
          maxWe - fixedWorked,
        );
    }
  });
  const numCols = b.cost.length;
  const numRows = b.rowLower.length;
  if (numCols === 0) return null;
  const model = highs.createModel({
    numCols,
    numRows,
    colCost: b.cost,
    colLower: b.lower,
    colUpper: b.upper,
    rowLower: b.rowLower,
    rowUpper: b.rowUpper,
    matrix: { format: 'csr', numRows, numCols, starts: b.starts, indices: b.indices, values: b.values },
    integrality: b.integer as (0 | 1)[],
  });
  try {
    model.options.set({ output_flag: false, time_limit: timeLimitSeconds, mip_rel_gap: 0, random_seed: seed % 2147483647 });
    model.setSolution({ colValue: start });
    const t0 = performance.now();
    model.run();
    const seconds = (performance.now() - t0) / 1000;
    if (Number(model.info.get('primal_solution_status')) !== 2) return null;
    const status = model.getModelStatus() as number;
    const val = model.getSolution().colValue;
    const rows = new Int16Array(block.length * D);
    for (let i = 0; i < block.length; i++)
      for (let d = 0; d < D; d++) {
        if (d < from || d > to) {
          rows[i * D + d] = grid[block[i]! * D + d]!;
          continue;
        }
        for (let v = 1; v < V; v++) {
          const c = x[(i * D + d) * V + v]!;
          if (c >= 0 && val[c]! > 0.5) rows[i * D + d] = v;
        }
      }
    return { rows, optimal: status === 7, seconds };
  } finally {
    model.dispose();
  }
}
