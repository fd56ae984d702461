// Flattens a RosterInstance into typed arrays indexed by small integers so the search loop
// never touches strings or maps. A cell value is 0 for a day off, t+1 for task t, where a task
// is a (shift, skill) pair.
import type { Roster, RosterInstance } from './types.js';

export type CompiledModel = {
  E: number;
  D: number;
  S: number;
  T: number;
  /** T + 1 cell values. */
  V: number;
  staffIds: string[];
  shiftIds: string[];
  skillIds: string[];
  taskShift: Int32Array;
  taskSkill: Int32Array;
  shiftLen: Int32Array;
  /** forbid[a*S+b]: b may not follow a on the next day (explicit rule or too little rest). */
  forbid: Uint8Array;
  highLoad: Uint8Array;
  night: Uint8Array;
  maxShifts: Int32Array;
  maxMin: Int32Array;
  minMin: Int32Array;
  maxCons: Int32Array;
  minCons: Int32Array;
  minOff: Int32Array;
  maxWe: Int32Array;
  maxHigh: Int32Array;
  /** Per (e,d,v): request and pinned-change cost of putting v there. */
  cellSoft: Float64Array;
  /** Per (e,d,v): hard cost (a fixed day off worked). */
  cellHard: Uint8Array;
  /** Per (e,d,v): moves never create this value (day off, missing skill, type capped at 0). */
  blocked: Uint8Array;
  /** Per staff: values it may take, 0 (off) first. */
  allowedValues: Int32Array[];
  /** Weekend number of each day, -1 on weekdays. */
  weekend: Int32Array;
  coverReq: Int32Array;
  coverUnder: Float64Array;
  coverOver: Float64Array;
  fairNights: number;
  fairWeekends: number;
};

const NO_LIMIT = 1 << 30;

