// Each rule on a tiny instance whose optimum is known by hand and confirmed by enumerating
// every roster with the evaluator; the solver must reach it and agree with the evaluator.
import { describe, expect, it } from 'vitest';
import { evaluateRoster } from './evaluator.js';
import { solveRoster } from './solver.js';
import type { CoverRequirement, RosterCell, RosterInstance, ShiftType, StaffMember, Score } from './types.js';

const D_SHIFT: ShiftType = { id: 'D', startMinute: 8 * 60, lengthMinutes: 480, forbiddenNext: [] };

function member(id: string, over: Partial<StaffMember> = {}): StaffMember {
  return {
    id,
    skills: ['s'],
    maxShifts: {},
    maxMinutes: 100_000,
    minMinutes: 0,
    maxConsecutiveShifts: 99,
    minConsecutiveShifts: 1,
    minConsecutiveDaysOff: 1,
    maxWeekends: 99,
    daysOff: [],
    ...over,
  };
}

function cover(day: number, requirement: number, weightUnder: number, weightOver: number, shiftId = 'D', skill = 's'): CoverRequirement {
  return { day, shiftId, skill, requirement, weightUnder, weightOver };
}

function tiny(over: Partial<RosterInstance>): RosterInstance {
  return {
    horizonDays: 3,
    firstWeekday: 0,
    shifts: [D_SHIFT],
    skills: ['s'],
    staff: [member('A')],
    cover: [],
    onRequests: [],
    offRequests: [],
    ...over,
  };
}

/** Lexicographic optimum over every roster (only for a few thousand cells' worth of choices). */
function bruteForce(inst: RosterInstance): Score {
  const options: RosterCell[][] = inst.staff.map((m) => [
    null,
    ...inst.shifts.flatMap((s) => m.skills.map((k) => ({ shiftId: s.id, skill: k }))),
  ]);
  const E = inst.staff.length;
  const D = inst.horizonDays;
  const idx = new Array<number>(E * D).fill(0);
  let best: Score = { hard: Infinity, soft: Infinity };
  for (;;) {
    const cells = inst.staff.map((_, e) => Array.from({ length: D }, (_, d) => options[e]![idx[e * D + d]!]!));
    const s = evaluateRoster(inst, { cells });
    if (s.hard < best.hard || (s.hard === best.hard && s.soft < best.soft)) best = { hard: s.hard, soft: s.soft };
    let k = 0;
    while (k < idx.length) {
      const e = Math.floor(k / D);
      idx[k]!++;
      if (idx[k]! < options[e]!.length) break;
      idx[k] = 0;
      k++;
    }
    if (k === idx.length) return best;
  }
}

async function expectOptimum(inst: RosterInstance, soft: number): Promise<void> {
  expect(bruteForce(inst)).toEqual({ hard: 0, soft });
  const res = await solveRoster(inst, { seed: 3, threads: 1, maxIterations: 100_000 });
  expect(res.score).toEqual({ hard: 0, soft });
  const check = evaluateRoster(inst, res.roster);
  expect({ hard: check.hard, soft: check.soft }).toEqual(res.score);
  expect(res.violations).toEqual(check.violations);
}

const everyDay = (days: number, req: number, under: number, overW: number): CoverRequirement[] =>
  Array.from({ length: days }, (_, d) => cover(d, req, under, overW));

