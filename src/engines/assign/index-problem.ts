// Turns the object-level problem into typed arrays with one combined integer value per pair.

import { computeLevelWeights, type LevelWeights } from './lexicographic-weights.js';
import type { IndexedProblem } from './solve-network.js';
import type { AssignmentProblem } from './types.js';

export type IndexedAssignment = {
  ip: IndexedProblem;
  /** Edge → index in problem.candidates. */
  edgeCandidate: Int32Array;
  personIndex: Map<string, number>;
  slotIndex: Map<string, number>;
  /** Lexicographic levels in order: `filled` (fill-first only), priorities…, `score`. */
  levelNames: string[];
  weights: LevelWeights;
  /** Per slot: candidates listed (before forbidden pairs) and those removed as forbidden. */
  listed: Int32Array;
  forbiddenCount: Int32Array;
};

export class AssignmentInputError extends Error {
  override name = 'AssignmentInputError';
}

function checkCount(what: string, v: number | undefined): number {
  const x = v ?? 1;
  if (!Number.isInteger(x) || x < 0) throw new AssignmentInputError(`${what}: capacity must be a non-negative integer, got ${String(v)}`);
  return x;
}

export function indexProblem(problem: AssignmentProblem): IndexedAssignment {
  const priorities = problem.priorities ?? [];
  const fillFirst = (problem.fill ?? 'first') === 'first';
  const personIndex = new Map<string, number>();
  problem.people.forEach((p, i) => {
    if (personIndex.has(p.id)) throw new AssignmentInputError(`duplicate person id ${p.id}`);
    personIndex.set(p.id, i);
  });
  const slotIndex = new Map<string, number>();
  problem.slots.forEach((s, i) => {
    if (slotIndex.has(s.id)) throw new AssignmentInputError(`duplicate slot id ${s.id}`);
    slotIndex.set(s.id, i);
  });
  const P = problem.people.length;
  const S = problem.slots.length;
  const personCap = new Int32Array(P);
  problem.people.forEach((p, i) => (personCap[i] = checkCount(`person ${p.id}`, p.capacity)));
  const slotCap = new Int32Array(S);
  problem.slots.forEach((s, i) => (slotCap[i] = checkCount(`slot ${s.id}`, s.capacity)));

  const forbidden = new Set<number>();
  for (const f of problem.forbidden ?? []) {
    const p = personIndex.get(f.personId);
    const s = slotIndex.get(f.slotId);
    if (p !== undefined && s !== undefined) forbidden.add(p * S + s);
  }

  const L = (fillFirst ? 1 : 0) + priorities.length + 1;
  const cands = problem.candidates;
  const edgeP = new Int32Array(cands.length);
  const edgeS = new Int32Array(cands.length);
  const listed = new Int32Array(S);
  const forbiddenCount = new Int32Array(S);
  const seen = new Map<number, number>();
  const lo = new Array<number>(L).fill(Number.POSITIVE_INFINITY);
  const hi = new Array<number>(L).fill(Number.NEGATIVE_INFINITY);
  const keepIdx: number[] = [];
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i]!;
    const p = personIndex.get(c.personId);
    const s = slotIndex.get(c.slotId);
    if (p === undefined) throw new AssignmentInputError(`candidate refers to unknown person ${c.personId}`);
    if (s === undefined) throw new AssignmentInputError(`candidate refers to unknown slot ${c.slotId}`);
    if (!Number.isSafeInteger(c.score)) throw new AssignmentInputError(`score of ${c.personId}→${c.slotId} must be an integer, got ${c.score}`);
    const lv = c.levels ?? [];
    if (lv.length !== priorities.length)
      throw new AssignmentInputError(`${c.personId}→${c.slotId}: ${lv.length} level values for ${priorities.length} priorities`);
    for (const v of lv) if (!Number.isSafeInteger(v)) throw new AssignmentInputError(`${c.personId}→${c.slotId}: level values must be integers`);
    const key = p * S + s;
    const prev = seen.get(key);
    if (prev !== undefined) throw new AssignmentInputError(`duplicate candidate ${c.personId}→${c.slotId}`);
    seen.set(key, i);
    listed[s]!++;
    if (forbidden.has(key)) {
      forbiddenCount[s]!++;
      continue;
    }
    edgeP[i] = p;
    edgeS[i] = s;
    keepIdx.push(i);
    const vec = valueVector(fillFirst, lv, c.score);
    for (let k = 0; k < L; k++) {
      if (vec[k]! < lo[k]!) lo[k] = vec[k]!;
      if (vec[k]! > hi[k]!) hi[k] = vec[k]!;
    }
  }
  for (let k = 0; k < L; k++) if (lo[k] === Number.POSITIVE_INFINITY) lo[k] = hi[k] = 0;

  let sumSlot = 0;
  let sumPerson = 0;
  for (let s = 0; s < S; s++) sumSlot += slotCap[s]!;
  for (let p = 0; p < P; p++) sumPerson += personCap[p]!;
  const maxPairings = Math.min(sumSlot, sumPerson, keepIdx.length);
  const weights = computeLevelWeights(lo, hi, maxPairings, P + S + 2);
  if (!weights.safe)
    throw new AssignmentInputError(
      `lexicographic weights exceed 2^53 (largest pairing value ${weights.maxAbsValue}); narrow level or score ranges`,
    );

  // CSR by slot, stable in candidate order.
  const slotStart = new Int32Array(S + 1);
  for (const i of keepIdx) slotStart[edgeS[i]! + 1]!++;
  for (let s = 0; s < S; s++) slotStart[s + 1] = slotStart[s + 1]! + slotStart[s]!;
  const fillAt = slotStart.slice(0, S);
  const E = keepIdx.length;
  const edgePerson = new Int32Array(E);
  const edgeValue = new Float64Array(E);
  const edgeCandidate = new Int32Array(E);
  const W = weights.weightNumbers;
  for (const i of keepIdx) {
    const c = cands[i]!;
    const e = fillAt[edgeS[i]!]!++;
    edgePerson[e] = edgeP[i]!;
    edgeCandidate[e] = i;
    const vec = valueVector(fillFirst, c.levels ?? [], c.score);
    let v = 0;
    for (let k = 0; k < L; k++) v += W[k]! * vec[k]!;
    edgeValue[e] = v;
  }
  return {
    ip: { personCount: P, slotCount: S, personCap, slotCap, slotStart, edgePerson, edgeValue, fillFirst },
    edgeCandidate,
    personIndex,
    slotIndex,
    levelNames: [...(fillFirst ? ['filled'] : []), ...priorities, 'score'],
    weights,
    listed,
    forbiddenCount,
  };
}

function valueVector(fillFirst: boolean, levels: readonly number[], score: number): number[] {
  return fillFirst ? [1, ...levels, score] : [...levels, score];
}