export function compileModel(inst: RosterInstance): CompiledModel {
  const E = inst.staff.length;
  const D = inst.horizonDays;
  const S = inst.shifts.length;
  const K = inst.skills.length;
  const shiftIndex = new Map(inst.shifts.map((s, i) => [s.id, i]));
  const skillIndex = new Map(inst.skills.map((k, i) => [k, i]));
  const staffIndex = new Map(inst.staff.map((m, i) => [m.id, i]));
  const need = <K, V>(map: Map<K, V>, key: K, what: string): V => {
    const v = map.get(key);
    if (v === undefined) throw new Error(`unknown ${what} "${String(key)}"`);
    return v;
  };
  // Only (shift, skill) pairs that some cover asks for or someone can do become tasks; with
  // skill-less instances this is just one task per shift.
  const T = S * K;
  const V = T + 1;
  const taskShift = new Int32Array(T);
  const taskSkill = new Int32Array(T);
  for (let s = 0; s < S; s++)
    for (let k = 0; k < K; k++) {
      taskShift[s * K + k] = s;
      taskSkill[s * K + k] = k;
    }
  const shiftLen = new Int32Array(S);
  const forbid = new Uint8Array(S * S);
  const highLoad = new Uint8Array(S);
  const night = new Uint8Array(S);
  inst.shifts.forEach((a, i) => {
    shiftLen[i] = a.lengthMinutes;
    highLoad[i] = a.highLoad ? 1 : 0;
    night[i] = a.night ? 1 : 0;
    for (const n of a.forbiddenNext) forbid[i * S + need(shiftIndex, n, 'shift')] = 1;
    if (inst.minRestMinutes !== undefined) {
      inst.shifts.forEach((b, j) => {
        const rest = 1440 + (b.startMinute ?? 0) - ((a.startMinute ?? 0) + a.lengthMinutes);
        if (rest < inst.minRestMinutes!) forbid[i * S + j] = 1;
      });
    }
  });
  const maxShifts = new Int32Array(E * S).fill(NO_LIMIT);
  const maxMin = new Int32Array(E);
  const minMin = new Int32Array(E);
  const maxCons = new Int32Array(E);
  const minCons = new Int32Array(E);
  const minOff = new Int32Array(E);
  const maxWe = new Int32Array(E);
  const maxHigh = new Int32Array(E);
  const cellSoft = new Float64Array(E * D * V);
  const cellHard = new Uint8Array(E * D * V);
  const blocked = new Uint8Array(E * D * V);
  const allowedValues: Int32Array[] = [];
  inst.staff.forEach((m, e) => {
    for (const [sid, n] of Object.entries(m.maxShifts)) maxShifts[e * S + need(shiftIndex, sid, 'shift')] = n;
    maxMin[e] = m.maxMinutes;
    minMin[e] = m.minMinutes;
    maxCons[e] = m.maxConsecutiveShifts;
    minCons[e] = m.minConsecutiveShifts;
    minOff[e] = m.minConsecutiveDaysOff;
    maxWe[e] = m.maxWeekends;
    maxHigh[e] = m.maxConsecutiveHighLoad ?? NO_LIMIT;
    const skills = new Set(m.skills.map((k) => skillIndex.get(k)).filter((k): k is number => k !== undefined));
    const allowed = [0];
    for (let t = 0; t < T; t++) {
      const ok = skills.has(taskSkill[t]!) && maxShifts[e * S + taskShift[t]!]! > 0;
      if (ok) allowed.push(t + 1);
      else for (let d = 0; d < D; d++) blocked[(e * D + d) * V + t + 1] = 1;
    }
    allowedValues.push(Int32Array.from(allowed));
    for (const d of new Set(m.daysOff)) {
      if (d < 0 || d >= D) continue;
      for (let v = 1; v < V; v++) {
        cellHard[(e * D + d) * V + v] = 1;
        blocked[(e * D + d) * V + v] = 1;
      }
    }
  });
  const cellBase = (staffId: string, day: number): number => (need(staffIndex, staffId, 'staff') * D + day) * V;
  for (const r of inst.onRequests) {
    const b = cellBase(r.staffId, r.day);
    const s = need(shiftIndex, r.shiftId, 'shift');
    for (let v = 0; v < V; v++) if (v === 0 || taskShift[v - 1] !== s) cellSoft[b + v]! += r.weight;
  }
  for (const r of inst.offRequests) {
    const b = cellBase(r.staffId, r.day);
    const s = need(shiftIndex, r.shiftId, 'shift');
    for (let v = 1; v < V; v++) if (taskShift[v - 1] === s) cellSoft[b + v]! += r.weight;
  }
  for (const p of inst.pinned ?? []) {
    const b = cellBase(p.staffId, p.day);
    const s = p.shiftId === null ? -1 : need(shiftIndex, p.shiftId, 'shift');
    const k = p.skill === undefined ? -1 : need(skillIndex, p.skill, 'skill');
    for (let v = 0; v < V; v++) {
      const same = v === 0 ? s === -1 : s === taskShift[v - 1] && (k === -1 || k === taskSkill[v - 1]);
      if (!same) cellSoft[b + v]! += p.weight;
    }
  }
  const weekend = new Int32Array(D).fill(-1);
  const fw = inst.firstWeekday ?? 0;
  for (let d = 0; d < D; d++) {
    const wd = (fw + d) % 7;
    if (wd === 5 || wd === 6) weekend[d] = Math.floor((fw + d) / 7);
  }
  const coverReq = new Int32Array(D * T);
  const coverUnder = new Float64Array(D * T);
  const coverOver = new Float64Array(D * T);
  const seen = new Uint8Array(D * T);
  for (const c of inst.cover) {
    const t = need(shiftIndex, c.shiftId, 'shift') * K + need(skillIndex, c.skill, 'skill');
    const i = c.day * T + t;
    if (seen[i]) throw new Error(`duplicate cover requirement for day ${c.day}, shift ${c.shiftId}, skill ${c.skill}`);
    seen[i] = 1;
    coverReq[i] = c.requirement;
    coverUnder[i] = c.weightUnder;
    coverOver[i] = c.weightOver;
  }
  return {
    E,
    D,
    S,
    T,
    V,
    staffIds: inst.staff.map((m) => m.id),
    shiftIds: inst.shifts.map((s) => s.id),
    skillIds: [...inst.skills],
    taskShift,
    taskSkill,
    shiftLen,
    forbid,
    highLoad,
    night,
    maxShifts,
    maxMin,
    minMin,
    maxCons,
    minCons,
    minOff,
    maxWe,
    maxHigh,
    cellSoft,
    cellHard,
    blocked,
    allowedValues,
    weekend,
    coverReq,
    coverUnder,
    coverOver,
    fairNights: inst.fairness?.nights ?? 0,
    fairWeekends: inst.fairness?.weekends ?? 0,
  };
}

export function gridToRoster(m: CompiledModel, grid: Int16Array): Roster {
  const cells: Roster['cells'] = [];
  for (let e = 0; e < m.E; e++) {
    const row: Roster['cells'][number] = [];
    for (let d = 0; d < m.D; d++) {
      const v = grid[e * m.D + d]!;
      row.push(v === 0 ? null : { shiftId: m.shiftIds[m.taskShift[v - 1]!]!, skill: m.skillIds[m.taskSkill[v - 1]!]! });
    }
    cells.push(row);
  }
  return { cells };
}

export function rosterToGrid(m: CompiledModel, roster: Roster): Int16Array {
  const K = m.skillIds.length;
  const grid = new Int16Array(m.E * m.D);
  for (let e = 0; e < m.E; e++) {
    for (let d = 0; d < m.D; d++) {
      const c = roster.cells[e]?.[d];
      if (!c) continue;
      const s = m.shiftIds.indexOf(c.shiftId);
      const k = m.skillIds.indexOf(c.skill);
      if (s < 0 || k < 0) throw new Error(`roster cell of ${m.staffIds[e]} on day ${d} names unknown shift or skill`);
      grid[e * m.D + d] = s * K + k + 1;
    }
  }
  return grid;
}

/** How many staff work each (day, task) cell of the grid, written into `into` (indexed day × T + task). */
export function countCover<A extends Int32Array>(m: CompiledModel, grid: Int16Array, into: A = new Int32Array(m.D * m.T) as A): A {
  into.fill(0);
  for (let i = 0; i < m.E * m.D; i++) {
    const v = grid[i]!;
    if (v > 0) into[(i % m.D) * m.T + v - 1]!++;
  }
  return into;
}
