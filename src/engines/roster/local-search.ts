// Single-threaded simulated annealing over the compiled grid. Hard constraints are penalised
// with an adaptive weight; every move touches at most two staff rows, so a move costs one
// rescan of each touched row plus the touched cover cells, never the whole roster.
import { countCover, type CompiledModel } from './compiled-model.js';
import { createRng, randInt, type Rng } from './prng.js';
import { RowState } from './row-state.js';
import { PairDP, RowDP } from './row-dp.js';
import { milpUsable, solveBlock } from './row-milp.js';
import { ColumnGeneration } from './row-cg.js';
import type { Highs } from 'highs';

export type SearchParams = {
  seed: number;
  /** Absolute time (performance.timeOrigin + performance.now()) at which to stop. */
  deadline: number;
  maxIterations: number;
  initialGrid?: Int16Array;
  /** Construction variant when there is no initial grid (see constructGrid). */
  pace?: boolean;
  targetSoft?: number;
  /**
   * Start and end temperature of the annealing schedule: geometric from t0 to t1 over the
   * first `quenchAt` of the run, then from t1 down to t1 / 10 (a near-greedy finish).
   */
  t0?: number;
  t1?: number;
  quenchAt?: number;
  /** Hard weight at start and its floor, as multiples of the largest cover weight. */
  hardWeight?: number;
  hardWeightFloor?: number;
  hardWeightCap?: number;
  /**
   * Exact row re-optimisation (row-dp.ts) runs once every `dpFactor` × (average path work)
   * iterations, so it takes a roughly fixed share of the time; 0 turns it off.
   */
  dpFactor?: number;
  /** Share of those moves that rebuild two rows (ruin and recreate) instead of one. */
  dpPairShare?: number;
  /** Break ties between equally cheap rows at random (default true). */
  dpJitter?: boolean;
  /**
   * Every this many iterations, two members re-deal their cells day by day with cover fixed
   * (PairDP, far cheaper than a row path); 0 turns it off.
   */
  dpSwapEvery?: number;
  /**
   * Loaded HiGHS instance for the block re-solve (row-milp.ts); without it, or without a time
   * limit (it is paced by the clock), that move is off.
   */
  highs?: Highs;
  /** Share of the time given to block re-solves once they start (default 0.5). */
  lnsShare?: number;
  /**
   * Incumbent exchange between the threads of one solve (timed runs only): each publishes its
   * best roster here, and at the start of the quench a thread whose best is worse takes over
   * the best published one, so every thread spends the finish on the best roster found.
   */
  shared?: SharedIncumbents;
  /** Progress (0..1) at which block re-solves start (default 0.85, with the quench). */
  lnsStart?: number;
  /**
   * Column generation and repeated dives (row-cg.ts) once the roster is feasible (or 5 % into
   * the run); the best dive becomes the roster the near-greedy finish starts from when it
   * beats the annealing's. Needs `highs`, a time limit and every row priceable by RowDP.
   */
  columnGeneration?: boolean;
  /** Share of the run at which the dives stop (default `quenchAt`). */
  cgShare?: number;
};

/** Per thread: a seqlock word, (hard, soft) and an E×D grid, in shared memory. */
export type SharedIncumbents = { buffer: SharedArrayBuffer; threads: number; index: number };

export function createSharedIncumbents(m: CompiledModel, threads: number): SharedArrayBuffer {
  const size = slotBytes(m);
  const buffer = new SharedArrayBuffer(threads * size);
  // Empty slots read as infinitely bad.
  for (let i = 0; i < threads; i++) new Float64Array(buffer, i * size + 8, 2).fill(Infinity);
  return buffer;
}

function slotBytes(m: CompiledModel): number {
  return 16 + 8 + Math.ceil((m.E * m.D * 2) / 8) * 8;
}

class IncumbentSlots {
  private readonly seq: Int32Array[] = [];
  private readonly score: Float64Array[] = [];
  private readonly grid: Int16Array[] = [];
  constructor(
    m: CompiledModel,
    private readonly s: SharedIncumbents,
  ) {
    const size = slotBytes(m);
    for (let i = 0; i < s.threads; i++) {
      this.seq.push(new Int32Array(s.buffer, i * size, 2));
      this.score.push(new Float64Array(s.buffer, i * size + 8, 2));
      this.grid.push(new Int16Array(s.buffer, i * size + 24, m.E * m.D));
    }
  }

  publish(hard: number, soft: number, grid: Int16Array): void {
    const i = this.s.index;
    const seq = this.seq[i]!;
    Atomics.add(seq, 0, 1);
    this.score[i]![0] = hard;
    this.score[i]![1] = soft;
    this.grid[i]!.set(grid);
    Atomics.add(seq, 0, 1);
  }

  /** Copies the best other thread's roster into `out` if it beats (hard, soft); returns its score or null. */
  adoptBetter(hard: number, soft: number, out: Int16Array): { hard: number; soft: number } | null {
    let got: { hard: number; soft: number } | null = null;
    for (let j = 0; j < this.s.threads; j++) {
      if (j === this.s.index) continue;
      const seq = this.seq[j]!;
      for (let attempt = 0; attempt < 100; attempt++) {
        const a = Atomics.load(seq, 0);
        if (a % 2 === 1) continue;
        const h = this.score[j]![0]!;
        const sc = this.score[j]![1]!;
        const better = h === 0 && (got ? sc < got.soft : hard > 0 || sc < soft);
        if (better) out.set(this.grid[j]!);
        if (Atomics.load(seq, 0) !== a) continue;
        if (better) got = { hard: h, soft: sc };
        break;
      }
    }
    return got;
  }
}

export type SearchOutcome = {
  grid: Int16Array;
  hard: number;
  soft: number;
  /** Absolute time of the first roster without hard violations, or null. */
  firstFeasibleAt: number | null;
  iterations: number;
  evaluations: number;
  /** Column-generation dives run (0 when column generation was off or skipped). */
  dives: number;
};

export const now = (): number => performance.timeOrigin + performance.now();

