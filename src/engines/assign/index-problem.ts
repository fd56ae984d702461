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

  // Pair bitmaps when the pair space is small (the usual case), Sets otherwise.
  const small = P * S <= 64_000_000;
  const forbiddenBits = small ? new Uint8Array(Math.ceil((P * S) / 8)) : null;
  const forbiddenSet = small ? null : new Set<number>();
  let forbiddenTotal = 0;
  for (const f of problem.forbidden ?? []) {
    const p = personIndex.get(f.personId);
    const s = slotIndex.get(f.slotId);
    if (p === undefined || s === undefined) continue;
    const key = p * S + s;
    if (forbiddenBits) forbiddenBits[key >>> 3] = forbiddenBits[key >>> 3]! | (1 << (key & 7));
    else forbiddenSet!.add(key);
    forbiddenTotal++;
  }
  const isForbidden = (key: number): boolean =>
    forbiddenTotal > 0 && (forbiddenBits ? (forbiddenBits[key >>> 3]! & (1 << (key & 7))) !== 0 : forbiddenSet!.has(key));

  const L = (fillFirst ? 1 : 0) + priorities.length + 1;
  const cands = problem.candidates;
  const edgeP = new Int32Array(cands.length);
  const edgeS = new Int32Array(cands.length);
  const listed = new Int32Array(S);
  const forbiddenCount = new Int32Array(S);
  // Duplicate check: a bitmap when the pair space is small, a Set otherwise.
  const pairBits = small ? new Uint8Array(Math.ceil((P * S) / 8)) : null;
  const pairSet = small ? null : new Set<number>();
  const lo = new Array<number>(L).fill(Number.POSITIVE_INFINITY);
  const hi = new Array<number>(L).fill(Number.NEGATIVE_INFINITY);
  const keepIdx = new Int32Array(cands.length);
  let kept = 0;
  let lastPersonId = '';
  let lastPerson: number | undefined;
  let lastSlotId = '';
  let lastSlot: number | undefined;
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i]!;
    // Candidate lists usually come grouped by person or slot; skip the Map when they do.
    if (c.personId !== lastPersonId) {
      lastPersonId = c.personId;
      lastPerson = personIndex.get(c.personId);
    }
    if (c.slotId !== lastSlotId) {
      lastSlotId = c.slotId;
      lastSlot = slotIndex.get(c.slotId);
    }
    const p = lastPerson;
    const s = lastSlot;
    if (p === undefined) throw new AssignmentInputError(`candidate refers to unknown person ${c.personId}`);
    if (s === undefined) throw new AssignmentInputError(`candidate refers to unknown slot ${c.slotId}`);
    if (!Number.isSafeInteger(c.score))
      throw new AssignmentInputError(`score of ${c.personId}→${c.slotId} must be an integer, got ${c.score}`);
    const lv = c.levels ?? NO_LEVELS;
    if (lv.length !== priorities.length)
      throw new AssignmentInputError(`${c.personId}→${c.slotId}: ${lv.length} level values for ${priorities.length} priorities`);
    for (const v of lv)
      if (!Number.isSafeInteger(v)) throw new AssignmentInputError(`${c.personId}→${c.slotId}: level values must be integers`);
    const key = p * S + s;
    if (pairBits) {
      if ((pairBits[key >>> 3]! & (1 << (key & 7))) !== 0) throw new AssignmentInputError(`duplicate candidate ${c.personId}→${c.slotId}`);
      pairBits[key >>> 3] = pairBits[key >>> 3]! | (1 << (key & 7));
    } else {
      if (pairSet!.has(key)) throw new AssignmentInputError(`duplicate candidate ${c.personId}→${c.slotId}`);
      pairSet!.add(key);
    }
    listed[s]!++;
    if (isForbidden(key)) {
      forbiddenCount[s]!++;
      continue;
    }
    edgeP[i] = p;
    edgeS[i] = s;
    keepIdx[kept++] = i;
    for (let k = 0; k < L; k++) {
      const v = levelValue(fillFirst, lv, c.score, k, L);
      if (v < lo[k]!) lo[k] = v;
      if (v > hi[k]!) hi[k] = v;
    }
  }
  for (let k = 0; k < L; k++) if (lo[k] === Number.POSITIVE_INFINITY) lo[k] = hi[k] = 0;

  let sumSlot = 0;
  let sumPerson = 0;
  for (let s = 0; s < S; s++) sumSlot += slotCap[s]!;
  for (let p = 0; p < P; p++) sumPerson += personCap[p]!;
  const maxPairings = Math.min(sumSlot, sumPerson, kept);
  // Simple paths in the slot/person network alternate sides: at most 2·min(S, P) + 2 arcs.
  const weights = computeLevelWeights(lo, hi, maxPairings, 2 * Math.min(S, P) + 2);
  if (!weights.safe)
    throw new AssignmentInputError(
      `lexicographic weights exceed 2^53 (largest pairing value ${weights.maxAbsValue}); narrow level or score ranges`,
    );

  // CSR by slot, stable in candidate order.
  const slotStart = new Int32Array(S + 1);
  for (let j = 0; j < kept; j++) slotStart[edgeS[keepIdx[j]!]! + 1]!++;
  for (let s = 0; s < S; s++) slotStart[s + 1] = slotStart[s + 1]! + slotStart[s]!;
  const fillAt = slotStart.slice(0, S);
  const E = kept;
  const edgePerson = new Int32Array(E);
  const edgeValue = new Float64Array(E);
  const edgeCandidate = new Int32Array(E);
  const W = weights.weightNumbers;
  for (let j = 0; j < kept; j++) {
    const i = keepIdx[j]!;
    const c = cands[i]!;
    const e = fillAt[edgeS[i]!]!++;
    edgePerson[e] = edgeP[i]!;
    edgeCandidate[e] = i;
    const lv = c.levels ?? NO_LEVELS;
    let v = 0;
    for (let k = 0; k < L; k++) v += W[k]! * levelValue(fillFirst, lv, c.score, k, L);
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

const NO_LEVELS: readonly number[] = [];

/** Level k of the vector [1 if fill-first, ...levels, score]. */
function levelValue(fillFirst: boolean, levels: readonly number[], score: number, k: number, L: number): number {
  if (k === L - 1) return score;
  if (fillFirst) return k === 0 ? 1 : levels[k - 1]!;
  return levels[k]!;
}
