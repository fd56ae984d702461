// Exact re-optimisation of one staff row with every other row fixed. With the others fixed,
// putting member e on task t on day d has a known marginal cost (its requests plus the change
// in that cover cell's under/over cost), so the cheapest row satisfying all of e's hard rules
// is a shortest path over days. State after day d: the current run (off for j days, or shift
// s for k days), weekends used and minutes worked (in units of the shift lengths' gcd). The
// per-type caps would multiply the state, so they are priced instead (Lagrangian): when the
// best row breaks a cap, that type gets dearer and the path is searched again.
import type { CompiledModel } from './compiled-model.js';

const INF = Number.POSITIVE_INFINITY;
/** Times a broken per-type cap is made dearer before the row is given up. */
const PRICE_ROUNDS = 4;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export class RowDP {
  /** Minutes unit (gcd of shift lengths). */
  private readonly unit: number;
  private readonly shiftUnits: Int32Array;
  private readonly costA: Float64Array;
  private readonly costB: Float64Array;
  private back: Int32Array;
  private choice: Int16Array;
  private loA = new Int32Array(0);
  private hiA = new Int32Array(0);
  private loB = new Int32Array(0);
  private hiB = new Int32Array(0);
  /** Per-day marginal cost of each value for the row being solved. */
  private cell: Float64Array;
  private readonly lambda: Float64Array;
  private readonly perShift: Int32Array;
  /** Row found by the last solve. */
  readonly out: Int16Array;
  /** False when the model has rules the path does not represent (fairness, high-load caps) or no row fits. */
  readonly usable: boolean;
  /** Per member: 1 when its path is small enough to solve (see WORK_CAP, STATE_CAP). */
  readonly eligible: Uint8Array;
  /** Per member: the capped shift type counted in the state, or -1. */
  private readonly tracked: Int32Array;
  static readonly WORK_CAP = 40_000_000;
  static readonly STATE_CAP = 6_000_000;

  constructor(private readonly m: CompiledModel) {
    let g = 0;
    for (let s = 0; s < m.S; s++) g = gcd(g, m.shiftLen[s]!);
    this.unit = Math.max(1, g);
    this.shiftUnits = new Int32Array(m.S);
    for (let s = 0; s < m.S; s++) this.shiftUnits[s] = m.shiftLen[s]! / this.unit;
    let usable = m.fairNights === 0 && m.fairWeekends === 0;
    let maxLayer = 0;
    this.eligible = new Uint8Array(m.E);
    this.tracked = new Int32Array(m.E).fill(-1);
    for (let e = 0; e < m.E; e++) {
      if (m.maxHigh[e]! < 1 << 29) usable = false;
      // Count exactly the tightest binding cap (below what hours and horizon allow anyway),
      // if the state stays small enough.
      let tt = -1;
      for (let s = 0; s < m.S; s++) {
        const cap = m.maxShifts[e * m.S + s]!;
        const natural = Math.min(m.D, Math.floor(m.maxMin[e]! / m.shiftLen[s]!));
        if (cap > 0 && cap < natural && (tt < 0 || cap < m.maxShifts[e * m.S + tt]!)) tt = s;
      }
      if (tt >= 0) {
        this.tracked[e] = tt;
        if (!this.fits(e)) this.tracked[e] = -1;
      }
      // Rows whose path would be too slow or too large to keep (back pointers per state
      // and day) are left to the other moves.
      if (this.fits(e)) {
        this.eligible[e] = 1;
        maxLayer = Math.max(maxLayer, this.layerSize(e));
      }
    }
    if (maxLayer === 0) usable = false;
    this.usable = usable;
    this.costA = new Float64Array(usable ? maxLayer : 0);
    this.costB = new Float64Array(usable ? maxLayer : 0);
    this.back = new Int32Array(0);
    this.choice = new Int16Array(0);
    this.cell = new Float64Array(m.D * m.V);
    this.lambda = new Float64Array(m.S);
    this.perShift = new Int32Array(m.S);
    this.out = new Int16Array(m.D);
  }

  private kCap(e: number): number {
    return Math.max(1, Math.min(this.m.maxCons[e]!, this.m.D));
  }

  private offCap(e: number): number {
    return Math.max(1, Math.min(this.m.minOff[e]!, this.m.D));
  }

  private muCap(e: number): number {
    return Math.max(0, Math.floor(Math.min(this.m.maxMin[e]!, this.m.D * 1440) / this.unit));
  }

  private weCap(e: number): number {
    return Math.max(0, Math.min(this.m.maxWe[e]!, this.m.D));
  }

  /** Transition rules of member e's row states (for PairDP), or null if not eligible. */
  rules(e: number): RowRules | null {
    if (!this.usable || !this.eligible[e]) return null;
    return new RowRules(this.m, e, this.offCap(e), this.kCap(e), this.weCap(e), this.muCap(e), this.shiftUnits, this.unit);
  }

  private fits(e: number): boolean {
    return this.work(e) <= RowDP.WORK_CAP && this.layerSize(e) * this.m.D <= RowDP.STATE_CAP;
  }

  /** States per day for member e. */
  layerSize(e: number): number {
    const m = this.m;
    const tt = this.tracked[e]!;
    const c1 = tt >= 0 ? m.maxShifts[e * m.S + tt]! + 1 : 1;
    return (this.offCap(e) + m.S * this.kCap(e)) * (this.weCap(e) + 1) * (this.muCap(e) + 1) * c1;
  }

  /** Rough operation count of one solve for member e (states × values × days). */
  work(e: number): number {
    return this.layerSize(e) * this.m.allowedValues[e]!.length * this.m.D;
  }

  /**
   * Best row for member e given cover counts `count` (which include e's current row in
   * `grid`). Leaves it in `out` and returns its marginal cost relative to an empty row, or
   * Infinity when no row satisfying e's hard rules was found.
   */
  solve(e: number, grid: Int16Array, count: Int32Array, jitter?: () => number): number {
    const m = this.m;
    if (!this.usable || !this.eligible[e]) return INF;
    const { D, T, V } = m;
    const cell = this.cell;
    const base = e * D;
    for (let d = 0; d < D; d++) {
      const cur = grid[base + d]!;
      const cb = (base + d) * V;
      cell[d * V] = m.cellSoft[cb]!;
      for (let v = 1; v < V; v++) {
        if (m.blocked[cb + v]) {
          cell[d * V + v] = INF;
          continue;
        }
        const ci = d * T + v - 1;
        const c = count[ci]! - (cur === v ? 1 : 0);
        cell[d * V + v] = m.cellSoft[cb + v]! + (c < m.coverReq[ci]! ? -m.coverUnder[ci]! : m.coverOver[ci]!);
      }
    }
    return this.cheapest(e, jitter);
  }

  /**
   * Column-generation pricing: the cheapest row for member e when working task t on day d
   * costs its requests minus `dual[d * T + t]` (the cover row's dual price), a day off its
   * requests alone. Leaves the row in `out` and returns its cost (requests minus duals), or
   * Infinity when no row satisfying e's hard rules was found.
   */
  price(e: number, dual: Float64Array): number {
    const m = this.m;
    if (!this.usable || !this.eligible[e]) return INF;
    const { D, T, V } = m;
    const cell = this.cell;
    for (let d = 0; d < D; d++) {
      const cb = (e * D + d) * V;
      cell[d * V] = m.cellSoft[cb]!;
      for (let v = 1; v < V; v++) cell[d * V + v] = m.blocked[cb + v] ? INF : m.cellSoft[cb + v]! - dual[d * T + v - 1]!;
    }
    return this.cheapest(e);
  }

  /** Cheapest row for the costs in `cell`, with the per-type caps the state does not count priced. */
  private cheapest(e: number, jitter?: () => number): number {
    const m = this.m;
    const { D, V, S } = m;
    const cell = this.cell;
    // Costs are whole numbers: noise summing to under 1 over the row only breaks ties, so
    // the path is a random one of the cheapest rows (moves along plateaus).
    if (jitter) for (let i = 0; i < D * V; i++) cell[i]! += (jitter() * 0.5) / D;
    const lambda = this.lambda;
    lambda.fill(0);
    let maxW = 1;
    for (let i = 0; i < D * V; i++) if (cell[i]! !== INF) maxW = Math.max(maxW, Math.abs(cell[i]!));
    for (let round = 0; round < PRICE_ROUNDS; round++) {
      const c = this.path(e);
      if (c === INF) return INF;
      const ps = this.perShift;
      ps.fill(0);
      for (let d = 0; d < D; d++) {
        const v = this.out[d]!;
        if (v > 0) ps[m.taskShift[v - 1]!]!++;
      }
      let over = false;
      for (let s = 0; s < S; s++) {
        if (ps[s]! > m.maxShifts[e * S + s]!) {
          over = true;
          lambda[s]! += maxW * (1 << round) * 0.25;
        }
      }
      if (!over) {
        let cost = 0;
        for (let d = 0; d < D; d++) cost += cell[d * V + this.out[d]!]!;
        return jitter ? Math.round(cost) : cost;
      }
    }
    return INF;
  }

  /** Shortest path with the current prices; fills `out`, returns its priced cost. */
  private path(e: number): number {
    const m = this.m;
    const { D, V, S } = m;
    const offCap = this.offCap(e);
    const kCap = this.kCap(e);
    const weCap = this.weCap(e);
    const muCap = this.muCap(e);
    const minCons = m.minCons[e]!;
    const minOff = m.minOff[e]!;
    const minMu = Math.ceil(m.minMin[e]! / this.unit);
    // One capped shift type is counted exactly in the state; the others are priced.
    const tt = this.tracked[e]!;
    const C1 = tt >= 0 ? m.maxShifts[e * S + tt]! + 1 : 1;
    const W1 = weCap + 1;
    // Minutes and the tracked count share one index q = mu * C1 + c.
    const Q1 = (muCap + 1) * C1;
    const P = offCap + S * kCap;
    const R = P * W1;
    const L = R * Q1;
    if (this.back.length < D * L) {
      this.back = new Int32Array(D * L);
      this.choice = new Int16Array(D * L);
    }
    if (this.loA.length < R) {
      this.loA = new Int32Array(R);
      this.hiA = new Int32Array(R);
      this.loB = new Int32Array(R);
      this.hiB = new Int32Array(R);
    }
    const back = this.back;
    const choice = this.choice;
    const al = m.allowedValues[e]!;
    const nA = al.length;
    const cell = this.cell;
    const lambda = this.lambda;
    const taskShift = m.taskShift;
    const forbid = m.forbid;
    const weekend = m.weekend;
    const units = this.shiftUnits;
    let maxUnits = 0;
    for (let a = 0; a < nA; a++) if (al[a]! > 0) maxUnits = Math.max(maxUnits, units[taskShift[al[a]! - 1]!]!);
    let prev = this.costA;
    let next = this.costB;
    // Per row r = p * W1 + w of a layer: the range lo..hi of q holding finite costs (empty
    // when lo > hi), so unreachable states cost nothing.
    let loP = this.loA;
    let hiP = this.hiA;
    let loN = this.loB;
    let hiN = this.hiB;
    prev.fill(INF, 0, L);
    loP.fill(Q1, 0, R);
    hiP.fill(-1, 0, R);
    // Day 0 from the virtual start (runs touching the start are exempt from minimums).
    {
      const we0 = weekend[0]! >= 0 ? 1 : 0;
      for (let a = 0; a < nA; a++) {
        const v = al[a]!;
        const c = cell[v]!;
        if (c === INF) continue;
        let r: number;
        let q: number;
        let pc = c;
        if (v === 0) {
          r = 0;
          q = 0;
        } else {
          const s = taskShift[v - 1]!;
          const mu = units[s]!;
          const n = s === tt ? 1 : 0;
          if (mu > muCap || we0 > weCap || n >= C1) continue;
          r = (offCap + s * kCap) * W1 + we0;
          q = mu * C1 + n;
          pc += lambda[s]!;
        }
        const idx = r * Q1 + q;
        if (pc < prev[idx]!) {
          prev[idx] = pc;
          back[idx] = -1;
          choice[idx] = v;
          if (q < loP[r]!) loP[r] = q;
          if (q > hiP[r]!) hiP[r] = q;
        }
      }
    }
    for (let d = 1; d < D; d++) {
      next.fill(INF, 0, L);
      loN.fill(Q1, 0, R);
      hiN.fill(-1, 0, R);
      const lb = d * L;
      const wd = weekend[d]!;
      const sameWeekendAsPrev = wd >= 0 && weekend[d - 1] === wd;
      const cd = d * V;
      // A state whose minutes cannot reach the minimum any more is dropped: in the D − d days
      // left at most D − d − ⌊(D − d) / (kCap + 1)⌋ can be worked (a run never exceeds kCap).
      const left = D - d;
      const need = minMu - maxUnits * (left - Math.floor(left / (kCap + 1)));
      const qMin = need > 0 ? need * C1 : 0;
      for (let p = 0; p < P; p++) {
        const isOff = p < offCap;
        const j = isOff ? p + 1 : 0;
        const ps = isOff ? -1 : ((p - offCap) / kCap) | 0;
        const k = isOff ? 0 : p - offCap - ps * kCap + 1;
        // Whether the run ending on d-1 may end here: long enough, or touching the start.
        const offOk = isOff && (j >= minOff || j === d);
        const workOk = !isOff && (k >= minCons || k === d);
        for (let w = 0; w < W1; w++) {
          const r = p * W1 + w;
          const lo = Math.max(loP[r]!, qMin);
          const hi = hiP[r]!;
          if (lo > hi) continue;
          const rowBase = r * Q1;
          for (let a = 0; a < nA; a++) {
            const v = al[a]!;
            const cv = cell[cd + v]!;
            if (cv === INF) continue;
            let tr: number;
            let shift: number;
            let add = cv;
            let tracked = false;
            if (v === 0) {
              if (isOff) tr = (j < offCap ? j : offCap - 1) * W1 + w;
              else {
                if (!workOk) continue;
                tr = w;
              }
              shift = 0;
            } else {
              const s = taskShift[v - 1]!;
              let nk: number;
              if (isOff) {
                if (!offOk) continue;
                nk = 1;
              } else {
                if (forbid[ps * S + s] === 1 || k >= kCap) continue;
                nk = k + 1;
              }
              const nw = wd >= 0 && !(sameWeekendAsPrev && !isOff) ? w + 1 : w;
              if (nw > weCap) continue;
              tr = (offCap + s * kCap + nk - 1) * W1 + nw;
              tracked = s === tt;
              shift = units[s]! * C1 + (tracked ? 1 : 0);
              add += lambda[s]!;
            }
            const top = Math.min(hi, Q1 - 1 - shift);
            if (top < lo) continue;
            const tb = tr * Q1 + shift;
            let wLo = Q1;
            let wHi = -1;
            for (let q = lo; q <= top; q++) {
              // The tracked type's count sits in q % C1 and may not pass its cap.
              if (tracked && q % C1 === C1 - 1) continue;
              const pc = prev[rowBase + q]! + add;
              const ti = tb + q;
              if (pc < next[ti]!) {
                next[ti] = pc;
                back[lb + ti] = rowBase + q;
                choice[lb + ti] = v;
                if (q < wLo) wLo = q;
                wHi = q;
              }
            }
            if (wHi >= 0) {
              if (wLo + shift < loN[tr]!) loN[tr] = wLo + shift;
              if (wHi + shift > hiN[tr]!) hiN[tr] = wHi + shift;
            }
          }
        }
      }
      [prev, next] = [next, prev];
      [loP, loN] = [loN, loP];
      [hiP, hiN] = [hiN, hiP];
    }
    // Any run may end at the horizon's end; minutes must reach the minimum.
    let best = INF;
    let bestIdx = -1;
    for (let r = 0; r < R; r++) {
      const rowBase = r * Q1;
      for (let q = Math.max(loP[r]!, minMu * C1); q <= hiP[r]!; q++) {
        const c = prev[rowBase + q]!;
        if (c < best) {
          best = c;
          bestIdx = rowBase + q;
        }
      }
    }
    if (bestIdx < 0) return INF;
    let idx = bestIdx;
    for (let d = D - 1; d >= 0; d--) {
      this.out[d] = choice[d * L + idx]!;
      idx = back[d * L + idx]!;
    }
    return best;
  }
}

