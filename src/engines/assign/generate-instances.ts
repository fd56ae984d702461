// Seeded synthetic instances for benchmarks and tests (deterministic under a seed).

import type { Incident, IncidentRole, Roster } from './propose-staffing.js';
import type { AssignmentProblem } from './types.js';

export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type PlacementOptions = {
  people: number;
  vacancies: number;
  seed?: number;
  /** Share of person–vacancy pairs excluded (conflict of interest, same unit…). */
  exclusionRate?: number;
  /** Attach score parts to every candidate (memory-heavy on dense instances). */
  withParts?: boolean;
};

const COMPETENCIES = 6;

/**
 * Placement (§2, "the right person in the right job"): every person may apply to every
 * vacancy; fit comes from competency levels against the position's required levels,
 * plus a preference for the vacancy's unit; vacancies have 1–3 seats.
 */
export function generatePlacement(opts: PlacementOptions): AssignmentProblem {
  const rnd = createRandom(opts.seed ?? 1);
  const exclusionRate = opts.exclusionRate ?? 0.08;
  const people = Array.from({ length: opts.people }, (_, i) => ({ id: `P${i}` }));
  const slots = Array.from({ length: opts.vacancies }, (_, j) => ({ id: `V${j}`, capacity: 1 + Math.floor(rnd() * 3) }));
  const have = new Uint8Array(opts.people * COMPETENCIES);
  for (let i = 0; i < have.length; i++) have[i] = Math.floor(rnd() * 5);
  const need = new Uint8Array(opts.vacancies * COMPETENCIES);
  const weight = new Uint8Array(opts.vacancies * COMPETENCIES);
  for (let i = 0; i < need.length; i++) {
    need[i] = 1 + Math.floor(rnd() * 4);
    weight[i] = 1 + Math.floor(rnd() * 5);
  }
  const candidates: AssignmentProblem['candidates'] = [];
  const forbidden: NonNullable<AssignmentProblem['forbidden']> = [];
  for (let i = 0; i < opts.people; i++) {
    for (let j = 0; j < opts.vacancies; j++) {
      let competency = 0;
      for (let c = 0; c < COMPETENCIES; c++) {
        const h = have[i * COMPETENCIES + c]!;
        const n = need[j * COMPETENCIES + c]!;
        const w = weight[j * COMPETENCIES + c]!;
        competency += w * (h >= n ? 10 + 2 * (h - n) : -12 * (n - h));
      }
      const preference = Math.floor(rnd() * 40);
      const score = competency + preference;
      candidates.push(
        opts.withParts
          ? {
              personId: `P${i}`,
              slotId: `V${j}`,
              score,
              parts: [
                { name: 'competency', value: competency },
                { name: 'preference', value: preference },
              ],
            }
          : { personId: `P${i}`, slotId: `V${j}`, score },
      );
      if (rnd() < exclusionRate) forbidden.push({ personId: `P${i}`, slotId: `V${j}`, reason: 'conflict of interest' });
    }
  }
  return { people, slots, candidates, forbidden };
}

export type MobilisationOptions = {
  people: number;
  roles: number;
  incidentSites?: number;
  homeSites?: number;
  seed?: number;
};

export const SPECIALTIES = [
  'animal quarantine',
  'plant quarantine',
  'health quarantine',
  'commodity inspection',
  'port radiation safety',
  'food safety',
  'legal affairs',
];

/**
 * A customs roster (specialties, echelons, home port, leave, rest) and an incident needing
 * `roles` seats spread over role types at `incidentSites` sites, with travel times from
 * every home port. Roughly: 15% hold a second specialty, 5% on leave, 10% not rested.
 */
export function generateMobilisation(opts: MobilisationOptions): { roster: Roster; incident: Incident } {
  const rnd = createRandom(opts.seed ?? 7);
  const n = opts.people;
  const homeSites = opts.homeSites ?? 40;
  const sites = opts.incidentSites ?? 10;
  const roster: Roster = {
    ids: Array.from({ length: n }, (_, i) => `E${i}`),
    specialties: new Uint16Array(n),
    echelon: new Uint8Array(n),
    homeSite: new Uint16Array(n),
    onLeave: new Uint8Array(n),
    restedHours: new Float32Array(n),
    skill: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const a = Math.floor(rnd() * SPECIALTIES.length);
    let mask = 1 << a;
    if (rnd() < 0.15) mask |= 1 << Math.floor(rnd() * SPECIALTIES.length);
    roster.specialties[i] = mask;
    const r = rnd();
    roster.echelon[i] = r < 0.3 ? 0 : r < 0.7 ? 1 : 2;
    roster.homeSite[i] = Math.floor(rnd() * homeSites);
    roster.onLeave[i] = rnd() < 0.05 ? 1 : 0;
    roster.restedHours[i] = rnd() < 0.1 ? rnd() * 8 : 8 + rnd() * 100;
    roster.skill[i] = Math.floor(20 + rnd() * 81);
  }
  const px = Array.from({ length: homeSites }, () => [rnd() * 600, rnd() * 600] as const);
  const ix = Array.from({ length: sites }, () => [rnd() * 600, rnd() * 600] as const);
  const travelMinutes = px.map(([x, y]) => ix.map(([u, v]) => Math.round(Math.hypot(x - u, y - v) / 1.2)));
  // Role types per site: each specialty, a share of the seats, some needing senior skill.
  const roles: IncidentRole[] = [];
  const perSite = Math.max(1, Math.round(opts.roles / sites));
  let left = opts.roles;
  for (let s = 0; s < sites && left > 0; s++) {
    let siteLeft = s === sites - 1 ? left : Math.min(left, perSite);
    const types = Math.min(siteLeft, SPECIALTIES.length + 3);
    for (let t = 0; t < types && siteLeft > 0; t++) {
      const count = t === types - 1 ? siteLeft : Math.max(1, Math.round((siteLeft / (types - t)) * (0.5 + rnd())));
      const c = Math.min(count, siteLeft);
      const specialty = t % SPECIALTIES.length;
      const senior = t >= SPECIALTIES.length;
      roles.push({
        id: `S${s}-R${t}`,
        label: `${SPECIALTIES[specialty]}${senior ? ' (senior)' : ''} @ site ${s}`,
        site: s,
        specialty,
        count: c,
        ...(senior ? { minSkill: 85 } : {}),
      });
      siteLeft -= c;
      left -= c;
    }
  }
  return {
    roster,
    incident: {
      specialtyNames: SPECIALTIES,
      siteNames: ix.map((_, s) => `site ${s}`),
      travelMinutes,
      roles,
    },
  };
}
