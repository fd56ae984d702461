import { describe, expect, it } from 'vitest';
import { computeLevelWeights } from './lexicographic-weights.js';
import { solveAssignmentNetwork } from './solve-assignment.js';
import type { AssignmentProblem } from './types.js';

describe('lexicographic priorities', () => {
  // Frontline (f*) before reserve (r*) before emergency (e*), then fit; fill count first.
  const people = ['f1', 'r1', 'r2', 'e1'].map((id) => ({ id }));
  const tier = (id: string): number[] => (id.startsWith('f') ? [1, 0] : id.startsWith('r') ? [0, 1] : [0, 0]);
  const cand = (personId: string, slotId: string, score: number) => ({ personId, slotId, score, levels: tier(personId) });

  it('uses the frontline before the reserve even at a large loss of fit', () => {
    const problem: AssignmentProblem = {
      people,
      slots: [{ id: 'A' }],
      candidates: [cand('f1', 'A', 1), cand('r1', 'A', 1000), cand('e1', 'A', 5000)],
      priorities: ['frontline', 'reserve'],
    };
    const r = solveAssignmentNetwork(problem);
    expect(r.assignments).toEqual([{ personId: 'f1', slotId: 'A', score: 1 }]);
  });

  it('fills a shortfall from the next echelon, and fill count beats echelon', () => {
    const problem: AssignmentProblem = {
      people,
      slots: [{ id: 'A' }, { id: 'B' }, { id: 'C' }],
      // f1 could take A or B; only r1 fits B's alternative; C only e1
      candidates: [cand('f1', 'A', 5), cand('f1', 'B', 9), cand('r1', 'B', 1), cand('e1', 'C', 1), cand('e1', 'A', 100)],
      priorities: ['frontline', 'reserve'],
    };
    const r = solveAssignmentNetwork(problem);
    expect(r.objective.filled).toBe(3);
    expect(r.objective.levels).toEqual({ frontline: 1, reserve: 1 });
    expect(new Set(r.assignments.map((a) => `${a.personId}>${a.slotId}`))).toEqual(new Set(['f1>A', 'r1>B', 'e1>C']));
  });

  it('weights are provably sufficient and checked against 2^53', () => {
    // levels: frontline 0..1, reserve 0..1, score 0..100; at most 10 pairings
    const w = computeLevelWeights([0, 0, 0], [1, 1, 100], 10, 10);
    expect(w.weights[2]).toBe(1n);
    expect(w.weights[1]).toBe(1n + 10n * 100n); // beats any swing of total score (span 1000)
    expect(w.weights[0]).toBe(1n + 1001n * 10n + 1000n); // beats reserve and score swings together
    expect(w.safe).toBe(true);
    expect(computeLevelWeights([0, 0, 0], [1, 1, 1e6], 1e6, 1e6).safe).toBe(false);
  });
});
