// Exhaustive reference solver for tiny instances (tests only).
import type { AssignmentProblem } from './types.js';

/** Best lexicographic vector [filled?, ...levels, score] over all feasible selections. */
export function bruteForceBest(problem: AssignmentProblem): number[] {
  const fillFirst = (problem.fill ?? 'first') === 'first';
  const forbidden = new Set((problem.forbidden ?? []).map((f) => `${f.personId}|${f.slotId}`));
  const edges = problem.candidates.filter((c) => !forbidden.has(`${c.personId}|${c.slotId}`));
  const pcap = new Map(problem.people.map((p) => [p.id, p.capacity ?? 1]));
  const scap = new Map(problem.slots.map((s) => [s.id, s.capacity ?? 1]));
  const L = (problem.priorities ?? []).length;
  let best: number[] | null = null;
  const usedP = new Map<string, number>();
  const usedS = new Map<string, number>();
  const acc = new Array<number>(L + 2).fill(0);
  const rec = (i: number): void => {
    if (i === edges.length) {
      const vec = fillFirst ? [...acc] : acc.slice(1);
      if (best === null || lexGreater(vec, best)) best = vec;
      return;
    }
    rec(i + 1);
    const c = edges[i]!;
    const up = usedP.get(c.personId) ?? 0;
    const us = usedS.get(c.slotId) ?? 0;
    if (up < pcap.get(c.personId)! && us < scap.get(c.slotId)!) {
      usedP.set(c.personId, up + 1);
      usedS.set(c.slotId, us + 1);
      acc[0]!++;
      for (let k = 0; k < L; k++) acc[k + 1]! += c.levels![k]!;
      acc[L + 1]! += c.score;
      rec(i + 1);
      acc[0]!--;
      for (let k = 0; k < L; k++) acc[k + 1]! -= c.levels![k]!;
      acc[L + 1]! -= c.score;
      usedP.set(c.personId, up);
      usedS.set(c.slotId, us);
    }
  };
  rec(0);
  return best!;
}

export function lexGreater(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}
