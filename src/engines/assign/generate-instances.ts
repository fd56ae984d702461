// Seeded synthetic instances for benchmarks and tests (deterministic under a seed).

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
