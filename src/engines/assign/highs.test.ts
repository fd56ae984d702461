import { describe, expect, it } from 'vitest';
import { generatePlacement } from './generate-instances.js';
import { runHighs } from './highs-client.js';
import { buildHighsModel } from './highs-model.js';
import { indexProblem } from './index-problem.js';
import { solveAssignment, solveAssignmentNetwork } from './solve-assignment.js';
import type { AssignmentProblem } from './types.js';

describe('against HiGHS', () => {
  it('network optimum equals the HiGHS MILP optimum on medium instances', async () => {
    for (const seed of [3, 4]) {
      const problem = generatePlacement({ people: 90, vacancies: 25, seed });
      const mine = solveAssignmentNetwork(problem);
      const highs = await runHighs(buildHighsModel(indexProblem(problem).ip, []), 30_000);
      expect(highs.status).toBe('optimal');
      expect(mine.objective.combined).toBe(Math.round(-highs.objective));
    }
  });
});

/** Two vacancies, four people: the two best fits are expensive, the budget allows one. */
function budgetProblem(limit: number): AssignmentProblem {
  const cost = { a: 50, b: 40, c: 10, d: 10 } as Record<string, number>;
  const score = { a: 100, b: 90, c: 60, d: 55 } as Record<string, number>;
  const people = Object.keys(cost).map((id) => ({ id }));
  const slots = [{ id: 'X' }, { id: 'Y' }];
  const candidates = people.flatMap((p) =>
    slots.map((s) => ({ personId: p.id, slotId: s.id, score: score[p.id]!, resources: { relocation: cost[p.id]! } })),
  );
  return {
    people,
    slots,
    candidates,
    sideConstraints: [{ kind: 'budget', id: 'relocation-budget', label: 'relocation budget', resource: 'relocation', limit }],
  };
}

describe('side constraints (HiGHS MILP path)', () => {
  it('skips HiGHS when the network optimum already satisfies the side constraints', async () => {
    const r = await solveAssignment(budgetProblem(1000));
    expect(r.method).toBe('network');
    expect(r.status).toBe('optimal');
    expect(r.objective.score).toBe(190);
    expect(r.notes.join(' ')).toMatch(/optimal for the full model/);
  });

  it('solves a binding budget exactly with HiGHS', async () => {
    const r = await solveAssignment(budgetProblem(60), { timeLimitMs: 20_000 });
    expect(r.method).toBe('milp');
    expect(r.status).toBe('optimal');
    // a(50)+c(10)=60 → 160 beats b(40)+c(10)=50 → 150 and c+d → 115
    expect(r.objective.score).toBe(160);
    expect(r.sideConstraints[0]).toMatchObject({ id: 'relocation-budget', value: 60, satisfied: true, tight: true });
  });

  it('explains a seat left open by a quota', async () => {
    const problem: AssignmentProblem = {
      people: [{ id: 'a' }, { id: 'b' }],
      slots: [{ id: 'X' }, { id: 'Y' }],
      candidates: [
        { personId: 'a', slotId: 'X', score: 10 },
        { personId: 'b', slotId: 'Y', score: 10 },
      ],
      sideConstraints: [{ kind: 'quota', id: 'unit-cap', label: 'at most one from unit U', personIds: ['a', 'b'], max: 1 }],
    };
    const r = await solveAssignment(problem, { timeLimitMs: 20_000 });
    expect(r.status).toBe('optimal');
    expect(r.objective.filled).toBe(1);
    const open = r.slots.find((s) => s.filled === 0)!;
    expect(open.unfilled).toMatchObject({ code: 'side-constraint', constraintId: 'unit-cap' });
  });

  it('reports infeasible side constraints', async () => {
    const problem = budgetProblem(1000);
    problem.sideConstraints = [{ kind: 'quota', id: 'need-three', personIds: ['a', 'b', 'c', 'd'], min: 3 }];
    const r = await solveAssignment(problem, { timeLimitMs: 20_000 });
    expect(r.status).toBe('infeasible');
  });

  it('falls back to the network optimum when HiGHS runs out of time', async () => {
    // A budget-constrained placement big enough that HiGHS cannot finish in 1 ms.
    const problem = generatePlacement({ people: 150, vacancies: 40, seed: 9 });
    problem.candidates.forEach((c, i) => (c.resources = { cost: 1 + (i % 7) }));
    problem.sideConstraints = [{ kind: 'budget', id: 'cost', resource: 'cost', limit: 150 }];
    const r = await solveAssignment(problem, { timeLimitMs: 1 });
    expect(['fallback', 'feasible']).toContain(r.status);
    if (r.status === 'fallback') {
      expect(r.method).toBe('network');
      expect(r.objective.combined).toBe(solveAssignmentNetwork(problem).objective.combined);
      expect(r.sideConstraints[0]!.satisfied).toBe(false);
      expect(r.notes.join(' ')).toMatch(/HiGHS found no solution/);
    }
  });
});
