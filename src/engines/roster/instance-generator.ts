// Synthetic Muster-shaped instance for the roster benchmark: a transit hub whose hourly
// passenger curve (seeded) sets the cover of each shift and skill.
import { createRng, randInt } from './prng.js';
import type { CoverRequirement, RosterInstance, ShiftRequest, ShiftType, StaffMember } from './types.js';

export type GeneratorOptions = {
  seed: number;
  staff: number;
  days: number;
  skills: number;
  /** Share of staff capacity the cover asks for (below 1 leaves room for the rules). */
  load?: number;
};

/** Passengers per hour (0–23) on one day: morning and evening peaks, lighter weekends. */
export function passengerCurve(seed: number, day: number, firstWeekday = 0): number[] {
  const rng = createRng(seed * 7919 + day);
  const weekend = (firstWeekday + day) % 7 >= 5;
  const out: number[] = [];
  for (let h = 0; h < 24; h++) {
    const morning = Math.exp(-((h - 8) ** 2) / 4);
    const evening = Math.exp(-((h - 17.5) ** 2) / 6);
    const base = 0.15 + (weekend ? 0.5 * morning + 0.7 * evening : morning + 0.9 * evening) + 0.3 * Math.exp(-((h - 13) ** 2) / 10);
    out.push(Math.round(1000 * base * (0.9 + 0.2 * rng())));
  }
  return out;
}

export function generateRosterInstance(o: GeneratorOptions): RosterInstance {
  const rng = createRng(o.seed);
  const skills = Array.from({ length: o.skills }, (_, k) => `skill${k + 1}`);
  const shifts: ShiftType[] = [
    { id: 'E', startMinute: 6 * 60, lengthMinutes: 480, forbiddenNext: [] },
    { id: 'L', startMinute: 14 * 60, lengthMinutes: 480, forbiddenNext: [] },
    { id: 'N', startMinute: 22 * 60, lengthMinutes: 480, forbiddenNext: [], highLoad: true, night: true },
  ];
  const weeks = o.days / 7;
  const staff: StaffMember[] = [];
  const holders = new Array<number>(o.skills).fill(0);
  let capacityShifts = 0;
  for (let i = 0; i < o.staff; i++) {
    const own = new Set([randInt(rng, o.skills)]);
    if (rng() < 0.35) own.add(randInt(rng, o.skills));
    for (const k of own) holders[k]! += 1 / own.size;
    const partTime = rng() < 0.25;
    const maxShiftsTotal = Math.floor((partTime ? 3 : 5) * weeks);
    capacityShifts += maxShiftsTotal;
    const daysOff: number[] = [];
    for (let d = 0; d < o.days; d++) if (rng() < 0.03) daysOff.push(d);
    staff.push({
      id: `S${String(i + 1).padStart(4, '0')}`,
      skills: [...own].sort((a, b) => a - b).map((k) => skills[k]!),
      maxShifts: { N: Math.ceil(1.5 * weeks) },
      maxMinutes: maxShiftsTotal * 480,
      minMinutes: Math.floor(maxShiftsTotal * 0.6) * 480,
      maxConsecutiveShifts: 6,
      minConsecutiveShifts: 1,
      minConsecutiveDaysOff: 1,
      maxWeekends: Math.ceil(weeks * 0.75),
      daysOff,
      maxConsecutiveHighLoad: 3,
    });
  }
  // Spread demand over the shifts by the passengers each one sees, then scale it to the
  // requested share of staff capacity and split it over skills by how many hold each.
  const load = o.load ?? 0.8;
  const perShift: number[][] = [];
  let total = 0;
  for (let d = 0; d < o.days; d++) {
    const pax = passengerCurve(o.seed, d);
    const sum = (from: number, to: number): number => {
      let s = 0;
      for (let h = from; h < to; h++) s += pax[h % 24]!;
      return s;
    };
    const row = [sum(6, 14), sum(14, 22), sum(22, 30)];
    perShift.push(row);
    total += row.reduce((a, b) => a + b, 0);
  }
  const scale = (load * capacityShifts) / total;
  const holderTotal = holders.reduce((a, b) => a + b, 0);
  const cover: CoverRequirement[] = [];
  for (let d = 0; d < o.days; d++) {
    shifts.forEach((s, j) => {
      skills.forEach((k, ki) => {
        cover.push({
          day: d,
          shiftId: s.id,
          skill: k,
          requirement: Math.round(perShift[d]![j]! * scale * (holders[ki]! / holderTotal)),
          weightUnder: 30,
          weightOver: 2,
        });
      });
    });
  }
  const onRequests: ShiftRequest[] = [];
  const offRequests: ShiftRequest[] = [];
  for (const m of staff) {
    for (let r = 0; r < 3; r++) {
      const req = { staffId: m.id, day: randInt(rng, o.days), shiftId: shifts[randInt(rng, 3)]!.id, weight: 1 + randInt(rng, 3) };
      (rng() < 0.4 ? onRequests : offRequests).push(req);
    }
  }
  return {
    name: `generated-${o.staff}x${o.days}-seed${o.seed}`,
    horizonDays: o.days,
    firstWeekday: 0,
    shifts,
    skills,
    staff,
    cover,
    onRequests,
    offRequests,
    minRestMinutes: 11 * 60,
    fairness: { nights: 1, weekends: 2 },
  };
}
