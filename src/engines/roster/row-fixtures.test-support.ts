// Shared by the exact-move tests (row-dp.test.ts, row-milp.test.ts): a 3-member, 8-day instance
// small enough to enumerate every row of one member (3^8 rows).
import { createRng, randInt } from './prng.js';
import type { RosterInstance, StaffMember } from './types.js';

export function smallRowInstance(seed: number): RosterInstance {
  const rng = createRng(seed);
  const D = 8;
  const member = (id: string, over: Partial<StaffMember>): StaffMember => ({
    id,
    skills: ['any'],
    maxShifts: { E: 9, L: 9, N: 2 },
    maxMinutes: 6 * 480,
    minMinutes: 3 * 480,
    maxConsecutiveShifts: 3,
    minConsecutiveShifts: 2,
    minConsecutiveDaysOff: 2,
    maxWeekends: 1,
    daysOff: [],
    ...over,
  });
  return {
    horizonDays: D,
    firstWeekday: 2,
    shifts: [
      { id: 'E', lengthMinutes: 480, forbiddenNext: [] },
      { id: 'L', lengthMinutes: 480, forbiddenNext: ['E'] },
      { id: 'N', lengthMinutes: 600, forbiddenNext: ['E', 'L'] },
    ],
    skills: ['any'],
    staff: [member('A', { daysOff: [4] }), member('B', { maxShifts: { E: 2, L: 9, N: 0 } }), member('C', {})],
    cover: ['E', 'L', 'N'].flatMap((shiftId) =>
      Array.from({ length: D }, (_, day) => ({ day, shiftId, skill: 'any', requirement: randInt(rng, 2), weightUnder: 10, weightOver: 1 })),
    ),
    onRequests: Array.from({ length: 6 }, () => ({
      staffId: 'ABC'[randInt(rng, 3)]!,
      day: randInt(rng, D),
      shiftId: 'EL'[randInt(rng, 2)]!,
      weight: 1 + randInt(rng, 3),
    })),
    offRequests: Array.from({ length: 4 }, () => ({ staffId: 'ABC'[randInt(rng, 3)]!, day: randInt(rng, D), shiftId: 'N', weight: 2 })),
  };
}
