// Column generation over whole rows (Dantzig–Wolfe), solved by HiGHS, and a dive to a roster.
// Master LP: every member picks a convex combination of its known rows (columns), cover cells
// take under/over slack at their weights; min Σ requests of the rows + cover cost. Pricing is
// RowDP with each cell costing its requests minus the cover row's dual, so a member's cheapest
// row by reduced cost is one shortest path. With the columns of the LP optimum in hand the dive
// fixes members one by one (every near-integral one, else the one whose best column has the
// largest value), re-generating columns after each fix. Every column keeps its member's hard
// rules and cover is soft, so any choice of one column per member is a feasible roster.
import type { Highs } from 'highs';
import type { CompiledModel } from './compiled-model.js';
import type { RowDP } from './row-dp.js';

type Model = ReturnType<Highs['createModel']>;

/** Reduced costs above this are not negative (the costs are whole numbers). */
const EPS = 1e-6;

export class ColumnGeneration {
  private readonly model: Model;
  /** Column j of the master is a cover slack for j < slack, else row `colRows[j − slack]`. */
  private readonly slack: number;
  private readonly colRows: Int16Array[] = [];
  private readonly byMember: number[][] = [];
  private readonly seen = new Set<string>();
  private readonly dual: Float64Array;
  private readonly fixed: Int32Array;
  /**
   * Master LP value at the last convergence of `generate`: before any fix (the root) a lower
   * bound on every roster when pricing was exact (no per-type cap left priced).
   */
  lp = Infinity;
  /** Column-generation rounds run (LP solve plus one pricing pass over the members). */
  rounds = 0;
  /** Seconds spent in HiGHS (master LP) and in pricing (RowDP). */
  lpSeconds = 0;
  priceSeconds = 0;
  private disposed = false;
  private boundsChanged = false;
  private readonly inf: number;

  constructor(
    highs: Highs,
    private readonly m: CompiledModel,
    private readonly dp: RowDP,
  ) {
    const { E, D, T } = m;
    this.inf = highs.infinity;
    const cells = D * T;
    const nRows = E + cells;
    const rowLower = new Float64Array(nRows);
    const rowUpper = new Float64Array(nRows);
    rowLower.fill(1, 0, E);
    rowUpper.fill(1, 0, E);
    for (let i = 0; i < cells; i++) rowLower[E + i] = rowUpper[E + i] = m.coverReq[i]!;
    // Under and over slack of each cover cell: Σ rows + under − over = requirement.
    this.slack = 2 * cells;
    const cost = new Float64Array(this.slack);
    const starts = new Int32Array(this.slack + 1);
    const indices = new Int32Array(this.slack);
    const values = new Float64Array(this.slack);
    for (let i = 0; i < cells; i++) {
      cost[2 * i] = m.coverUnder[i]!;
      cost[2 * i + 1] = m.coverOver[i]!;
      indices[2 * i] = indices[2 * i + 1] = E + i;
      values[2 * i] = 1;
      values[2 * i + 1] = -1;
    }
    for (let j = 0; j <= this.slack; j++) starts[j] = j;
    this.model = highs.createModel({
      numCols: this.slack,
      numRows: nRows,
      colCost: cost,
      colLower: new Float64Array(this.slack),
      colUpper: new Float64Array(this.slack).fill(highs.infinity),
      rowLower,
      rowUpper,
      matrix: { format: 'csc', numRows: nRows, numCols: this.slack, starts, indices, values },
    });
    // Primal simplex: new columns leave the last basis primal feasible (it measured about 40 %
    // faster than the default dual simplex on these masters); after a fix, dual (see generate).
    this.model.options.set({ output_flag: false, presolve: 'off', simplex_strategy: 4 });
    for (let e = 0; e < E; e++) this.byMember.push([]);
    this.dual = new Float64Array(cells);
    this.fixed = new Int32Array(E).fill(-1);
  }

  /** True when every member's rows can be priced (RowDP eligible for all). */
  static usable(m: CompiledModel, dp: RowDP): boolean {
    if (!dp.usable) return false;
    for (let e = 0; e < m.E; e++) if (!dp.eligible[e]) return false;
    return true;
  }

  /** Columns in the master. */
  get columns(): number {
    return this.colRows.length;
  }