describe('roster constraints (tiny instances, known optimum)', () => {
  it('cover: under and over weights', async () => {
    await expectOptimum(tiny({ horizonDays: 2, staff: [member('A'), member('B')], cover: [cover(0, 3, 10, 1), cover(1, 0, 10, 4)] }), 10);
  });

  it('max consecutive shifts', async () => {
    await expectOptimum(tiny({ horizonDays: 5, staff: [member('A', { maxConsecutiveShifts: 2 })], cover: everyDay(5, 1, 10, 1) }), 10);
  });

  it('min consecutive shifts (runs at the horizon edge exempt)', async () => {
    const c = [cover(0, 0, 0, 3), cover(1, 0, 0, 3), cover(2, 1, 10, 3), cover(3, 0, 0, 3), cover(4, 0, 0, 3)];
    await expectOptimum(tiny({ horizonDays: 5, staff: [member('A', { minConsecutiveShifts: 3 })], cover: c }), 6);
    // A lone shift on the first day touches the edge and is allowed.
    const edge = [cover(0, 1, 10, 3), cover(1, 0, 0, 3), cover(2, 0, 0, 3)];
    await expectOptimum(tiny({ horizonDays: 3, staff: [member('A', { minConsecutiveShifts: 3 })], cover: edge }), 0);
  });

  it('min consecutive days off', async () => {
    const c = [cover(0, 1, 10, 1), cover(1, 1, 10, 1), cover(2, 0, 10, 1), cover(3, 1, 10, 1), cover(4, 1, 10, 1)];
    await expectOptimum(tiny({ horizonDays: 5, staff: [member('A', { minConsecutiveDaysOff: 2 })], cover: c }), 1);
  });

  it('max weekends', async () => {
    // Day 0 is a Saturday, so days 0–1 and 7 fall on two weekends.
    const c = everyDay(8, 0, 0, 0);
    c[0] = cover(0, 1, 10, 0);
    c[7] = cover(7, 1, 10, 0);
    await expectOptimum(tiny({ horizonDays: 8, firstWeekday: 5, staff: [member('A', { maxWeekends: 1 })], cover: c }), 10);
  });

  it('fixed days off', async () => {
    await expectOptimum(tiny({ staff: [member('A', { daysOff: [1] })], cover: everyDay(3, 1, 10, 1) }), 10);
  });

  it('forbidden succession', async () => {
    const N: ShiftType = { id: 'N', lengthMinutes: 480, forbiddenNext: ['D'] };
    await expectOptimum(tiny({ horizonDays: 2, shifts: [D_SHIFT, N], cover: [cover(0, 1, 10, 1, 'N'), cover(1, 1, 7, 1, 'D')] }), 7);
  });

  it('minimum rest across midnight', async () => {
    const E: ShiftType = { id: 'E', startMinute: 6 * 60, lengthMinutes: 480, forbiddenNext: [] };
    const L: ShiftType = { id: 'L', startMinute: 14 * 60, lengthMinutes: 480, forbiddenNext: [] };
    const base = { horizonDays: 2, shifts: [E, L], cover: [cover(0, 1, 10, 1, 'L'), cover(1, 1, 7, 1, 'E')] };
    await expectOptimum(tiny({ ...base, minRestMinutes: 11 * 60 }), 7);
    await expectOptimum(tiny({ ...base, minRestMinutes: 8 * 60 }), 0);
  });

  it('max shifts per type', async () => {
    await expectOptimum(tiny({ staff: [member('A', { maxShifts: { D: 1 } })], cover: everyDay(3, 1, 10, 1) }), 20);
  });

  it('max and min total minutes', async () => {
    await expectOptimum(tiny({ staff: [member('A', { maxMinutes: 960 })], cover: everyDay(3, 1, 10, 1) }), 10);
    await expectOptimum(tiny({ staff: [member('A', { minMinutes: 960 })], cover: everyDay(3, 0, 0, 5) }), 10);
  });

  it('shift on and off requests', async () => {
    const on = [{ staffId: 'A', day: 0, shiftId: 'D', weight: 4 }];
    await expectOptimum(tiny({ horizonDays: 2, onRequests: on, cover: everyDay(2, 0, 0, 3) }), 3);
    await expectOptimum(tiny({ horizonDays: 2, offRequests: on, cover: everyDay(2, 1, 10, 3) }), 4);
  });

  it('cap on consecutive high-load days', async () => {
    const N: ShiftType = { id: 'N', startMinute: 22 * 60, lengthMinutes: 480, forbiddenNext: [], highLoad: true };
    const c = Array.from({ length: 4 }, (_, d) => cover(d, 1, 10, 1, 'N'));
    await expectOptimum(tiny({ horizonDays: 4, shifts: [N], staff: [member('A', { maxConsecutiveHighLoad: 2 })], cover: c }), 10);
  });

  it('fair spread of nights and weekends', async () => {
    const N: ShiftType = { id: 'N', startMinute: 22 * 60, lengthMinutes: 480, forbiddenNext: [], night: true };
    const c = Array.from({ length: 2 }, (_, d) => cover(d, 1, 10, 1, 'N'));
    await expectOptimum(
      tiny({ horizonDays: 2, shifts: [N], staff: [member('A'), member('B')], cover: c, fairness: { nights: 3, weekends: 0 } }),
      0,
    );
    // Two weekends to cover, one person has to work both unless they split.
    const w = everyDay(8, 0, 0, 0);
    w[0] = cover(0, 1, 10, 0);
    w[7] = cover(7, 1, 10, 0);
    const weekends = { horizonDays: 8, firstWeekday: 5, cover: w, fairness: { nights: 0, weekends: 4 } };
    await expectOptimum(tiny({ ...weekends, staff: [member('A'), member('B')] }), 0);
    await expectOptimum(tiny({ ...weekends, staff: [member('A')] }), 4);
  });

  it('pinned assignments cost a penalty per change', async () => {
    const pinned = [{ staffId: 'A', day: 0, shiftId: 'D', weight: 5 }];
    await expectOptimum(tiny({ horizonDays: 2, pinned, cover: everyDay(2, 0, 0, 2) }), 2);
    await expectOptimum(tiny({ horizonDays: 2, pinned: [{ ...pinned[0]!, weight: 1 }], cover: everyDay(2, 0, 0, 2) }), 1);
    const off = [{ staffId: 'A', day: 1, shiftId: null, weight: 6 }];
    await expectOptimum(tiny({ horizonDays: 2, pinned: off, cover: everyDay(2, 1, 5, 1) }), 5);
  });

  it('skills: cover is per skill and members work one skill at a time', async () => {
    const inst = tiny({
      horizonDays: 1,
      skills: ['a', 'b'],
      staff: [member('A', { skills: ['a', 'b'] }), member('B', { skills: ['b'] })],
      cover: [cover(0, 1, 10, 1, 'D', 'a'), cover(0, 1, 10, 1, 'D', 'b')],
    });
    await expectOptimum(inst, 0);
    const res = await solveRoster(inst, { seed: 1, threads: 1, maxIterations: 10_000 });
    expect(res.roster.cells[0]![0]).toEqual({ shiftId: 'D', skill: 'a' });
  });
});

