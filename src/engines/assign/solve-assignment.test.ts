import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bruteForceBest } from './brute-force.test-util.js';
import { indexProblem } from './index-problem.js';
import { solveAssignmentNetwork } from './solve-assignment.js';
import { solveIndexedNetwork } from './solve-network.js';
import type { AssignmentProblem, AssignmentResult } from './types.js';

const smallProblem = (maxEdges: number): fc.Arbitrary<AssignmentProblem> =>
  fc
    .record({
      people: fc.integer({ min: 1, max: 6 }),
      slots: fc.integer({ min: 1, max: 4 }),
      levels: fc.integer({ min: 0, max: 2 }),
      fillFirst: fc.boolean(),
      seed: fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 400, maxLength: 400 }),
    })
    .map(({ people, slots, levels, fillFirst, seed }) => {
      let k = 0;
      const next = (): number => seed[k++ % seed.length]!;
      const P = Array.from({ length: people }, (_, i) => ({ id: `p${i}`, capacity: 1 + (Math.abs(next()) % 3 === 0 ? 1 : 0) }));
      const S = Array.from({ length: slots }, (_, i) => ({ id: `s${i}`, capacity: 1 + (Math.abs(next()) % 3) }));
      const candidates: AssignmentProblem['candidates'] = [];
      const forbidden: AssignmentProblem['forbidden'] = [];
      for (const p of P)
        for (const s of S) {
          const r = Math.abs(next());
          if (r % 4 === 0 || candidates.length >= maxEdges) continue;
          candidates.push({
            personId: p.id,
            slotId: s.id,
            score: (next() % 12) - 2,
            levels: Array.from({ length: levels }, () => Math.abs(next()) % 3),
          });
          if (r % 7 === 0) forbidden.push({ personId: p.id, slotId: s.id, reason: 'conflict' });
        }
      return {
        people: P,
        slots: S,
        candidates,
        forbidden,
        priorities: Array.from({ length: levels }, (_, i) => `level${i}`),
        fill: fillFirst ? 'first' : 'score',
      } satisfies AssignmentProblem;
    });

function vectorOf(problem: AssignmentProblem, r: AssignmentResult): number[] {
  const v = [...(problem.priorities ?? []).map((n) => r.objective.levels[n]!), r.objective.score];
  return (problem.fill ?? 'first') === 'first' ? [r.objective.filled, ...v] : v;
}

function checkFeasible(problem: AssignmentProblem, r: AssignmentResult): void {
  const byP = new Map<string, number>();
  const byS = new Map<string, number>();
  const forbidden = new Set((problem.forbidden ?? []).map((f) => `${f.personId}|${f.slotId}`));
  for (const a of r.assignments) {
    byP.set(a.personId, (byP.get(a.personId) ?? 0) + 1);
    byS.set(a.slotId, (byS.get(a.slotId) ?? 0) + 1);
    expect(forbidden.has(`${a.personId}|${a.slotId}`)).toBe(false);
  }
  for (const p of problem.people) expect(byP.get(p.id) ?? 0).toBeLessThanOrEqual(p.capacity ?? 1);
  for (const s of problem.slots) expect(byS.get(s.id) ?? 0).toBeLessThanOrEqual(s.capacity ?? 1);
}

describe('solveAssignmentNetwork', () => {
  it('matches brute force on small random instances (lexicographic levels, capacities, forbidden pairs)', () => {
    fc.assert(
      fc.property(smallProblem(13), (problem) => {
        const r = solveAssignmentNetwork(problem);
        checkFeasible(problem, r);
        expect(vectorOf(problem, r)).toEqual(bruteForceBest(problem));
      }),
      { numRuns: 300, seed: 20240611 },
    );
  });

  it('pruned network with pricing equals the unpruned optimum', () => {
    fc.assert(
      fc.property(smallProblem(24), (problem) => {
        const idx = indexProblem(problem);
        const full = solveIndexedNetwork(idx.ip, { noPruning: true });
        const pruned = solveIndexedNetwork(idx.ip, { initialExtra: () => 0 });
        expect(pruned.objective).toBe(full.objective);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