/** One member's row state machine: state = ((run * W1) + weekends) * M1 + minute units. */
export class RowRules {
  readonly size: number;
  private readonly W1: number;
  private readonly M1: number;
  private readonly minCons: number;
  private readonly minOff: number;
  private readonly minMu: number;

  constructor(
    private readonly m: CompiledModel,
    e: number,
    private readonly offCap: number,
    private readonly kCap: number,
    weCap: number,
    private readonly muCap: number,
    private readonly units: Int32Array,
    unit: number,
  ) {
    this.W1 = weCap + 1;
    this.M1 = muCap + 1;
    this.size = (offCap + m.S * kCap) * this.W1 * this.M1;
    this.minCons = m.minCons[e]!;
    this.minOff = m.minOff[e]!;
    this.minMu = Math.ceil(m.minMin[e]! / unit);
  }

  /** State after putting value v on day d after state st (-1 before day 0), or -1. */
  step(st: number, d: number, v: number): number {
    const { W1, M1, offCap, kCap } = this;
    const m = this.m;
    let p = -1;
    let w = 0;
    let mu = 0;
    if (st >= 0) {
      mu = st % M1;
      const pw = (st - mu) / M1;
      w = pw % W1;
      p = (pw - w) / W1;
    }
    const wd = m.weekend[d]!;
    if (v === 0) {
      if (p < 0) return 0;
      if (p < offCap) return ((p + 1 < offCap ? p + 1 : offCap - 1) * W1 + w) * M1 + mu;
      const k = p - offCap - Math.floor((p - offCap) / kCap) * kCap + 1;
      if (k < this.minCons && k !== d) return -1;
      return w * M1 + mu;
    }
    const s = m.taskShift[v - 1]!;
    let nk = 1;
    let prevWork = false;
    if (p >= 0 && p < offCap) {
      const j = p + 1;
      if (j < this.minOff && j !== d) return -1;
    } else if (p >= offCap) {
      const ps = Math.floor((p - offCap) / kCap);
      const k = p - offCap - ps * kCap + 1;
      if (m.forbid[ps * m.S + s] === 1 || k >= kCap) return -1;
      nk = k + 1;
      prevWork = true;
    }
    const nmu = mu + this.units[s]!;
    if (nmu > this.muCap) return -1;
    const nw = wd >= 0 && !(prevWork && d > 0 && m.weekend[d - 1] === wd) ? w + 1 : w;
    if (nw >= W1) return -1;
    return ((offCap + s * kCap + nk - 1) * W1 + nw) * M1 + nmu;
  }

