// Collapses lexicographic levels into one integer objective with weights that are
// provably large enough, and proves (in BigInt) that every sum the solvers form is exact
// in float64.
//
// Why the weights suffice: a solution holds at most M pairings, so level j's total lies in
// [min(0, M·lo_j), max(0, M·hi_j)], a span S_j. With W_last = 1 and
// W_k = 1 + Σ_{j>k} W_j·S_j, any gain of ≥ 1 on level k outweighs the largest possible
// combined swing of all lower levels, so maximising Σ W_k·total_k is lexicographic.

export type LevelWeights = {
  /** Per level, most important first. */
  weights: bigint[];
  /** The same as numbers (exact: checked against 2^53). */
  weightNumbers: number[];
  /** Largest |combined value| of one pairing. */
  maxAbsValue: bigint;
  /** Whether path sums over `pathLength` arcs and whole objectives stay below 2^53. */
  safe: boolean;
};

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * @param lo per level, smallest per-pairing value (integer)
 * @param hi per level, largest per-pairing value (integer)
 * @param maxPairings most pairings any solution can hold (M)
 * @param pathLength bound on arcs in any augmenting path or cycle (≈ nodes)
 */
export function computeLevelWeights(lo: readonly number[], hi: readonly number[], maxPairings: number, pathLength: number): LevelWeights {
  const L = lo.length;
  const M = BigInt(maxPairings);
  const weights: bigint[] = new Array<bigint>(L).fill(1n);
  let below = 0n;
  for (let k = L - 1; k >= 0; k--) {
    weights[k] = 1n + below;
    const l = BigInt(lo[k]!);
    const h = BigInt(hi[k]!);
    const top = M * h > 0n ? M * h : 0n;
    const bottom = M * l < 0n ? M * l : 0n;
    below += weights[k]! * (top - bottom);
  }
  let maxAbsValue = 0n;
  for (let k = 0; k < L; k++) {
    const l = BigInt(Math.abs(lo[k]!));
    const h = BigInt(Math.abs(hi[k]!));
    maxAbsValue += weights[k]! * (l > h ? l : h);
  }
  const longest = BigInt(Math.max(pathLength, maxPairings) + 1);
  // Head-room ×8: labels, potentials (renormalised below 2^50 in min-cost-flow) and totals.
  const safe = maxAbsValue * longest * 8n <= SAFE;
  return { weights, weightNumbers: weights.map((w) => Number(w)), maxAbsValue, safe };
}
