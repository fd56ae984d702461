import { describe, expect, it } from 'vitest';
import { solveAssignmentNetwork } from './solve-assignment.js';
import type { AssignmentProblem } from './types.js';

describe('explanations', () => {
  const problem: AssignmentProblem = {
    people: [{ id: 'ann' }, { id: 'bo' }, { id: 'cy', capacity: 1 }],
    slots: [
      { id: 'vet', capacity: 1, funnel: [{ reason: 'specialty', label: 'holds animal quarantine', remaining: 0 }] },
      {
        id: 'lab',
        capacity: 2,
        funnel: [
          { reason: 'specialty', remaining: 5 },
          { reason: 'on-leave', label: 'not on leave', remaining: 1 },
        ],
      },
      { id: 'desk', capacity: 1 },
      { id: 'gate', capacity: 1 },
      { id: 'legal', capacity: 1 },
    ],
    candidates: [
      {
        personId: 'ann',
        slotId: 'lab',
        score: 70,
        parts: [
          { name: 'skill', value: 60 },
          { name: 'travel', value: 10 },
        ],
      },
      { personId: 'bo', slotId: 'desk', score: 80 },
      { personId: 'bo', slotId: 'gate', score: 30 },
      { personId: 'cy', slotId: 'legal', score: 5 },
    ],
    forbidden: [{ personId: 'cy', slotId: 'legal', reason: 'conflict of interest' }],
  };
  const r = solveAssignmentNetwork(problem);
  const slot = (id: string) => r.slots.find((s) => s.slotId === id)!;

  it('says who and why for filled slots', () => {
    expect(slot('lab').assigned[0]).toMatchObject({
      personId: 'ann',
      score: 70,
      parts: [
        { name: 'skill', value: 60 },
        { name: 'travel', value: 10 },
      ],
    });
    expect(slot('desk').assigned[0]!.personId).toBe('bo');
  });

  it('names the funnel stage when nobody is eligible', () => {
    expect(slot('vet').unfilled).toMatchObject({ code: 'no-candidates', stage: { reason: 'specialty' } });
    expect(slot('vet').unfilled!.message).toMatch(/animal quarantine/);
  });

  it('names the stage that left too few people (all others on leave)', () => {
    expect(slot('lab').filled).toBe(1);
    expect(slot('lab').unfilled).toMatchObject({ code: 'too-few-candidates', stage: { reason: 'on-leave', remaining: 1 } });
  });

  it('says where the candidate went when taken elsewhere', () => {
    expect(slot('gate').unfilled).toMatchObject({ code: 'taken-elsewhere', takenBy: [{ personId: 'bo', slotId: 'desk' }] });
    expect(slot('gate').nextBest).toMatchObject({ personId: 'bo', assignedTo: ['desk'] });
  });

  it('reports forbidden pairs', () => {
    expect(slot('legal').unfilled).toMatchObject({ code: 'all-forbidden' });
  });

  it('leaves non-positive seats open in score mode and says so', () => {
    const r2 = solveAssignmentNetwork({
      people: [{ id: 'a' }],
      slots: [{ id: 'X' }],
      candidates: [{ personId: 'a', slotId: 'X', score: -3 }],
      fill: 'score',
    });
    expect(r2.objective.filled).toBe(0);
    expect(r2.slots[0]!.unfilled!.code).toBe('not-worth-filling');
  });
});
