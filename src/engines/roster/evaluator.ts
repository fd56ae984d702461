// Reference scorer. Deliberately written apart from the solver's incremental scoring (plain
// maps and loops over the public model, no shared helpers) so each can check the other.
import type { Evaluation, RosterInstance, Roster, Violation, ShiftType } from './types.js';

export function isWeekendDay(instance: RosterInstance, day: number): boolean {
  const wd = ((instance.firstWeekday ?? 0) + day) % 7;
  return wd === 5 || wd === 6;
}

/** Consecutive rest in minutes between `a` on one day and `b` on the next. */
export function restBetween(a: ShiftType, b: ShiftType): number {
  return 1440 + (b.startMinute ?? 0) - ((a.startMinute ?? 0) + a.lengthMinutes);
}

export function evaluateRoster(instance: RosterInstance, roster: Roster): Evaluation {
  const D = instance.horizonDays;
  const shiftById = new Map(instance.shifts.map((s) => [s.id, s]));
  const violations: Violation[] = [];
  const hard = (v: Omit<Violation, 'level'>): void => {
    violations.push({ ...v, level: 'hard' });
  };
  const soft = (v: Omit<Violation, 'level'>): void => {
    if (v.penalty !== 0) violations.push({ ...v, level: 'soft' });
  };
  if (roster.cells.length !== instance.staff.length) {
    throw new Error(`roster has ${roster.cells.length} rows, instance has ${instance.staff.length} staff`);
  }
  const coverCount = new Map<string, number>();
  const shiftAt = (row: Roster['cells'][number], d: number): ShiftType | null => {
    const c = row[d];
    if (!c) return null;
    return shiftById.get(c.shiftId) ?? null;
  };

  instance.staff.forEach((m, e) => {
    const row = roster.cells[e]!;
    if (row.length !== D) throw new Error(`roster row of ${m.id} has ${row.length} days, horizon is ${D}`);
    const offDays = new Set(m.daysOff);
    const perShift = new Map<string, number[]>();
    let minutes = 0;
    const weekendsWorked = new Set<number>();
    let nights = 0;

    for (let d = 0; d < D; d++) {
      const c = row[d];
      if (!c) continue;
      const s = shiftById.get(c.shiftId);
      if (!s) {
        hard({ constraint: 'unknown-shift', staffId: m.id, shiftId: c.shiftId, days: [d], penalty: 1 });
        continue;
      }
      if (!m.skills.includes(c.skill) || !instance.skills.includes(c.skill)) {
        hard({ constraint: 'missing-skill', staffId: m.id, skill: c.skill, days: [d], penalty: 1 });
      }
      if (offDays.has(d)) hard({ constraint: 'day-off', staffId: m.id, days: [d], penalty: 1 });
      const list = perShift.get(s.id) ?? [];
      list.push(d);
      perShift.set(s.id, list);
      minutes += s.lengthMinutes;
      if (isWeekendDay(instance, d)) weekendsWorked.add(Math.floor(((instance.firstWeekday ?? 0) + d) / 7));
      if (s.night) nights++;
      const key = `${d}|${s.id}|${c.skill}`;
      coverCount.set(key, (coverCount.get(key) ?? 0) + 1);

      const next = d + 1 < D ? shiftAt(row, d + 1) : null;
      if (next) {
        if (s.forbiddenNext.includes(next.id)) {
          hard({ constraint: 'forbidden-succession', staffId: m.id, shiftId: `${s.id}>${next.id}`, days: [d, d + 1], penalty: 1 });
        } else if (instance.minRestMinutes !== undefined && restBetween(s, next) < instance.minRestMinutes) {
          hard({ constraint: 'min-rest', staffId: m.id, shiftId: `${s.id}>${next.id}`, days: [d, d + 1], penalty: 1 });
        }
      }
    }

    for (const [sid, days] of perShift) {
      const max = m.maxShifts[sid];
      if (max !== undefined && days.length > max) {
        hard({ constraint: 'max-shifts', staffId: m.id, shiftId: sid, days, penalty: days.length - max });
      }
    }
    const workedDays = row.flatMap((c, d) => (c && shiftById.has(c.shiftId) ? [d] : []));
    if (minutes > m.maxMinutes) {
      hard({ constraint: 'max-minutes', staffId: m.id, days: workedDays, penalty: Math.ceil((minutes - m.maxMinutes) / 60) });
    }
    if (minutes < m.minMinutes) {
      hard({ constraint: 'min-minutes', staffId: m.id, days: workedDays, penalty: Math.ceil((m.minMinutes - minutes) / 60) });
    }
    if (weekendsWorked.size > m.maxWeekends) {
      const days = workedDays.filter((d) => isWeekendDay(instance, d));
      hard({ constraint: 'max-weekends', staffId: m.id, days, penalty: weekendsWorked.size - m.maxWeekends });
    }

    // Maximal runs of equal "worked?" status; runs that touch the horizon's edges are exempt
    // from the minimum-length rules because the days outside are unknown.
    const runs = (pred: (d: number) => boolean): Array<[number, number]> => {
      const out: Array<[number, number]> = [];
      let start = -1;
      for (let d = 0; d <= D; d++) {
        const inRun = d < D && pred(d);
        if (inRun && start < 0) start = d;
        if (!inRun && start >= 0) {
          out.push([start, d - 1]);
          start = -1;
        }
      }
      return out;
    };
    const span = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    const worked = (d: number): boolean => shiftAt(row, d) !== null;
    for (const [a, b] of runs(worked)) {
      const len = b - a + 1;
      if (len > m.maxConsecutiveShifts) {
        hard({ constraint: 'max-consecutive-shifts', staffId: m.id, days: span(a, b), penalty: len - m.maxConsecutiveShifts });
      }
      if (a > 0 && b < D - 1 && len < m.minConsecutiveShifts) {
        hard({ constraint: 'min-consecutive-shifts', staffId: m.id, days: span(a, b), penalty: m.minConsecutiveShifts - len });
      }
    }
    for (const [a, b] of runs((d) => !worked(d))) {
      const len = b - a + 1;
      if (a > 0 && b < D - 1 && len < m.minConsecutiveDaysOff) {
        hard({ constraint: 'min-consecutive-days-off', staffId: m.id, days: span(a, b), penalty: m.minConsecutiveDaysOff - len });
      }
    }
    if (m.maxConsecutiveHighLoad !== undefined) {
      const cap = m.maxConsecutiveHighLoad;
      for (const [a, b] of runs((d) => shiftAt(row, d)?.highLoad === true)) {
        const len = b - a + 1;
        if (len > cap) hard({ constraint: 'max-consecutive-high-load', staffId: m.id, days: span(a, b), penalty: len - cap });
      }
    }
    if (instance.fairness) {
      const w = instance.fairness;
      soft({
        constraint: 'fair-nights',
        staffId: m.id,
        days: workedDays.filter((d) => shiftAt(row, d)?.night),
        penalty: (w.nights * nights * (nights - 1)) / 2,
      });
      const k = weekendsWorked.size;
      soft({
        constraint: 'fair-weekends',
        staffId: m.id,
        days: workedDays.filter((d) => isWeekendDay(instance, d)),
        penalty: (w.weekends * k * (k - 1)) / 2,
      });
    }
  });

  const staffRow = new Map(instance.staff.map((m, e) => [m.id, roster.cells[e]!]));
  for (const r of instance.onRequests) {
    const c = staffRow.get(r.staffId)?.[r.day];
    if (!c || c.shiftId !== r.shiftId) {
      soft({ constraint: 'shift-on-request', staffId: r.staffId, shiftId: r.shiftId, days: [r.day], penalty: r.weight });
    }
  }
  for (const r of instance.offRequests) {
    const c = staffRow.get(r.staffId)?.[r.day];
    if (c && c.shiftId === r.shiftId) {
      soft({ constraint: 'shift-off-request', staffId: r.staffId, shiftId: r.shiftId, days: [r.day], penalty: r.weight });
    }
  }
  for (const p of instance.pinned ?? []) {
    const c = staffRow.get(p.staffId)?.[p.day] ?? null;
    const same = p.shiftId === null ? c === null : c !== null && c.shiftId === p.shiftId && (p.skill === undefined || c.skill === p.skill);
    if (!same) soft({ constraint: 'pinned-change', staffId: p.staffId, shiftId: p.shiftId ?? undefined, days: [p.day], penalty: p.weight });
  }
  const coverSeen = new Set<string>();
  for (const c of instance.cover) {
    const key = `${c.day}|${c.shiftId}|${c.skill}`;
    if (coverSeen.has(key)) throw new Error(`duplicate cover requirement for day ${c.day}, shift ${c.shiftId}, skill ${c.skill}`);
    coverSeen.add(key);
    const x = coverCount.get(key) ?? 0;
    if (x < c.requirement) {
      soft({ constraint: 'cover-under', shiftId: c.shiftId, skill: c.skill, days: [c.day], penalty: (c.requirement - x) * c.weightUnder });
    } else if (x > c.requirement) {
      soft({ constraint: 'cover-over', shiftId: c.shiftId, skill: c.skill, days: [c.day], penalty: (x - c.requirement) * c.weightOver });
    }
  }

  let hardSum = 0;
  let softSum = 0;
  for (const v of violations) {
    if (v.level === 'hard') hardSum += v.penalty;
    else softSum += v.penalty;
  }
  return { hard: hardSum, soft: softSum, violations };
}
