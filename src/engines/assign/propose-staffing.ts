// Emergency mobilisation (§4): from the whole roster to a proposed staffing of an incident's
// roles, filling from the frontline echelon before the reserve before the emergency
// echelon, then by fit (skill, travel time).
//
// Why pruning each role to its best K eligible people is exact: let T be the total number of
// seats of all roles whose eligible people can overlap with role r's (roles needing a
// specialty someone eligible for r also holds). Take any optimal staffing that seats someone
// outside r's best K = T in r. Each of r's best K is either seated in r or seated elsewhere,
// and each of those seats belongs to a competing role, so at most T − 1 of them can be busy
// (the outsider holds one of the T seats). One of the best K is free, ranks at least as high
// on every lexicographic level in r, and can replace the outsider without loss. Repeating
// the swap gives an optimal staffing that uses best-K pairs only. The count can be taken
// over the best-K set itself: a member seated elsewhere holds that seat's specialty, so at
// most c_r − 1 + Σ_σ min(other seats needing σ, members holding σ) are busy; any K above
// that count for its own best-K set works, and the shortest such prefix is used. The
// network solve on the
// pruned set is itself exact (pricing certificate), so the proposal is the true optimum.

import { solveAssignmentNetwork } from './solve-assignment.js';
import type { AssignmentCandidate, AssignmentProblem, AssignmentResult, FunnelStage } from './types.js';

export const ECHELONS = ['frontline', 'reserve', 'emergency'] as const;
export type Echelon = (typeof ECHELONS)[number];

/** Column-oriented roster so 100,000 people cost a few typed arrays, not 100,000 objects. */
export type Roster = {
  ids: string[];
  /** Bit i set: holds specialty i. */
  specialties: Uint16Array;
  /** Index into ECHELONS. */
  echelon: Uint8Array;
  /** Home site index into `Incident.travelMinutes` rows. */
  homeSite: Uint16Array;
  onLeave: Uint8Array;
  /** Hours since the end of the last shift. */
  restedHours: Float32Array;
  /** 0–100. */
  skill: Uint8Array;
};

export type IncidentRole = {
  id: string;
  label?: string;
  /** Incident site index (column of travelMinutes). */
  site: number;
  specialty: number;
  count: number;
  minSkill?: number;
};

export type Incident = {
  specialtyNames: string[];
  siteNames: string[];
  /** travelMinutes[homeSite][incidentSite]. */
  travelMinutes: number[][];
  roles: IncidentRole[];
  /** People rested less than this are not called (default 8 h). */
  minRestHours?: number;
  /** People further than this are not called (default 240 min). */
  maxTravelMinutes?: number;
};

export type StaffingOptions = {
  /** `exact-k` (default): prune each role to its provably sufficient best K; `none`: every eligible pair. */
  pruning?: 'exact-k' | 'none';
};

export type StaffingProposal = AssignmentResult & {
  pruning: { eligiblePairs: number; keptPairs: number; kPerRole: number[] };
  timings: { candidatesMs: number; solveMs: number };
};

const LEVELS = [
  [1, 0],
  [0, 1],
  [0, 0],
];

/** Fit points: skill counts double, each 3 minutes of travel costs one point. */
function fitParts(skill: number, travel: number): { score: number; skillPts: number; travelPts: number } {
  const skillPts = 2 * skill;
  const travelPts = -Math.round(travel / 3);
  return { score: skillPts + travelPts, skillPts, travelPts };
}