/** Row score: hard amount and soft cost of one staff row, computed by one scan. */
export class RowScorer {
  hard = 0;
  soft = 0;
  private readonly shiftCount: Int32Array;
  constructor(private readonly m: CompiledModel) {
    this.shiftCount = new Int32Array(m.S);
  }

  score(grid: Int16Array, e: number): void {
    const m = this.m;
    const D = m.D;
    const V = m.V;
    const S = m.S;
    const base = e * D;
    const cellBase = base * V;
    const taskShift = m.taskShift;
    const forbid = m.forbid;
    const highLoad = m.highLoad;
    const weekend = m.weekend;
    const cellSoft = m.cellSoft;
    const cellHard = m.cellHard;
    const shiftCount = this.shiftCount;
    shiftCount.fill(0);
    const maxCons = m.maxCons[e]!;
    const minCons = m.minCons[e]!;
    const minOff = m.minOff[e]!;
    const maxHigh = m.maxHigh[e]!;
    let hard = 0;
    let soft = 0;
    let minutes = 0;
    let workRun = 0;
    let offRun = 0;
    let highRun = 0;
    let prev = -1;
    let lastWe = -1;
    let weekends = 0;
    let nights = 0;
    for (let d = 0; d < D; d++) {
      const v = grid[base + d]!;
      const ci = cellBase + d * V + v;
      soft += cellSoft[ci]!;
      hard += cellHard[ci]!;
      if (v === 0) {
        if (workRun > 0) {
          if (workRun > maxCons) hard += workRun - maxCons;
          if (workRun < minCons && d - workRun > 0) hard += minCons - workRun;
          workRun = 0;
        }
        if (highRun > maxHigh) hard += highRun - maxHigh;
        highRun = 0;
        offRun++;
        prev = -1;
      } else {
        const s = taskShift[v - 1]!;
        if (offRun > 0) {
          if (offRun < minOff && d - offRun > 0) hard += minOff - offRun;
          offRun = 0;
        }
        if (prev >= 0 && forbid[prev * S + s] === 1) hard++;
        shiftCount[s]!++;
        minutes += m.shiftLen[s]!;
        workRun++;
        if (highLoad[s] === 1) highRun++;
        else {
          if (highRun > maxHigh) hard += highRun - maxHigh;
          highRun = 0;
        }
        const w = weekend[d]!;
        if (w >= 0 && w !== lastWe) {
          weekends++;
          lastWe = w;
        }
        nights += m.night[s]!;
        prev = s;
      }
    }
    if (workRun > maxCons) hard += workRun - maxCons;
    if (highRun > maxHigh) hard += highRun - maxHigh;
    const ms = e * S;
    for (let s = 0; s < S; s++) {
      const over = shiftCount[s]! - m.maxShifts[ms + s]!;
      if (over > 0) hard += over;
    }
    if (minutes > m.maxMin[e]!) hard += Math.ceil((minutes - m.maxMin[e]!) / 60);
    if (minutes < m.minMin[e]!) hard += Math.ceil((m.minMin[e]! - minutes) / 60);
    if (weekends > m.maxWe[e]!) hard += weekends - m.maxWe[e]!;
    if (m.fairNights !== 0) soft += (m.fairNights * nights * (nights - 1)) / 2;
    if (m.fairWeekends !== 0) soft += (m.fairWeekends * weekends * (weekends - 1)) / 2;
    this.hard = hard;
    this.soft = soft;
  }
}

/** Cover cost of one (day, task) cell holding `c` staff. */
function coverCost(m: CompiledModel, i: number, c: number): number {
  const r = m.coverReq[i]!;
  return c < r ? (r - c) * m.coverUnder[i]! : (c - r) * m.coverOver[i]!;
}

/** Full (non-incremental) score of a grid with the solver's own row scorer. */
export function scoreGrid(m: CompiledModel, grid: Int16Array): { hard: number; soft: number } {
  const rs = new RowScorer(m);
  let hard = 0;
  let soft = 0;
  const count = new Int32Array(m.D * m.T);
  for (let e = 0; e < m.E; e++) {
    rs.score(grid, e);
    hard += rs.hard;
    soft += rs.soft;
    for (let d = 0; d < m.D; d++) {
      const v = grid[e * m.D + d]!;
      if (v > 0) count[d * m.T + v - 1]!++;
    }
  }
  for (let i = 0; i < count.length; i++) soft += coverCost(m, i, count[i]!);
  return { hard, soft };
}

/**
 * Greedy start, day by day: first fill each task's cover with staff for whom it is cheap and
 * legal so far, then keep runs up to their minimum length and (with `pace`) keep people on
 * pace for their minimum hours even where that over-covers. Pacing gives rosters that are
 * nearly feasible from the start; without it the cover is better placed but the search has
 * more contract repairs to make, so the solver runs both, one per thread.
 */