  /** Adds row `row` of member e as a column unless it is known; returns whether it was added. */
  addColumn(e: number, row: Int16Array): boolean {
    const m = this.m;
    const { D, V, E, T } = m;
    const key = `${e}:${String.fromCharCode(...row)}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    let cost = 0;
    const indices = [e];
    const values = [1];
    for (let d = 0; d < D; d++) {
      const v = row[d]!;
      cost += m.cellSoft[(e * D + d) * V + v]!;
      if (v > 0) {
        indices.push(E + d * T + v - 1);
        values.push(1);
      }
    }
    this.model.addCol(cost, 0, this.fixed[e]! >= 0 ? 0 : this.inf, { indices, values });
    this.byMember[e]!.push(this.colRows.length);
    this.colRows.push(Int16Array.from(row));
    return true;
  }

  /**
   * Seeds every member with its cheapest row by requests alone (so the master is feasible);
   * false when some member has no row keeping its hard rules.
   */
  seed(): boolean {
    this.dual.fill(0);
    for (let e = 0; e < this.m.E; e++) {
      if (this.dp.price(e, this.dual) === Infinity) return false;
      this.addColumn(e, this.dp.out);
    }
    return true;
  }

  /**
   * Column generation until no free member has a row of negative reduced cost, or `deadline`
   * (absolute ms, as performance.timeOrigin + performance.now()). Returns true on convergence.
   */
  generate(deadline: number): boolean {
    const m = this.m;
    const { E, D, T } = m;
    const y = this.dual;
    for (;;) {
      const t0 = performance.now();
      // After bound changes (a fix) the old basis stays dual feasible: dual simplex first;
      // after added columns it stays primal feasible: primal simplex.
      if (this.boundsChanged) this.model.options.set({ simplex_strategy: 1 });
      this.model.run();
      if (this.boundsChanged) this.model.options.set({ simplex_strategy: 4 });
      this.boundsChanged = false;
      const t1 = performance.now();
      this.lpSeconds += (t1 - t0) / 1000;
      this.rounds++;
      const rowDual = this.model.getSolution().rowDual;
      for (let i = 0; i < D * T; i++) y[i] = rowDual[E + i]!;
      let added = 0;
      for (let e = 0; e < E; e++) {
        if (this.fixed[e]! >= 0) continue;
        if (performance.timeOrigin + performance.now() >= deadline) return false;
        const c = this.dp.price(e, y);
        if (c !== Infinity && c - rowDual[e]! < -EPS && this.addColumn(e, this.dp.out)) added++;
      }
      this.priceSeconds += (performance.now() - t1) / 1000;
      if (added === 0) {
        this.lp = this.model.getObjectiveValue();
        return true;
      }
    }
  }

  private fix(e: number, j: number): void {
    this.fixed[e] = j;
    this.boundsChanged = true;
    for (const k of this.byMember[e]!) this.model.changeColBounds(this.slack + k, k === j ? 1 : 0, k === j ? 1 : 0);
  }

  /** Frees every member again (for another dive over the grown column pool). */
  unfixAll(): void {
    this.fixed.fill(-1);
    this.boundsChanged = true;
    const n = this.colRows.length;
    if (n > 0)
      this.model.changeColsBounds(
        { kind: 'range', from: this.slack, to: this.slack + n - 1 },
        new Float64Array(n),
        new Float64Array(n).fill(this.inf),
      );
  }

  /**
   * Dive from the current LP solution to one column per member and return the roster: fix
   * every member whose best column is (near) integral, else the one whose best column has the
   * largest value, and re-generate. After `deadline` the members still free take their
   * largest column without further generation.
   */
  dive(deadline: number): Int16Array {
    const m = this.m;
    const { E, D } = m;
    const best = new Float64Array(E);
    const arg = new Int32Array(E);
    for (;;) {
      const x = this.model.getSolution().colValue;
      best.fill(-1);
      arg.fill(-1);
      for (let e = 0; e < E; e++) {
        if (this.fixed[e]! >= 0) continue;
        for (const k of this.byMember[e]!) {
          const v = x[this.slack + k] ?? 0;
          if (v > best[e]!) {
            best[e] = v;
            arg[e] = k;
          }
        }
      }
      const late = performance.timeOrigin + performance.now() >= deadline;
      let free = 0;
      let fixedNow = 0;
      let top = -1;
      for (let e = 0; e < E; e++) {
        if (this.fixed[e]! >= 0) continue;
        free++;
        if (late || best[e]! > 1 - EPS) {
          this.fix(e, arg[e]!);
          fixedNow++;
        } else if (top < 0 || best[e]! > best[top]!) top = e;
      }
      if (free === fixedNow) break;
      if (fixedNow === 0) this.fix(top, arg[top]!);
      if (!this.generate(deadline)) this.model.run();
    }
    const grid = new Int16Array(E * D);
    for (let e = 0; e < E; e++) grid.set(this.colRows[this.fixed[e]!]!, e * D);
    return grid;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }
}