export function buildStaffingProblem(
  roster: Roster,
  incident: Incident,
  options: StaffingOptions = {},
): { problem: AssignmentProblem; eligiblePairs: number; kPerRole: number[]; rowOf: Map<string, number> } {
  const n = roster.ids.length;
  const minRest = incident.minRestHours ?? 8;
  const maxTravel = incident.maxTravelMinutes ?? 240;
  const roles = incident.roles;
  const nSpec = incident.specialtyNames.length;

  // Specialties co-held by someone available: roles on such specialties compete for people.
  const coHeld: boolean[][] = Array.from({ length: nSpec }, () => new Array<boolean>(nSpec).fill(false));
  const seenMask = new Set<number>();
  for (let i = 0; i < n; i++) {
    const m = roster.specialties[i]!;
    if (seenMask.has(m)) continue;
    seenMask.add(m);
    for (let a = 0; a < nSpec; a++) if (m & (1 << a)) for (let b = 0; b < nSpec; b++) if (m & (1 << b)) coHeld[a]![b] = true;
  }
  const kPerRole = roles.map((r) => roles.reduce((sum, o) => sum + (o === r || coHeld[r.specialty]![o.specialty] ? o.count : 0), 0));

  const candidates: AssignmentCandidate[] = [];
  const slots: AssignmentProblem['slots'] = [];
  const used = new Uint8Array(n);
  let eligiblePairs = 0;
  // Eligible pools by specialty are shared by all roles needing that specialty.
  const pools = new Map<number, { withSpec: number; available: Int32Array; onLeave: number; resting: number }>();
  for (const role of roles) {
    let pool = pools.get(role.specialty);
    if (!pool) {
      const bit = 1 << role.specialty;
      let withSpec = 0;
      let onLeave = 0;
      let resting = 0;
      const avail: number[] = [];
      for (let i = 0; i < n; i++) {
        if ((roster.specialties[i]! & bit) === 0) continue;
        withSpec++;
        if (roster.onLeave[i] === 1) {
          onLeave++;
          continue;
        }
        if (roster.restedHours[i]! < minRest) {
          resting++;
          continue;
        }
        avail.push(i);
      }
      pool = { withSpec, available: Int32Array.from(avail), onLeave, resting };
      pools.set(role.specialty, pool);
    }
    const minSkill = role.minSkill ?? 0;
    const keys: number[] = [];
    const ids: number[] = [];
    let skilled = 0;
    // Travel minutes from each home site to this role's site, looked up once per role.
    const travelTo = Float64Array.from(incident.travelMinutes, (row) => row[role.site]!);
    const avail = pool.available;
    for (let j = 0; j < avail.length; j++) {
      const i = avail[j]!;
      const skill = roster.skill[i]!;
      if (skill < minSkill) continue;
      skilled++;
      const travel = travelTo[roster.homeSite[i]!]!;
      if (travel > maxTravel) continue;
      // Lexicographic rank of the pair: echelon tier first, then fit (see fitParts).
      keys.push((2 - roster.echelon[i]!) * 1e6 + 2 * skill - Math.round(travel / 3));
      ids.push(i);
    }
    eligiblePairs += ids.length;
    const funnel: FunnelStage[] = [
      { reason: 'specialty', label: `holds ${incident.specialtyNames[role.specialty]}`, remaining: pool.withSpec },
      { reason: 'on-leave', label: 'not on leave', remaining: pool.withSpec - pool.onLeave },
      { reason: 'resting', label: `rested ≥ ${minRest} h`, remaining: pool.withSpec - pool.onLeave - pool.resting },
      { reason: 'skill', label: `skill ≥ ${minSkill}`, remaining: skilled },
      { reason: 'travel', label: `within ${maxTravel} min`, remaining: ids.length },
    ];
    slots.push({ id: role.id, capacity: role.count, ...(role.label ? { label: role.label } : {}), funnel });
    const roleIndex = slots.length - 1;
    let order = ids.map((_, x) => x);
    if (options.pruning !== 'none') {
      order = selectTop(keys, order, kPerRole[roleIndex]!);
      // Tighter, still exact: only members of a prefix of the ranking can block it, and each
      // member seated elsewhere holds that seat's specialty, so at most
      // Σ_σ min(other seats needing σ, members holding σ) of them are busy. The shortest
      // prefix whose own count is below its length is a valid K.
      const ranked = order.slice().sort((a, b) => keys[b]! - keys[a]! || a - b);
      const otherSeats = new Int32Array(nSpec);
      for (const o of roles) if (o !== role) otherSeats[o.specialty]! += o.count;
      const holders = new Int32Array(nSpec);
      let bound = role.count;
      let k = ranked.length;
      for (let j = 0; j < ranked.length; j++) {
        const m = roster.specialties[ids[ranked[j]!]!]!;
        for (let b = 0; b < nSpec; b++) if (m & (1 << b) && ++holders[b]! <= otherSeats[b]!) bound++;
        if (bound <= j + 1) {
          k = j + 1;
          break;
        }
      }
      if (k < order.length) order = ranked.slice(0, k).sort((a, b) => a - b);
      kPerRole[roleIndex] = Math.min(k, kPerRole[roleIndex]!);
    }
    for (const x of order) {
      const i = ids[x]!;
      const travel = incident.travelMinutes[roster.homeSite[i]!]![role.site]!;
      const fit = fitParts(roster.skill[i]!, travel);
      const e = roster.echelon[i]!;
      used[i] = 1;
      // Score parts are attached after solving, to the chosen pairs only.
      candidates.push({ personId: roster.ids[i]!, slotId: role.id, score: fit.score, levels: LEVELS[e]! });
    }
  }
  const people: AssignmentProblem['people'] = [];
  const rowOf = new Map<string, number>();
  for (let i = 0; i < n; i++)
    if (used[i] === 1) {
      people.push({ id: roster.ids[i]! });
      rowOf.set(roster.ids[i]!, i);
    }
  return {
    rowOf,
    problem: { people, slots, candidates, priorities: ['frontline', 'reserve'], fill: 'first' },
    eligiblePairs,
    kPerRole,
  };
}