export function constructGrid(m: CompiledModel, rng: Rng, pace = true): Int16Array {
  const { E, D, T, S, V } = m;
  const grid = new Int16Array(E * D);
  const minutes = new Int32Array(E);
  const run = new Int32Array(E);
  // Length of the current off run; -1 while it still touches the horizon's start (exempt).
  const offRun = new Int32Array(E).fill(-1);
  const perShift = new Int32Array(E * S);
  const weekends = new Int32Array(E);
  const lastWe = new Int32Array(E).fill(-1);
  const count = new Int32Array(T);
  const order = Array.from({ length: T }, (_, t) => t);
  const cand: number[] = [];
  const score = new Float64Array(E);
  const legal = (e: number, d: number, t: number): boolean => {
    if (grid[e * D + d] !== 0) return false;
    if (m.blocked[(e * D + d) * V + t + 1]) return false;
    const s = m.taskShift[t]!;
    if (run[e]! >= m.maxCons[e]!) return false;
    if (run[e] === 0 && offRun[e]! >= 0 && offRun[e]! < m.minOff[e]!) return false;
    if (minutes[e]! + m.shiftLen[s]! > m.maxMin[e]!) return false;
    if (perShift[e * S + s]! >= m.maxShifts[e * S + s]!) return false;
    const prev = d > 0 ? grid[e * D + d - 1]! : 0;
    if (prev > 0 && m.forbid[m.taskShift[prev - 1]! * S + s]) return false;
    const w = m.weekend[d]!;
    if (w >= 0 && lastWe[e] !== w && weekends[e]! >= m.maxWe[e]!) return false;
    return true;
  };
  const assign = (e: number, d: number, t: number): void => {
    const s = m.taskShift[t]!;
    grid[e * D + d] = t + 1;
    count[t]!++;
    minutes[e]! += m.shiftLen[s]!;
    perShift[e * S + s]!++;
    const w = m.weekend[d]!;
    if (w >= 0 && lastWe[e] !== w) {
      weekends[e]!++;
      lastWe[e] = w;
    }
  };
  for (let d = 0; d < D; d++) {
    count.fill(0);
    for (let i = order.length - 1; i > 0; i--) {
      const j = randInt(rng, i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const t of order) {
      const need = m.coverReq[d * T + t]!;
      if (need <= 0) continue;
      cand.length = 0;
      for (let e = 0; e < E; e++) {
        if (!legal(e, d, t)) continue;
        const ci = (e * D + d) * V + t + 1;
        const prev = d > 0 ? grid[e * D + d - 1]! : 0;
        // Continuing a run beats starting one (min-consecutive rules), under-used staff first.
        score[e] =
          m.cellSoft[ci]! -
          m.cellSoft[ci - t - 1]! +
          (prev > 0 ? (run[e]! < m.minCons[e]! ? -20 : -2) : 0) +
          minutes[e]! / Math.max(1, m.maxMin[e]!) +
          rng() * 0.5;
        cand.push(e);
      }
      cand.sort((a, b) => score[a]! - score[b]!);
      for (let k = 0; k < need && k < cand.length; k++) assign(cand[k]!, d, t);
    }
    for (let e = 0; e < E; e++) {
      if (grid[e * D + d] !== 0) continue;
      const mustContinue = run[e]! > 0 && run[e]! < m.minCons[e]!;
      const behind = pace && minutes[e]! < (m.minMin[e]! * (d + 1)) / D;
      if (!mustContinue && !behind) continue;
      let bestT = -1;
      let bestSlack = Infinity;
      for (let t = 0; t < T; t++) {
        if (!legal(e, d, t)) continue;
        const slack = count[t]! - m.coverReq[d * T + t]! + rng() * 0.5;
        if (slack < bestSlack) {
          bestSlack = slack;
          bestT = t;
        }
      }
      if (bestT >= 0) assign(e, d, bestT);
    }
    for (let e = 0; e < E; e++) {
      const worked = grid[e * D + d] !== 0;
      run[e] = worked ? run[e]! + 1 : 0;
      if (worked) offRun[e] = 0;
      else if (offRun[e]! >= 0) offRun[e]!++;
    }
  }
  return grid;
}

const MAX_CHANGES = 128;
const FILLP = 0.25;
const RP = 0.0005;

export function runSearch(m: CompiledModel, p: SearchParams): SearchOutcome {
  const { E, D, T, V } = m;
  const rng = createRng(p.seed);
  const grid = p.initialGrid ? Int16Array.from(p.initialGrid) : constructGrid(m, rng, p.pace ?? true);
  const best = Int16Array.from(grid);
  const count = countCover(m, grid);
  const rows = new RowState(m, grid);
  let { hard, soft } = scoreGrid(m, grid);
  const rowHard = new Float64Array(E);
  const badRows = new Int32Array(E);
  const badPos = new Int32Array(E).fill(-1);
  let nBad = 0;
  const setRowHard = (e: number, h: number): void => {
    rowHard[e] = h;
    if (h > 0 && badPos[e]! < 0) {
      badPos[e] = nBad;
      badRows[nBad++] = e;
    } else if (h <= 0 && badPos[e]! >= 0) {
      const at = badPos[e]!;
      const last = badRows[--nBad]!;
      badRows[at] = last;
      badPos[last] = at;
      badPos[e] = -1;
    }
  };
  {
    const rs = new RowScorer(m);
    for (let e = 0; e < E; e++) {
      rs.score(grid, e);
      setRowHard(e, rs.hard);
    }
  }

  // Pending change log of the move under evaluation.
  const maxChanges = Math.max(MAX_CHANGES, 2 * D + 2);
  const chIdx = new Int32Array(maxChanges);
  const chOld = new Int16Array(maxChanges);
  const chNew = new Int16Array(maxChanges);
  let nCh = 0;
  const coverUnder = m.coverUnder;
  const coverOver = m.coverOver;
  const coverReq = m.coverReq;
  const blocked = m.blocked;
  /** Applies changes to grid and cover counts, returning the cover cost delta. */
  // Cover cells currently short of staff, as an indexed set for targeted moves.
  const underList = new Int32Array(D * T);
  const underPos = new Int32Array(D * T).fill(-1);
  let nUnder = 0;
  const trackUnder = (ci: number): void => {
    const short = count[ci]! < coverReq[ci]! && coverUnder[ci]! > 0;
    const at = underPos[ci]!;
    if (short && at < 0) {
      underPos[ci] = nUnder;
      underList[nUnder++] = ci;
    } else if (!short && at >= 0) {
      const last = underList[--nUnder]!;
      underList[at] = last;
      underPos[last] = at;
      underPos[ci] = -1;
    }
  };
  for (let ci = 0; ci < D * T; ci++) trackUnder(ci);
  const apply = (forward: boolean): number => {
    let delta = 0;
    for (let i = 0; i < nCh; i++) {
      const k = forward ? i : nCh - 1 - i;
      const idx = chIdx[k]!;
      const from = forward ? chOld[k]! : chNew[k]!;
      const to = forward ? chNew[k]! : chOld[k]!;
      grid[idx] = to;
      const e = (idx / D) | 0;
      const d = idx - e * D;
      rows.update(e, d, from, to);
      if (from > 0) {
        const ci = d * T + from - 1;
        const c = count[ci]!;
        delta += c <= coverReq[ci]! ? coverUnder[ci]! : -coverOver[ci]!;
        count[ci] = c - 1;
        trackUnder(ci);
      }
      if (to > 0) {
        const ci = d * T + to - 1;
        const c = count[ci]!;
        delta += c < coverReq[ci]! ? -coverUnder[ci]! : coverOver[ci]!;
        count[ci] = c + 1;
        trackUnder(ci);
      }
    }
    return delta;
  };
  const push = (e: number, d: number, v: number): boolean => {
    const idx = e * D + d;
    const old = grid[idx]!;
    if (old === v) return true;
    if (blocked[idx * V + v]) return false;
    chIdx[nCh] = idx;
    chOld[nCh] = old;
    chNew[nCh] = v;
    nCh++;
    return true;
  };

  // Days of staff e where a change could mend a broken hard rule (scratch for repair moves):
  // around runs of bad length, next to work runs when hours are short, at run ends when
  // they are over, worked weekend days and over-used shift types, forbidden pairs.
  const hot = new Int32Array(8 * D + 16);
  const overShift = new Uint8Array(m.S);
  const faultDays = (e: number): number => {
    const base = e * D;
    const mins = rows.minutes[e]!;
    const short = mins < m.minMin[e]!;
    const long = mins > m.maxMin[e]!;
    const weOver = rows.weekends[e]! > m.maxWe[e]!;
    let anyOverShift = false;
    for (let s = 0; s < m.S; s++) {
      const o = rows.perShift[e * m.S + s]! > m.maxShifts[e * m.S + s]!;
      overShift[s] = o ? 1 : 0;
      anyOverShift ||= o;
    }
    let n = 0;
    let start = 0;
    for (let d = 1; d <= D; d++) {
      const end = d === D || (grid[base + d] !== 0) !== (grid[base + start] !== 0);
      if (!end) continue;
      const len = d - start;
      const work = grid[base + start] !== 0;
      const inner = start > 0 && d < D;
      const bad = work ? len > m.maxCons[e]! || (inner && len < m.minCons[e]!) : inner && len < m.minOff[e]!;
      if (bad) {
        if (start > 0) hot[n++] = start - 1;
        hot[n++] = start;
        hot[n++] = d - 1;
        if (d < D) hot[n++] = d;
      }
      if (work && short) {
        if (start > 0) hot[n++] = start - 1;
        if (d < D) hot[n++] = d;
      }
      if (work && long) {
        hot[n++] = start;
        hot[n++] = d - 1;
      }
      start = d;
    }
    if (weOver || anyOverShift || m.S > 1) {
      let prev = -1;
      for (let d = 0; d < D && n < hot.length - 2; d++) {
        const v = grid[base + d]!;
        if (v === 0) {
          prev = -1;
          continue;
        }
        const sh = m.taskShift[v - 1]!;
        if ((weOver && m.weekend[d]! >= 0) || overShift[sh]) hot[n++] = d;
        if (prev >= 0 && m.forbid[prev * m.S + sh]) {
          hot[n++] = d - 1;
          hot[n++] = d;
        }
        prev = sh;
      }
    }
    return Math.min(n, hot.length);
  };

  const rowBuf = new Int16Array(D);
  const rowSave = new Int16Array(D);
  const full = new RowScorer(m);
  /**
   * Leaves in rowBuf the row e with the least hard found (grid untouched): the row itself when
   * nothing lowered it, so the move then changes nothing.
   */
  const repairRow = (e: number): void => {
    const base = e * D;
    rowSave.set(grid.subarray(base, base + D));
    const al = allowed[e]!;
    full.score(grid, e);
    let cur = full.hard * 1000;
    let bestRow = cur;
    rowBuf.set(rowSave);
    const iters = 5000;
    let nh = 0;
    for (let k = 0; k < iters && bestRow > 0; k++) {
      const temp = 600 * (1 - k / iters) + 0.5;
      if (k % 16 === 0) nh = faultDays(e);
      const d1 = nh > 0 && rng() < 0.7 ? hot[randInt(rng, nh)]! : randInt(rng, D);
      const o1 = grid[base + d1]!;
      let d2 = -1;
      let o2 = 0;
      const kind = rng();
      if (kind < 0.5) {
        const v = al[randInt(rng, al.length)]!;
        if (v === o1 || blocked[(base + d1) * V + v]) continue;
        grid[base + d1] = v;
      } else {
        d2 = randInt(rng, D);
        o2 = grid[base + d2]!;
        if (o1 === o2 || blocked[(base + d1) * V + o2] || blocked[(base + d2) * V + o1]) continue;
        grid[base + d1] = o2;
        grid[base + d2] = o1;
      }
      full.score(grid, e);
      let changed = 0;
      // Closeness to the row the roster had keeps cover disruption small.
      if (grid[base + d1] !== rowSave[d1]) changed++;
      else changed--;
      if (d2 >= 0) changed += grid[base + d2] !== rowSave[d2] ? 1 : -1;
      const next = full.hard * 1000;
      const dlt = next - cur + changed;
      if (dlt <= 0 || rng() < Math.exp(-dlt / temp)) {
        cur = next;
        if (next < bestRow) {
          bestRow = next;
          rowBuf.set(grid.subarray(base, base + D));
        }
      } else {
        grid[base + d1] = o1;
        if (d2 >= 0) grid[base + d2] = o2;
      }
    }
    grid.set(rowSave, base);
  };

  let bestHard = hard;
  let bestSoft = soft;
  let currentIsBest = true;
  const start = now();
  let firstFeasibleAt: number | null = hard === 0 ? start : null;
  const t0 = p.t0 ?? 30;
  const t1 = p.t1 ?? 0.5;
  const quenchAt = Math.min(1, Math.max(0.01, p.quenchAt ?? 0.85));
  let temp = t0;
  // Hard weight floor: one unit of breach must never be cheaper than the costliest soft cell,
  // or the search would happily trade feasibility for cover.
  let maxW = 1;
  for (let i = 0; i < m.coverUnder.length; i++) maxW = Math.max(maxW, m.coverUnder[i]!, m.coverOver[i]!);
  const minHw = (p.hardWeightFloor ?? 2) * maxW;
  let hw = (p.hardWeight ?? 5) * maxW;
  const maxHw = (p.hardWeightCap ?? 1e5) * maxW;
  let it = 0;
  const timed = Number.isFinite(p.deadline);
  const maxIt = p.maxIterations;
  const span = timed ? p.deadline - start : 0;
  const allowed = m.allowedValues;
  let infeasibleStreak = 0;
  let evals = 0;

  // Exact row moves: how often, and scratch copies for rebuilding two rows.
  const dp = new RowDP(m);
  const dpFactor = p.dpFactor ?? 0.03;
  const dpPairShare = p.dpPairShare ?? 0.2;
  const dpJitter = p.dpJitter ?? true;
  const dpSwapEvery = dp.usable ? Math.max(0, Math.round(p.dpSwapEvery ?? 1500)) : 0;
  const pairDp = new PairDP(m, dp);
  let nextSwap = dpSwapEvery;
  let dpEvery = 0;
  if (dp.usable && dpFactor > 0) {
    let work = 0;
    let n = 0;
    for (let e = 0; e < E; e++)
      if (dp.eligible[e]) {
        work += dp.work(e);
        n++;
      }
    dpEvery = Math.max(32, Math.round((work / n) * dpFactor));
  }
  const sGrid = new Int16Array(dpEvery > 0 ? E * D : 0);
  const sCount = new Int32Array(dpEvery > 0 ? D * T : 0);
  const offRow = new Int16Array(dpEvery > 0 ? D : 0);
  /** Replaces row e of the scratch grid with `row`, keeping the scratch counts. */
  const putRow = (e: number, row: Int16Array): void => {
    for (let d = 0; d < D; d++) {
      const i = e * D + d;
      const o = sGrid[i]!;
      const v = row[d]!;
      if (o === v) continue;
      if (o > 0) sCount[d * T + o - 1]!--;
      if (v > 0) sCount[d * T + v - 1]!++;
      sGrid[i] = v;
    }
  };
  /** Best row for e on the scratch grid, written into it; false when there is none. */
  const rebuildRow = (e: number): boolean => {
    if (dp.solve(e, sGrid, sCount, dpJitter ? rng : undefined) === Infinity) return false;
    putRow(e, dp.out);
    return true;
  };

  // Block re-solve (row-milp.ts): k whole rows re-solved exactly by HiGHS with the rest
  // fixed, from the current roster when it is feasible. Paced by the clock so it takes about
  // `lnsShare` of the time after `lnsStart`; k grows while blocks solve to optimality fast
  // and shrinks when one hits its limit.
  const lnsOn = p.highs !== undefined && timed && milpUsable(m);
  const lnsShare = Math.min(0.9, Math.max(0.01, p.lnsShare ?? 0.5));
  const lnsStart = p.lnsStart ?? 0.85;
  let lnsK = Math.min(E, 4);
  let lnsNext = 0;
  const inBlock = new Uint8Array(E);
  const block: number[] = [];
  const blockOld = new Int16Array(lnsOn ? E * D : 0);
  const blockHard = new Float64Array(lnsOn ? E : 0);
  /** Local plus totals score of row e into rows.hard / rows.soft. */
  const wholeRow = (e: number): void => {
    rows.segment(e, 0, D - 1);
    const h = rows.hard;
    const s = rows.soft;
    rows.totals(e);
    rows.hard += h;
    rows.soft += s;
  };
  /** Writes `src` (k rows of D cells) over the block's rows; returns the cover cost delta. */
  const writeBlock = (src: Int16Array): number => {
    let delta = 0;
    for (let i = 0; i < block.length; i++) {
      nCh = 0;
      for (let d = 0; d < D; d++) push(block[i]!, d, src[i * D + d]!);
      delta += apply(true);
    }
    nCh = 0;
    return delta;
  };
  let lnsW = Math.min(D, 7);
  let lnsWindow = false;
  const blockMove = (): void => {
    block.length = 0;
    inBlock.fill(0);
    // Alternate: k whole rows, or every row over a window of lnsW days.
    lnsWindow = !lnsWindow;
    if (lnsWindow) for (let e = 0; e < E; e++) block.push(e);
    else
      while (block.length < lnsK) {
        const e = randInt(rng, E);
        if (inBlock[e]) continue;
        inBlock[e] = 1;
        block.push(e);
      }
    const from = lnsWindow ? randInt(rng, D - lnsW + 1) : 0;
    const to = lnsWindow ? from + lnsW - 1 : D - 1;
    const limit = Math.max(0.05, Math.min(2, (p.deadline - now()) / 1000));
    const res = solveBlock(p.highs!, m, grid, count, block, limit, randInt(rng, 1 << 30), from, to);
    const grow = res !== null && res.optimal && res.seconds < 0.5;
    const shrink = !res || !res.optimal;
    if (lnsWindow) lnsW = grow ? Math.min(D, lnsW + 1) : shrink ? Math.max(2, lnsW - 1) : lnsW;
    else lnsK = grow ? Math.min(E, lnsK + 1) : shrink ? Math.max(2, lnsK - 1) : lnsK;
    if (!res) return;
    let dHard = 0;
    let dSoft = 0;
    for (let i = 0; i < block.length; i++) {
      const e = block[i]!;
      blockOld.set(grid.subarray(e * D, e * D + D), i * D);
      wholeRow(e);
      dHard -= rows.hard;
      dSoft -= rows.soft;
    }
    dSoft += writeBlock(res.rows);
    for (let i = 0; i < block.length; i++) {
      wholeRow(block[i]!);
      blockHard[i] = rows.hard;
      dHard += rows.hard;
      dSoft += rows.soft;
    }
    if (dHard > 0 || (dHard === 0 && dSoft > 0)) {
      writeBlock(blockOld);
      return;
    }
    hard += dHard;
    soft += dSoft;
    for (let i = 0; i < block.length; i++) setRowHard(block[i]!, blockHard[i]!);
    if (hard < bestHard || (hard === bestHard && soft <= bestSoft)) {
      bestHard = hard;
      bestSoft = soft;
      currentIsBest = true;
    }
  };

  // Incumbent exchange: publish the best now and then, adopt a better one once at the quench.
  const slots = p.shared && timed && p.shared.threads > 1 ? new IncumbentSlots(m, p.shared) : null;
  let publishedSoft = Infinity;
  let exchanged = false;
  const adoptGrid = new Int16Array(slots ? E * D : 0);
  /** Makes `g` (scored hard, soft) the current and best roster. */
  const install = (g: Int16Array, h: number, sc: number): void => {
    grid.set(g);
    best.set(g);
    countCover(m, grid, count);
    rows.rebuild();
    nUnder = 0;
    underPos.fill(-1);
    for (let ci = 0; ci < D * T; ci++) trackUnder(ci);
    const rs = new RowScorer(m);
    for (let e = 0; e < E; e++) {
      rs.score(grid, e);
      setRowHard(e, rs.hard);
    }
    hard = bestHard = h;
    soft = bestSoft = sc;
    currentIsBest = true;
  };
  const exchange = (): void => {
    const got = slots!.adoptBetter(bestHard, bestSoft, adoptGrid);
    if (got) install(adoptGrid, got.hard, got.soft);
  };

  // Column generation (row-cg.ts): once the roster is feasible, generate columns to the LP
  // optimum (at most `cgRootShare` of the run), then dive from the LP again and again (each
  // dive re-solves the LP over the grown column pool, so the dives differ) until `cgShare` of
  // the run. Each better dive becomes the current and best roster (and is published to the
  // other threads); the near-greedy finish then starts from the best.
  const cgOn = lnsOn && p.columnGeneration === true && ColumnGeneration.usable(m, dp);
  const cgShare = Math.min(0.95, Math.max(0.05, p.cgShare ?? quenchAt));
  const cgRootShare = Math.min(cgShare, 0.25);
  let cgDone = !cgOn;
  /** Progress at which the near-greedy finish starts (earlier after an adopted dive). */
  let finishAt = quenchAt;
  let dives = 0;
  const columnGeneration = (): void => {
    const cg = new ColumnGeneration(p.highs!, m, dp);
    try {
      // Seeding prices every member once, as one round does: skip when some 40 rounds (what
      // the root took on the Curtois instances) would take over 15 % of the run.
      const t = now();
      if (!cg.seed() || (now() - t) * 40 > 0.15 * span) return;
      for (let e = 0; e < E; e++) if (rowHard[e] === 0) cg.addColumn(e, grid.subarray(e * D, e * D + D));
      const until = start + cgShare * span;
      // A root that does not converge in its share leaves the rest to the annealing, and so
      // does one after which a dive would not fit: a dive fixes members one by one, and took
      // about (root time) × E / 10 on Instance8, 10, 12 and 17.
      if (!cg.generate(start + cgRootShare * span)) return;
      if (((now() - t) * E) / 10 > until - now()) return;
      for (let k = 0; now() < until; k++) {
        if (k > 0) {
          cg.unfixAll();
          if (!cg.generate(until)) break;
        }
        const g = cg.dive(until);
        dives++;
        const sc = scoreGrid(m, g);
        if (sc.hard < bestHard || (sc.hard === bestHard && sc.soft < bestSoft)) {
          install(g, sc.hard, sc.soft);
          if (firstFeasibleAt === null && hard === 0) firstFeasibleAt = now();
          if (slots && hard === 0) {
            slots.publish(hard, soft, grid);
            publishedSoft = soft;
          }
        }
        if (p.targetSoft !== undefined && bestHard === 0 && bestSoft <= p.targetSoft) break;
      }
      finishAt = Math.min(quenchAt, (now() - start) / span);
    } finally {
      cg.dispose();
    }
  };

  for (;;) {
    if (slots && (it & 65535) === 0 && bestHard === 0 && bestSoft < publishedSoft) {
      slots.publish(bestHard, bestSoft, currentIsBest ? grid : best);
      publishedSoft = bestSoft;
    }
    if ((it & 255) === 0) {
      let progress = Number.isFinite(maxIt) ? it / maxIt : 0;
      if (timed) {
        let t = now();
        if (t >= p.deadline) break;
        progress = Math.max(progress, (t - start) / span);
        if (slots && !exchanged && progress >= quenchAt) {
          exchanged = true;
          exchange();
        }
        if (!cgDone && (hard === 0 || progress >= 0.05)) {
          cgDone = true;
          columnGeneration();
          t = now();
          progress = Math.max(progress, (t - start) / span);
          if (t >= p.deadline) break;
        }
        if (lnsOn && hard === 0 && progress >= Math.min(lnsStart, finishAt) && t >= lnsNext) {
          blockMove();
          const t2 = now();
          lnsNext = t2 + ((t2 - t) * (1 - lnsShare)) / lnsShare;
          t = t2;
          if (t >= p.deadline) break;
        }
      }
      if (progress >= 1) break;
      temp = progress < finishAt ? t0 * Math.pow(t1 / t0, progress / finishAt) : t1 * Math.pow(0.1, (progress - finishAt) / (1 - finishAt));
      if (p.targetSoft !== undefined && bestHard === 0 && bestSoft <= p.targetSoft) break;
      if ((it & 65535) === 0) {
        // Adaptive hard weight: lean harder while stuck infeasible, relax while feasible so
        // the search can cross short infeasible stretches.
        if (hard > 0) {
          infeasibleStreak++;
          if (infeasibleStreak > 2) hw = Math.min(hw * 1.3, maxHw);
        } else {
          infeasibleStreak = 0;
          hw = Math.max(hw * 0.98, minHw);
        }
      }
    }
    it++;
    nCh = 0;
    // While infeasible, half the moves start from a row that breaks a hard rule: hard rules
    // are per row, so that is where a repair must happen.
    const dpMove = dpEvery > 0 && it % dpEvery === 0;
    const swapMove = !dpMove && dpSwapEvery > 0 && it >= nextSwap;
    const targeted = !dpMove && !swapMove && nBad > 0 && rng() < 0.5;
    let e1 = targeted ? badRows[randInt(rng, nBad)]! : randInt(rng, E);
    let e2 = -1;
    let ok = true;
    const r = dpMove || swapMove ? 1 : rng();
    if (swapMove) {
      e2 = randInt(rng, E);
      pairDp.lastStates = 0;
      ok = e2 !== e1 && dp.eligible[e1] === 1 && dp.eligible[e2] === 1 && pairDp.solve(e1, e2, grid) !== Infinity;
      // The next one waits in proportion to this one's size (about a fifth of the time).
      nextSwap = it + Math.max(dpSwapEvery, Math.round(pairDp.lastStates * 0.4));
      for (let d = 0; ok && d < D; d++) {
        if (pairDp.swap[d] === 0) continue;
        const a = grid[e1 * D + d]!;
        const b = grid[e2 * D + d]!;
        ok = push(e1, d, b) && push(e2, d, a);
      }
    } else if (dpMove) {
      // Exact row move: the cheapest row for e1 given every other row (row-dp.ts); or ruin
      // two rows and rebuild them one after the other, then the first again.
      ok = dp.eligible[e1] === 1;
      if (ok && rng() < dpPairShare) {
        e2 = randInt(rng, E);
        ok = e2 !== e1 && dp.eligible[e2] === 1;
        if (ok) {
          sGrid.set(grid);
          sCount.set(count);
          putRow(e1, offRow);
          putRow(e2, offRow);
          const first = rng() < 0.5 ? e1 : e2;
          const second = first === e1 ? e2 : e1;
          ok = rebuildRow(first) && rebuildRow(second) && rebuildRow(first);
          for (let d = 0; ok && d < D; d++) ok = push(e1, d, sGrid[e1 * D + d]!) && push(e2, d, sGrid[e2 * D + d]!);
        }
      } else if (ok) {
        ok = dp.solve(e1, grid, count, dpJitter ? rng : undefined) !== Infinity;
        for (let d = 0; ok && d < D; d++) ok = push(e1, d, dp.out[d]!);
      }
    } else if (targeted && r < RP) {
      // Rebuild a broken row on its own: a short annealing run on that row alone, scoring only
      // its hard rules and how many days it changes. Escapes dead ends where every single move
      // on the shared roster breaks something else first.
      repairRow(e1);
      for (let d = 0; d < D && ok; d++) ok = push(e1, d, rowBuf[d]!);
    } else if (!targeted && nUnder > 0 && r < FILLP) {
      // Fill a short cover cell with someone off that day, usually giving up one of their
      // other shifts so hours and run counts stay roughly level.
      const ci = underList[randInt(rng, nUnder)]!;
      const d = (ci / T) | 0;
      const t = ci - d * T;
      ok = false;
      for (let k = 0; k < 8 && !ok; k++) {
        const e = randInt(rng, E);
        if (grid[e * D + d] === 0 && !blocked[(e * D + d) * V + t + 1]) {
          e1 = e;
          ok = true;
        }
      }
      if (ok) {
        push(e1, d, t + 1);
        if (rng() < 0.7) {
          for (let k = 0; k < 8; k++) {
            const d2 = randInt(rng, D);
            if (d2 !== d && grid[e1 * D + d2] !== 0) {
              push(e1, d2, 0);
              break;
            }
          }
        }
      }
    } else if (r < (targeted ? 0.15 : 0.03)) {
      // Swap a stretch around d1 with another member, cut where both are off on either side,
      // so neither row gets a run glued to a foreign one at the seams.
      const nh = targeted ? faultDays(e1) : 0;
      const d1 = nh > 0 ? hot[randInt(rng, nh)]! : randInt(rng, D);
      e2 = randInt(rng, E);
      const b1 = e1 * D;
      const b2 = e2 * D;
      let x = d1;
      while (x > 0 && d1 - x < 30 && !(grid[b1 + x - 1] === 0 && grid[b2 + x - 1] === 0)) x--;
      let y = d1;
      while (y < D - 1 && y - d1 < 30 && !(grid[b1 + y + 1] === 0 && grid[b2 + y + 1] === 0)) y++;
      ok =
        e1 !== e2 &&
        (x === 0 || (grid[b1 + x - 1] === 0 && grid[b2 + x - 1] === 0)) &&
        (y === D - 1 || (grid[b1 + y + 1] === 0 && grid[b2 + y + 1] === 0));
      for (let d = x; ok && d <= y; d++) {
        const a = grid[b1 + d]!;
        const b = grid[b2 + d]!;
        ok = push(e1, d, b) && push(e2, d, a);
      }
    } else if (targeted && r < 0.4) {
      // Repair: change, or trade with another day, a day where a hard rule can be mended.
      const nh = faultDays(e1);
      const d1 = nh > 0 ? hot[randInt(rng, nh)]! : randInt(rng, D);
      const d2 = randInt(rng, D);
      const a = grid[e1 * D + d1]!;
      const b = grid[e1 * D + d2]!;
      const kind = rng();
      if (kind < 0.3 && D > 2) {
        // Rotate a long stretch ending (or starting) at d1 by one day: in a tightly packed
        // row the spare day off travels along to where it is needed.
        const len = 2 + randInt(rng, Math.min(D - 2, 60));
        const base = e1 * D;
        if (rng() < 0.5 && d1 - len >= 0) {
          const x = d1 - len;
          const first = grid[base + x]!;
          for (let d = x; ok && d < d1; d++) ok = push(e1, d, grid[base + d + 1]!);
          if (ok) ok = push(e1, d1, first);
        } else if (d1 + len < D) {
          const y = d1 + len;
          const last = grid[base + y]!;
          for (let d = y; ok && d > d1; d--) ok = push(e1, d, grid[base + d - 1]!);
          if (ok) ok = push(e1, d1, last);
        } else ok = false;
      } else if (a !== b && kind < 0.65) ok = push(e1, d1, b) && push(e1, d2, a);
      else if (a !== 0) ok = push(e1, d1, 0);
      else {
        // Extend the neighbouring run with its own shift when allowed, else any shift.
        const left = d1 > 0 ? grid[e1 * D + d1 - 1]! : 0;
        const right = d1 < D - 1 ? grid[e1 * D + d1 + 1]! : 0;
        const al = allowed[e1]!;
        let v = left !== 0 && rng() < 0.5 ? left : right !== 0 ? right : left;
        if (v === 0 || blocked[(e1 * D + d1) * V + v] || rng() < 0.3) v = al[randInt(rng, al.length)]!;
        ok = push(e1, d1, v);
      }
    } else if (r < 0.2) {
      // Change one cell; half the time aim at an under-covered task of that day.
      const d = randInt(rng, D);
      const al = allowed[e1]!;
      let v = al[randInt(rng, al.length)]!;
      if (rng() < 0.5) {
        const off = randInt(rng, T);
        for (let k = 0; k < T; k++) {
          const t = (off + k) % T;
          const ci = d * T + t;
          if (count[ci]! < coverReq[ci]! && !blocked[(e1 * D + d) * V + t + 1]) {
            v = t + 1;
            break;
          }
        }
      }
      ok = push(e1, d, v);
    } else if (r < 0.4) {
      // Swap two members' cells on one day: cover unchanged.
      e2 = randInt(rng, E);
      const d = randInt(rng, D);
      const a = grid[e1 * D + d]!;
      const b = grid[e2 * D + d]!;
      ok = e1 !== e2 && a !== b && push(e1, d, b) && push(e2, d, a);
    } else if (r < 0.6) {
      // Swap a block of days between two members.
      e2 = randInt(rng, E);
      const len = 1 + randInt(rng, Math.min(D, 8));
      const d0 = randInt(rng, D - len + 1);
      ok = e1 !== e2;
      for (let d = d0; ok && d < d0 + len; d++) {
        const a = grid[e1 * D + d]!;
        const b = grid[e2 * D + d]!;
        ok = push(e1, d, b) && push(e2, d, a);
      }
    } else if (r < 0.75) {
      // Set a block of one member's days to one value (a run of a shift, or days off).
      const len = 1 + randInt(rng, Math.min(D, 6));
      const d0 = randInt(rng, D - len + 1);
      const al = allowed[e1]!;
      const v = rng() < 0.3 ? 0 : al[randInt(rng, al.length)]!;
      for (let d = d0; ok && d < d0 + len; d++) ok = push(e1, d, v);
    } else if (r < 0.9) {
      // Move one member's work between two days (hours and counts unchanged, cover moves).
      const d1 = randInt(rng, D);
      const d2 = randInt(rng, D);
      const a = grid[e1 * D + d1]!;
      const b = grid[e1 * D + d2]!;
      ok = a !== b && push(e1, d1, b) && push(e1, d2, a);
    } else {
      // Slide a block of one member's days by one day, left or right.
      // len + 1 days are touched, so the horizon must hold them.
      if (D < 2) continue;
      const len = 1 + randInt(rng, Math.min(D - 1, 8));
      const d0 = randInt(rng, D - len);
      const right = rng() < 0.5;
      const base = e1 * D;
      if (right) {
        const last = grid[base + d0 + len]!;
        for (let d = d0 + len; ok && d > d0; d--) ok = push(e1, d, grid[base + d - 1]!);
        if (ok) ok = push(e1, d0, last);
      } else {
        const first = grid[base + d0]!;
        for (let d = d0; ok && d < d0 + len; d++) ok = push(e1, d, grid[base + d + 1]!);
        if (ok) ok = push(e1, d0 + len, first);
      }
    }
    if (!ok || nCh === 0) continue;
    if (e1 === e2) e2 = -1;

    evals++;
    // Windows around each touched row's changed days, taken on the grid before the move.
    let a1 = D;
    let b1 = -1;
    let a2 = D;
    let b2 = -1;
    for (let i = 0; i < nCh; i++) {
      const idx = chIdx[i]!;
      const e = (idx / D) | 0;
      const d = idx - e * D;
      if (e === e1) {
        if (d < a1) a1 = d;
        if (d > b1) b1 = d;
      } else {
        if (d < a2) a2 = d;
        if (d > b2) b2 = d;
      }
    }
    const L1 = rows.windowStart(e1, a1);
    const R1 = rows.windowEnd(e1, b1);
    rows.segment(e1, L1, R1);
    let dh1 = -rows.hard;
    let dSoft = -rows.soft;
    rows.totals(e1);
    dh1 -= rows.hard;
    dSoft -= rows.soft;
    const two = e2 >= 0 && b2 >= 0;
    const L2 = two ? rows.windowStart(e2, a2) : 0;
    const R2 = two ? rows.windowEnd(e2, b2) : 0;
    let dh2 = 0;
    if (two) {
      rows.segment(e2, L2, R2);
      dh2 -= rows.hard;
      dSoft -= rows.soft;
      rows.totals(e2);
      dh2 -= rows.hard;
      dSoft -= rows.soft;
    }
    dSoft += apply(true);
    rows.segment(e1, L1, R1);
    dh1 += rows.hard;
    dSoft += rows.soft;
    rows.totals(e1);
    dh1 += rows.hard;
    dSoft += rows.soft;
    if (two) {
      rows.segment(e2, L2, R2);
      dh2 += rows.hard;
      dSoft += rows.soft;
      rows.totals(e2);
      dh2 += rows.hard;
      dSoft += rows.soft;
    }
    const dHard = dh1 + dh2;
    const delta = dSoft + hw * dHard;
    if (delta <= 0 || rng() < Math.exp(-delta / temp)) {
      const nh = hard + dHard;
      const ns = soft + dSoft;
      if (currentIsBest && (nh > bestHard || (nh === bestHard && ns > bestSoft))) {
        // Leaving the best roster: save it now (cheaper than copying on every improvement).
        apply(false);
        best.set(grid);
        apply(true);
        currentIsBest = false;
      }
      hard = nh;
      soft = ns;
      if (dh1 !== 0) setRowHard(e1, rowHard[e1]! + dh1);
      if (dh2 !== 0) setRowHard(e2, rowHard[e2]! + dh2);
      if (hard < bestHard || (hard === bestHard && soft <= bestSoft)) {
        bestHard = hard;
        bestSoft = soft;
        currentIsBest = true;
      }
      if (hard === 0 && firstFeasibleAt === null) firstFeasibleAt = now();
    } else {
      apply(false);
    }
  }
  if (currentIsBest) best.set(grid);
  return { grid: best, hard: bestHard, soft: bestSoft, firstFeasibleAt, iterations: it, evaluations: evals, dives };
}
