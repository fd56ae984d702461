// Windowed row scoring for the search. A row's score splits into a part local to runs of days
// (cells, successions, run lengths) and a part made of row totals (minutes, shifts per type,
// weekends, nights). A move changing days a..b only alters the local part inside the runs
// around a..b, so it is rescored over that window while the totals are kept as counters:
// the cost of a move no longer grows with the horizon (364 days on the largest instances).
import type { CompiledModel } from './compiled-model.js';

export class RowState {
  /** Output of the last segment or totals call. */
  hard = 0;
  soft = 0;
  readonly perShift: Int32Array;
  readonly minutes: Int32Array;
  readonly nights: Int32Array;
  readonly weekendDays: Int8Array;
  readonly weekends: Int32Array;
  private readonly nW: number;

  constructor(
    private readonly m: CompiledModel,
    private readonly grid: Int16Array,
  ) {
    let nW = 0;
    for (let d = 0; d < m.D; d++) nW = Math.max(nW, m.weekend[d]! + 1);
    this.nW = nW;
    this.perShift = new Int32Array(m.E * m.S);
    this.minutes = new Int32Array(m.E);
    this.nights = new Int32Array(m.E);
    this.weekendDays = new Int8Array(m.E * Math.max(1, nW));
    this.weekends = new Int32Array(m.E);
    this.rebuild();
  }

  /** Recomputes every row total from the grid (after it was replaced wholesale). */
  rebuild(): void {
    const m = this.m;
    this.perShift.fill(0);
    this.minutes.fill(0);
    this.nights.fill(0);
    this.weekendDays.fill(0);
    this.weekends.fill(0);
    for (let e = 0; e < m.E; e++) for (let d = 0; d < m.D; d++) this.update(e, d, 0, this.grid[e * m.D + d]!);
  }

  /** Moves the row totals of staff e from value `from` to `to` on day d. */
  update(e: number, d: number, from: number, to: number): void {
    const m = this.m;
    if (from > 0) {
      const s = m.taskShift[from - 1]!;
      this.perShift[e * m.S + s]!--;
      this.minutes[e]! -= m.shiftLen[s]!;
      this.nights[e]! -= m.night[s]!;
      const w = m.weekend[d]!;
      if (w >= 0 && --this.weekendDays[e * this.nW + w]! === 0) this.weekends[e]!--;
    }
    if (to > 0) {
      const s = m.taskShift[to - 1]!;
      this.perShift[e * m.S + s]!++;
      this.minutes[e]! += m.shiftLen[s]!;
      this.nights[e]! += m.night[s]!;
      const w = m.weekend[d]!;
      if (w >= 0 && this.weekendDays[e * this.nW + w]!++ === 0) this.weekends[e]!++;
    }
  }

  /** Score of the row totals of staff e. */
  totals(e: number): void {
    const m = this.m;
    const S = m.S;
    let hard = 0;
    for (let s = 0, i = e * S; s < S; s++, i++) {
      const over = this.perShift[i]! - m.maxShifts[i]!;
      if (over > 0) hard += over;
    }
    const minutes = this.minutes[e]!;
    if (minutes > m.maxMin[e]!) hard += Math.ceil((minutes - m.maxMin[e]!) / 60);
    if (minutes < m.minMin[e]!) hard += Math.ceil((m.minMin[e]! - minutes) / 60);
    const weekends = this.weekends[e]!;
    if (weekends > m.maxWe[e]!) hard += weekends - m.maxWe[e]!;
    let soft = 0;
    const nights = this.nights[e]!;
    if (m.fairNights !== 0) soft += (m.fairNights * nights * (nights - 1)) / 2;
    if (m.fairWeekends !== 0) soft += (m.fairWeekends * weekends * (weekends - 1)) / 2;
    this.hard = hard;
    this.soft = soft;
  }

  /** Widens a..b to whole runs: the returned cuts sit on work/off boundaries outside a..b. */
  windowStart(e: number, a: number): number {
    const g = this.grid;
    const base = e * this.m.D;
    let L = a - 1;
    if (L <= 0) return 0;
    const st = g[base + L] !== 0;
    while (L > 0 && (g[base + L - 1] !== 0) === st) L--;
    return L;
  }

  windowEnd(e: number, b: number): number {
    const g = this.grid;
    const D = this.m.D;
    const base = e * D;
    let R = b + 1;
    if (R >= D - 1) return D - 1;
    const st = g[base + R] !== 0;
    while (R < D - 1 && (g[base + R + 1] !== 0) === st) R++;
    return R;
  }

  /** Local score of staff e over days L..R, which must start and end on run boundaries. */
  segment(e: number, L: number, R: number): void {
    const m = this.m;
    const D = m.D;
    const V = m.V;
    const S = m.S;
    const grid = this.grid;
    const base = e * D;
    const cellBase = base * V;
    const taskShift = m.taskShift;
    const forbid = m.forbid;
    const highLoad = m.highLoad;
    const cellSoft = m.cellSoft;
    const cellHard = m.cellHard;
    const maxCons = m.maxCons[e]!;
    const minCons = m.minCons[e]!;
    const minOff = m.minOff[e]!;
    const maxHigh = m.maxHigh[e]!;
    let hard = 0;
    let soft = 0;
    let workRun = 0;
    let offRun = 0;
    let highRun = 0;
    let prev = -1;
    for (let d = L; d <= R; d++) {
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
        workRun++;
        if (highLoad[s] === 1) highRun++;
        else {
          if (highRun > maxHigh) hard += highRun - maxHigh;
          highRun = 0;
        }
        prev = s;
      }
    }
    // Runs closed by the window's end: exempt from minimums only at the horizon's end.
    const atEnd = R === D - 1;
    if (workRun > 0) {
      if (workRun > maxCons) hard += workRun - maxCons;
      if (!atEnd && workRun < minCons && R + 1 - workRun > 0) hard += minCons - workRun;
    }
    if (offRun > 0 && !atEnd && offRun < minOff && R + 1 - offRun > 0) hard += minOff - offRun;
    if (highRun > maxHigh) hard += highRun - maxHigh;
    this.hard = hard;
    this.soft = soft;
  }
}