/**
 * The best `k` of `positions` (ascending) by key desc, position asc, returned ascending.
 * The k-th largest key is the threshold; ties at it go to the lowest positions.
 */
function selectTop(keys: readonly number[], positions: number[], k: number): number[] {
  if (k >= positions.length) return positions;
  const sorted = new Float64Array(positions.length);
  for (let j = 0; j < positions.length; j++) sorted[j] = keys[positions[j]!]!;
  sorted.sort();
  const threshold = sorted[sorted.length - k]!;
  let above = 0;
  for (const x of positions) if (keys[x]! > threshold) above++;
  let tiesLeft = k - above;
  const out: number[] = [];
  for (const x of positions) {
    if (keys[x]! > threshold) out.push(x);
    else if (keys[x] === threshold && tiesLeft > 0) {
      out.push(x);
      tiesLeft--;
    }
  }
  return out;
}

/** Proposes who goes where for an incident; exact for the fill → echelon → fit objective. */
export function proposeStaffing(roster: Roster, incident: Incident, options: StaffingOptions = {}): StaffingProposal {
  const t0 = performance.now();
  const built = buildStaffingProblem(roster, incident, options);
  const t1 = performance.now();
  const result = solveAssignmentNetwork(built.problem);
  const t2 = performance.now();
  const rowOf = built.rowOf;
  const roleOf = new Map(incident.roles.map((r) => [r.id, r]));
  for (const slot of result.slots) {
    const role = roleOf.get(slot.slotId)!;
    for (const a of slot.assigned) {
      const i = rowOf.get(a.personId)!;
      const fit = fitParts(roster.skill[i]!, incident.travelMinutes[roster.homeSite[i]!]![role.site]!);
      a.parts = [
        { name: 'skill', value: fit.skillPts },
        { name: 'travel', value: fit.travelPts },
        { name: `echelon:${ECHELONS[roster.echelon[i]!]}`, value: 0 },
      ];
    }
  }
  return {
    ...result,
    pruning: { eligiblePairs: built.eligiblePairs, keptPairs: built.problem.candidates.length, kPerRole: built.kPerRole },
    timings: { candidatesMs: t1 - t0, solveMs: t2 - t1 },
  };
}