describe('evaluateRoster', () => {
  it('lists each violation with its staff, days and penalty', () => {
    const inst = tiny({
      horizonDays: 5,
      staff: [member('A', { maxConsecutiveShifts: 2, daysOff: [4] })],
      cover: everyDay(5, 1, 10, 1),
      onRequests: [{ staffId: 'A', day: 3, shiftId: 'D', weight: 2 }],
    });
    const w = { shiftId: 'D', skill: 's' };
    const ev = evaluateRoster(inst, { cells: [[w, w, w, null, w]] });
    expect(ev.violations).toEqual(
      expect.arrayContaining([
        { constraint: 'day-off', level: 'hard', staffId: 'A', days: [4], penalty: 1 },
        { constraint: 'max-consecutive-shifts', level: 'hard', staffId: 'A', days: [0, 1, 2], penalty: 1 },
        { constraint: 'shift-on-request', level: 'soft', staffId: 'A', shiftId: 'D', days: [3], penalty: 2 },
        { constraint: 'cover-under', level: 'soft', shiftId: 'D', skill: 's', days: [3], penalty: 10 },
      ]),
    );
    expect(ev).toMatchObject({ hard: 2, soft: 12 });
  });

  it('exempts runs touching either horizon edge from the minimum-length rules, as the Curtois README states', () => {
    // README (SECTION_STAFF rules): "min consecutive shifts and min consecutive days off (a run
    // touching either edge of the horizon may be shorter)". Interior runs are not exempt.
    const inst = tiny({ horizonDays: 7, staff: [member('A', { minConsecutiveShifts: 3, minConsecutiveDaysOff: 3 })] });
    const w = { shiftId: 'D', skill: 's' };
    const kinds = (cells: RosterCell[]): string[] =>
      evaluateRoster(inst, { cells: [cells] })
        .violations.filter((v) => v.level === 'hard')
        .map((v) => `${v.constraint}:${v.days.join(',')}`);
    // Short work runs at both edges, long off run inside: no breach.
    expect(kinds([w, null, null, null, w, w, w].reverse())).toEqual([]);
    expect(kinds([w, null, null, null, null, null, w])).toEqual([]);
    // Short off runs at both edges: no breach either.
    expect(kinds([null, w, w, w, w, w, null])).toEqual([]);
    // The same short runs one day inside the horizon are breaches.
    expect(kinds([null, null, null, null, w, null, null])).toEqual(['min-consecutive-shifts:4']);
    expect(kinds([w, w, w, null, w, w, w])).toEqual(['min-consecutive-days-off:3']);
  });

  it('reports unknown shifts and missing skills as hard', () => {
    const inst = tiny({ horizonDays: 2 });
    const ev = evaluateRoster(inst, {
      cells: [
        [
          { shiftId: 'X', skill: 's' },
          { shiftId: 'D', skill: 'q' },
        ],
      ],
    });
    expect(ev.violations.map((v) => v.constraint)).toEqual(['unknown-shift', 'missing-skill']);
  });
});
