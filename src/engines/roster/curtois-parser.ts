// Reader for the Curtois & Qu shift scheduling benchmark format (schedulingbenchmarks.org).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { RosterInstance, ShiftType, StaffMember, CoverRequirement, ShiftRequest } from './types.js';

/** The benchmark has a single implicit skill; every member has it. */
export const CURTOIS_SKILL = 'any';

export class RosterParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'RosterParseError';
  }
}

type Line = { no: number; text: string };

const SECTIONS = [
  'SECTION_HORIZON',
  'SECTION_SHIFTS',
  'SECTION_STAFF',
  'SECTION_DAYS_OFF',
  'SECTION_SHIFT_ON_REQUESTS',
  'SECTION_SHIFT_OFF_REQUESTS',
  'SECTION_COVER',
] as const;
type SectionName = (typeof SECTIONS)[number];

export function readCurtoisFile(path: string): RosterInstance {
  return parseCurtois(readFileSync(path, 'utf8'), basename(path));
}

export function parseCurtois(text: string, file = '<input>'): RosterInstance {
  const fail = (no: number, detail: string): never => {
    throw new RosterParseError(file, no, detail);
  };
  const sections = new Map<SectionName, { header: number; lines: Line[] }>();
  let current: { header: number; lines: Line[] } | null = null;
  const rawLines = text.split(/\r?\n/);
  rawLines.forEach((raw, i) => {
    const no = i + 1;
    const t = raw.trim();
    if (t.startsWith('#')) return;
    if (t === '') {
      current = null;
      return;
    }
    if (t.startsWith('SECTION_')) {
      if (!(SECTIONS as readonly string[]).includes(t)) fail(no, `unknown section "${t}", expected one of ${SECTIONS.join(', ')}`);
      const name = t as SectionName;
      if (sections.has(name)) fail(no, `section ${name} appears twice`);
      current = { header: no, lines: [] };
      sections.set(name, current);
      return;
    }
    if (!current) fail(no, `expected a SECTION_ header or a comment, got "${t}"`);
    current!.lines.push({ no, text: t });
  });
  const section = (name: SectionName, required = true): Line[] => {
    const s = sections.get(name);
    if (!s) {
      if (required) fail(rawLines.length, `missing section ${name}`);
      return [];
    }
    return s.lines;
  };
  const int = (l: Line, field: string, what: string, min = 0): number => {
    if (!/^-?\d+$/.test(field)) fail(l.no, `expected ${what} as an integer, got "${field}"`);
    const v = Number(field);
    if (v < min) fail(l.no, `expected ${what} ≥ ${min}, got ${v}`);
    return v;
  };
  const fields = (l: Line, min: number, what: string): string[] => {
    const f = l.text.split(',').map((x) => x.trim());
    if (f.length < min) fail(l.no, `expected ${min} comma-separated fields (${what}), got ${f.length}`);
    return f;
  };

  const horizonLines = section('SECTION_HORIZON');
  const hl = horizonLines[0];
  if (!hl) return fail(sections.get('SECTION_HORIZON')!.header, 'expected the horizon length in days after SECTION_HORIZON');
  if (horizonLines.length > 1) fail(horizonLines[1]!.no, 'expected a single number in SECTION_HORIZON');
  const horizonDays = int(hl, hl.text, 'horizon length in days', 1);

  const shifts: ShiftType[] = [];
  const shiftIds = new Set<string>();
  const shiftLines = section('SECTION_SHIFTS');
  for (const l of shiftLines) {
    const f = fields(l, 2, 'ShiftID, LengthInMins, forbidden successors');
    const id = f[0]!;
    if (!id) fail(l.no, 'expected a shift id');
    if (shiftIds.has(id)) fail(l.no, `duplicate shift id "${id}"`);
    shiftIds.add(id);
    const forbidden = (f[2] ?? '')
      .split('|')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    shifts.push({ id, lengthMinutes: int(l, f[1]!, 'shift length in minutes', 1), forbiddenNext: forbidden });
  }
  if (shifts.length === 0) fail(sections.get('SECTION_SHIFTS')!.header, 'expected at least one shift');
  for (const l of shiftLines) {
    const f = fields(l, 2, '');
    for (const n of (f[2] ?? '')
      .split('|')
      .map((x) => x.trim())
      .filter((x) => x !== '')) {
      if (!shiftIds.has(n)) fail(l.no, `unknown shift "${n}" in forbidden successors, expected one of ${[...shiftIds].join(', ')}`);
    }
  }
  const shiftOf = (l: Line, id: string): string => {
    if (!shiftIds.has(id)) fail(l.no, `unknown shift "${id}", expected one of ${[...shiftIds].join(', ')}`);
    return id;
  };
  const dayOf = (l: Line, field: string): number => {
    const d = int(l, field, 'a day index', 0);
    if (d >= horizonDays) fail(l.no, `day ${d} is outside the horizon of ${horizonDays} days`);
    return d;
  };

  const staff: StaffMember[] = [];
  const staffIndex = new Map<string, number>();
  for (const l of section('SECTION_STAFF')) {
    const f = fields(
      l,
      8,
      'ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends',
    );
    if (f.length > 8) fail(l.no, `expected 8 fields in a staff line, got ${f.length}`);
    const id = f[0]!;
    if (staffIndex.has(id)) fail(l.no, `duplicate staff id "${id}"`);
    const maxShifts: Record<string, number> = {};
    for (const part of f[1]!.split('|').filter((x) => x.trim() !== '')) {
      const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(part);
      if (!m) fail(l.no, `expected MaxShifts entries as ShiftID=count, got "${part}"`);
      maxShifts[shiftOf(l, m![1]!)] = int(l, m![2]!, `max shifts of ${m![1]}`);
    }
    staffIndex.set(id, staff.length);
    staff.push({
      id,
      skills: [CURTOIS_SKILL],
      maxShifts,
      maxMinutes: int(l, f[2]!, 'MaxTotalMinutes'),
      minMinutes: int(l, f[3]!, 'MinTotalMinutes'),
      maxConsecutiveShifts: int(l, f[4]!, 'MaxConsecutiveShifts'),
      minConsecutiveShifts: int(l, f[5]!, 'MinConsecutiveShifts'),
      minConsecutiveDaysOff: int(l, f[6]!, 'MinConsecutiveDaysOff'),
      maxWeekends: int(l, f[7]!, 'MaxWeekends'),
      daysOff: [],
    });
  }
  if (staff.length === 0) fail(sections.get('SECTION_STAFF')!.header, 'expected at least one staff line');
  const memberOf = (l: Line, id: string): StaffMember => {
    const i = staffIndex.get(id);
    if (i === undefined) return fail(l.no, `unknown staff id "${id}"`);
    return staff[i]!;
  };

  for (const l of section('SECTION_DAYS_OFF', false)) {
    const f = fields(l, 1, 'EmployeeID, day, day, …');
    const m = memberOf(l, f[0]!);
    for (const x of f.slice(1)) if (x !== '') m.daysOff.push(dayOf(l, x));
  }

  const requests = (name: SectionName): ShiftRequest[] =>
    section(name, false).map((l) => {
      const f = fields(l, 4, 'EmployeeID, Day, ShiftID, Weight');
      if (f.length > 4) fail(l.no, `expected 4 fields (EmployeeID, Day, ShiftID, Weight), got ${f.length}`);
      return { staffId: memberOf(l, f[0]!).id, day: dayOf(l, f[1]!), shiftId: shiftOf(l, f[2]!), weight: int(l, f[3]!, 'request weight') };
    });
  const onRequests = requests('SECTION_SHIFT_ON_REQUESTS');
  const offRequests = requests('SECTION_SHIFT_OFF_REQUESTS');

  const cover: CoverRequirement[] = [];
  const seen = new Set<string>();
  for (const l of section('SECTION_COVER')) {
    const f = fields(l, 5, 'Day, ShiftID, Requirement, WeightUnder, WeightOver');
    if (f.length > 5) fail(l.no, `expected 5 fields (Day, ShiftID, Requirement, WeightUnder, WeightOver), got ${f.length}`);
    const day = dayOf(l, f[0]!);
    const shiftId = shiftOf(l, f[1]!);
    const key = `${day}/${shiftId}`;
    if (seen.has(key)) fail(l.no, `duplicate cover for day ${day} shift ${shiftId}`);
    seen.add(key);
    cover.push({
      day,
      shiftId,
      skill: CURTOIS_SKILL,
      requirement: int(l, f[2]!, 'cover requirement'),
      weightUnder: int(l, f[3]!, 'weight for under cover'),
      weightOver: int(l, f[4]!, 'weight for over cover'),
    });
  }

  return {
    name: file.replace(/\.txt$/, ''),
    horizonDays,
    firstWeekday: 0,
    shifts,
    skills: [CURTOIS_SKILL],
    staff,
    cover,
    onRequests,
    offRequests,
  };
}