  /** Whether a row may end in state st (minimum minutes reached). */
  final(st: number): boolean {
    return st % this.M1 >= this.minMu;
  }
}

/**
 * Best way to share two members' work with cover held fixed: on each day the two keep or
 * swap their cells, so only requests and each member's hard rules change. A shortest path
 * over pairs of row states (as in RowDP), kept sparse because only the reachable pairs
 * matter: at most two successors per pair and day.
 */
export class PairDP {
  private readonly rows: RowDP;
  private keys: Float64Array;
  private costs: Float64Array;
  private backs: Int32Array;
  private swaps: Uint8Array;
  private readonly index = new Map<number, number>();
  readonly swap: Uint8Array;
  /** States the last solve created (its cost, for scheduling). */
  lastStates = 0;
  static readonly MAX_STATES = 3_000_000;

  constructor(
    private readonly m: CompiledModel,
    rows: RowDP,
  ) {
    this.rows = rows;
    this.keys = new Float64Array(1024);
    this.costs = new Float64Array(1024);
    this.backs = new Int32Array(1024);
    this.swaps = new Uint8Array(1024);
    this.swap = new Uint8Array(m.D);
  }

  private grow(n: number): void {
    if (n <= this.keys.length) return;
    const size = Math.max(n, this.keys.length * 2);
    const k = new Float64Array(size);
    k.set(this.keys);
    const c = new Float64Array(size);
    c.set(this.costs);
    const b = new Int32Array(size);
    b.set(this.backs);
    const s = new Uint8Array(size);
    s.set(this.swaps);
    this.keys = k;
    this.costs = c;
    this.backs = b;
    this.swaps = s;
  }

