import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseCurtois, readCurtoisFile, RosterParseError } from './curtois-parser.js';

const DATA = new URL('../../../../shared/data/curtois/', import.meta.url);

const VALID = `# tiny
SECTION_HORIZON
7

SECTION_SHIFTS
D,480,
N,480,D

SECTION_STAFF
A,D=7|N=2,3360,960,5,1,1,1
B,D=7|N=2,3360,960,5,1,1,1

SECTION_DAYS_OFF
A,0,6

SECTION_SHIFT_ON_REQUESTS
B,2,D,2

SECTION_SHIFT_OFF_REQUESTS
A,3,N,1

SECTION_COVER
0,D,1,100,1
0,N,1,100,1
`;

function parseError(text: string): RosterParseError {
  try {
    parseCurtois(text, 'bad.txt');
  } catch (e) {
    if (e instanceof RosterParseError) return e;
    throw e;
  }
  throw new Error('expected a parse error');
}

describe('parseCurtois', () => {
  it('reads every section of a small file', () => {
    const inst = parseCurtois(VALID, 'tiny.txt');
    expect(inst.horizonDays).toBe(7);
    expect(inst.shifts).toEqual([
      { id: 'D', lengthMinutes: 480, forbiddenNext: [] },
      { id: 'N', lengthMinutes: 480, forbiddenNext: ['D'] },
    ]);
    expect(inst.staff[0]).toMatchObject({
      id: 'A',
      maxShifts: { D: 7, N: 2 },
      maxMinutes: 3360,
      minMinutes: 960,
      daysOff: [0, 6],
      maxWeekends: 1,
    });
    expect(inst.onRequests).toEqual([{ staffId: 'B', day: 2, shiftId: 'D', weight: 2 }]);
    expect(inst.offRequests).toEqual([{ staffId: 'A', day: 3, shiftId: 'N', weight: 1 }]);
    expect(inst.cover).toHaveLength(2);
  });

  it('reads Instance1 of the benchmark', () => {
    const inst = readCurtoisFile(new URL('Instance1.txt', DATA).pathname);
    expect(inst.name).toBe('Instance1');
    expect(inst.horizonDays).toBe(14);
    expect(inst.staff).toHaveLength(8);
    expect(inst.cover).toHaveLength(14);
  });

  it('reads every benchmark file without error', () => {
    for (const f of ['Instance10.txt', 'Instance24.txt']) {
      const inst = parseCurtois(readFileSync(new URL(f, DATA), 'utf8'), f);
      expect(inst.staff.length).toBeGreaterThan(0);
    }
  });

  const cases: Array<[string, (s: string) => string, number, RegExp]> = [
    ['a non-numeric horizon', (s) => s.replace('\n7\n', '\nseven\n'), 3, /horizon length in days as an integer, got "seven"/],
    ['a short staff line', (s) => s.replace('B,D=7|N=2,3360,960,5,1,1,1', 'B,D=7|N=2,3360'), 11, /expected 8 comma-separated fields/],
    ['a bad MaxShifts entry', (s) => s.replace('A,D=7|N=2', 'A,D:7|N=2'), 10, /MaxShifts entries as ShiftID=count, got "D:7"/],
    ['an unknown shift in cover', (s) => s.replace('0,N,1,100,1', '0,X,1,100,1'), 24, /unknown shift "X"/],
    ['a day outside the horizon', (s) => s.replace('A,0,6', 'A,0,9'), 14, /day 9 is outside the horizon of 7 days/],
    ['an unknown staff id', (s) => s.replace('B,2,D,2', 'Z,2,D,2'), 17, /unknown staff id "Z"/],
    ['an unknown section', (s) => s.replace('SECTION_COVER', 'SECTION_COVERS'), 22, /unknown section "SECTION_COVERS"/],
    ['data outside a section', (s) => s.replace('SECTION_HORIZON\n', ''), 2, /expected a SECTION_ header/],
    ['an unknown forbidden successor', (s) => s.replace('N,480,D', 'N,480,D|Q'), 7, /unknown shift "Q" in forbidden successors/],
  ];
  for (const [what, mutate, line, message] of cases) {
    it(`names file and line for ${what}`, () => {
      const err = parseError(mutate(VALID));
      expect(err.file).toBe('bad.txt');
      expect(err.line).toBe(line);
      expect(err.message).toMatch(new RegExp(`^bad\\.txt:${line}: `));
      expect(err.message).toMatch(message);
    });
  }

  it('reports a missing section', () => {
    const err = parseError(VALID.replace(/SECTION_COVER[\s\S]*$/, ''));
    expect(err.message).toMatch(/missing section SECTION_COVER/);
  });
});