  /**
   * Fills `swap` (1 where the two members trade cells) and returns the request cost change
   * of the best assignment, or Infinity when none keeps both within their rules (or the
   * pairs of states over all days pass MAX_STATES).
   */
  solve(e1: number, e2: number, grid: Int16Array): number {
    const m = this.m;
    const { D, V } = m;
    const ra = this.rows.rules(e1);
    const rb = this.rows.rules(e2);
    if (ra === null || rb === null) return Infinity;
    const LB = rb.size;
    const b1 = e1 * D;
    const b2 = e2 * D;
    const map = this.index;
    let oldCost = 0;
    let n = 0;
    // States of the previous layer are entries lo..hi-1; before day 0 only the virtual start (-1).
    let lo = -1;
    let hi = 0;
    for (let d = 0; d < D; d++) {
      const a = grid[b1 + d]!;
      const b = grid[b2 + d]!;
      const keep = m.cellSoft[(b1 + d) * V + a]! + m.cellSoft[(b2 + d) * V + b]!;
      oldCost += keep;
      const canSwap = a !== b && !m.blocked[(b1 + d) * V + b] && !m.blocked[(b2 + d) * V + a];
      const swapCost = canSwap ? m.cellSoft[(b1 + d) * V + b]! + m.cellSoft[(b2 + d) * V + a]! : Infinity;
      map.clear();
      const start = n;
      for (let src = lo; src < hi; src++) {
        const sa = src < 0 ? -1 : Math.floor(this.keys[src]! / LB);
        const sb = src < 0 ? -1 : this.keys[src]! - sa * LB;
        const c0 = src < 0 ? 0 : this.costs[src]!;
        for (let sw = 0; sw < 2; sw++) {
          if (sw === 1 && !canSwap) break;
          const na = ra.step(sa, d, sw ? b : a);
          if (na < 0) continue;
          const nb = rb.step(sb, d, sw ? a : b);
          if (nb < 0) continue;
          const key = na * LB + nb;
          const c = c0 + (sw ? swapCost : keep);
          const at = map.get(key);
          if (at === undefined) {
            if (n >= PairDP.MAX_STATES) {
              this.lastStates = n;
              return Infinity;
            }
            this.grow(n + 1);
            map.set(key, n);
            this.keys[n] = key;
            this.costs[n] = c;
            this.backs[n] = src;
            this.swaps[n] = sw;
            n++;
          } else if (c < this.costs[at]!) {
            this.costs[at] = c;
            this.backs[at] = src;
            this.swaps[at] = sw;
          }
        }
      }
      this.lastStates = n;
      if (n === start) return Infinity;
      lo = start;
      hi = n;
    }
    let best = Infinity;
    let bestAt = -1;
    for (let i = lo; i < hi; i++) {
      const key = this.keys[i]!;
      const sa = Math.floor(key / LB);
      const sb = key - sa * LB;
      if (!ra.final(sa) || !rb.final(sb)) continue;
      if (this.costs[i]! < best) {
        best = this.costs[i]!;
        bestAt = i;
      }
    }
    if (bestAt < 0) return Infinity;
    for (let d = D - 1, i = bestAt; d >= 0; d--) {
      this.swap[d] = this.swaps[i]!;
      i = this.backs[i]!;
    }
    return best - oldCost;
  }
}
