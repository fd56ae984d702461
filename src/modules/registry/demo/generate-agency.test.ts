import { describe, expect, it } from 'vitest';
import {
  ECHELONS,
  EDUCATION_LEVELS,
  GRADES,
  LANGUAGES,
  PERSON_STATUSES,
  POSITION_CATEGORIES,
  SPECIALTIES,
  TITLE_LEVELS,
} from '../../../contracts/vocab.js';
import { isValidNationalId } from '../national-id.js';
import { generateAgency, type DemoAgency } from './generate-agency.js';

const TODAY = '2025-06-15';
const DAY = 86_400_000;
const days = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY;

function ageOn(birth: string, on: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = on.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

describe('generateAgency', () => {
  const agency: DemoAgency = generateAgency({ people: 4_000, seed: 7, today: TODAY });

  it('gives identical output for the same seed, size and date', () => {
    const a = generateAgency({ people: 300, seed: 11, today: TODAY });
    const b = generateAgency({ people: 300, seed: 11, today: TODAY });
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('gives different people for a different seed', () => {
    const a = generateAgency({ people: 50, seed: 1, today: TODAY });
    const b = generateAgency({ people: 50, seed: 2, today: TODAY });
    expect(b.people.map((p) => p.fullName)).not.toEqual(a.people.map((p) => p.fullName));
  });

  it('builds a four-level customs tree with consistent materialised paths', () => {
    const byId = new Map(agency.units.map((u) => [u.id, u]));
    const roots = agency.units.filter((u) => u.parentId === null);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ name: '厦门海关', kind: 'administration', depth: 0, path: `/${roots[0]!.id}/` });
    for (const u of agency.units) {
      if (!u.parentId) continue;
      const parent = byId.get(u.parentId)!;
      expect(u.path).toBe(`${parent.path}${u.id}/`);
      expect(u.depth).toBe(parent.depth + 1);
    }
    const kindsByDepth = [...groupBy(agency.units, (u) => String(u.depth))].map(([d, us]) => [d, [...new Set(us.map((u) => u.kind))]]);
    expect(Object.fromEntries(kindsByDepth)).toEqual({ 0: ['administration'], 1: ['district'], 2: ['site'], 3: ['section'] });
    const districts = agency.units.filter((u) => u.kind === 'district');
    expect(districts.length).toBeGreaterThanOrEqual(8);
    const names = agency.units.map((u) => u.name);
    expect(names).toEqual(expect.arrayContaining(['东渡海关', '高崎机场海关', '旅检一科']));
    expect(new Set(agency.units.map((u) => u.code)).size).toBe(agency.units.length);
    expect(agency.organisation).toMatchObject({ name: '厦门海关', timeZone: 'Asia/Shanghai' });
  });

  it('adds numbered sections for a large agency instead of swelling the sections', () => {
    const big = generateAgency({ people: 20_000, seed: 5, today: TODAY });
    const sections = (a: DemoAgency) => a.units.filter((u) => u.kind === 'section');
    expect(sections(big).length).toBeGreaterThan(3 * sections(agency).length);
    const perSection = big.people.length / sections(big).length;
    expect(perSection).toBeGreaterThan(20);
    expect(perSection).toBeLessThan(100);
    expect(new Set(big.units.map((u) => u.code)).size).toBe(big.units.length);
    for (const siblings of groupBy(big.units, (u) => u.parentId ?? '').values()) {
      expect(new Set(siblings.map((u) => u.name)).size).toBe(siblings.length);
    }
    expect(big.units.map((u) => u.name)).toEqual(expect.arrayContaining(['旅检八科', '查验四科']));
    expect(Math.max(...big.units.map((u) => u.depth))).toBe(3);
  });

  it('has a position catalogue of about thirty posts with codes, categories and grades', () => {
    expect(agency.positions.length).toBeGreaterThanOrEqual(28);
    expect(agency.positions.length).toBeLessThanOrEqual(40);
    expect(new Set(agency.positions.map((p) => p.code)).size).toBe(agency.positions.length);
    for (const p of agency.positions) {
      expect(POSITION_CATEGORIES).toContain(p.category);
      expect(GRADES).toContain(p.grade);
    }
    expect(new Set(agency.positions.map((p) => p.category))).toEqual(new Set(POSITION_CATEGORIES));
  });

  it('makes people with valid, unique national IDs and staff numbers', () => {
    expect(agency.people).toHaveLength(4_000);
    expect(new Set(agency.people.map((p) => p.personNo)).size).toBe(4_000);
    expect(new Set(agency.people.map((p) => p.nationalId)).size).toBe(4_000);
    expect(agency.people[122]!.personNo).toBe('XM000123');
    for (const p of agency.people) {
      expect(p.personNo).toMatch(/^XM\d{6}$/);
      expect(isValidNationalId(p.nationalId)).toBe(true);
      if (p.nationalId.length === 18) {
        expect(p.nationalId.slice(6, 14)).toBe(p.birthDate.replace(/-/g, ''));
        expect(Number(p.nationalId[16]) % 2).toBe(p.gender === 'male' ? 1 : 0);
      }
    }
  });

  it('draws attributes from the shared vocabularies with a realistic shape', () => {
    const n = agency.people.length;
    const share = (pred: (p: DemoAgency['people'][number]) => boolean): number => agency.people.filter(pred).length / n;
    for (const p of agency.people) {
      const age = ageOn(p.birthDate, TODAY);
      expect(age).toBeGreaterThanOrEqual(22);
      expect(age).toBeLessThanOrEqual(60);
      expect(p.specialties.length).toBeGreaterThanOrEqual(1);
      expect(p.specialties.length).toBeLessThanOrEqual(3);
      expect(new Set(p.specialties).size).toBe(p.specialties.length);
      for (const s of p.specialties) expect(SPECIALTIES).toContain(s);
      for (const l of p.languages) expect(LANGUAGES).toContain(l);
      expect(EDUCATION_LEVELS).toContain(p.educationLevel);
      expect(TITLE_LEVELS).toContain(p.titleLevel);
      expect(p.titleName === null).toBe(p.titleLevel === 'none');
      expect(ECHELONS).toContain(p.echelon);
      expect(GRADES).toContain(p.grade);
      expect(PERSON_STATUSES).toContain(p.status);
      expect(p.status === 'seconded').toBe(p.unitId !== p.homeUnitId);
    }
    // Age pyramid: the middle cohorts outnumber the youngest and the oldest.
    expect(share((p) => ageOn(p.birthDate, TODAY) >= 30 && ageOn(p.birthDate, TODAY) < 50)).toBeGreaterThan(0.45);
    expect(share((p) => ageOn(p.birthDate, TODAY) >= 56)).toBeLessThan(0.12);
    expect(share((p) => p.gender === 'male')).toBeGreaterThan(0.5);
    expect(share((p) => p.educationLevel === 'bachelor')).toBeGreaterThan(0.4);
    expect(share((p) => p.status === 'active')).toBeGreaterThan(0.85);
    expect(share((p) => p.status === 'on_leave')).toBeGreaterThan(0.01);
    expect(share((p) => p.status === 'seconded')).toBeGreaterThan(0.005);
    expect(share((p) => p.echelon === 'emergency')).toBeGreaterThan(0.03);
    expect(share((p) => p.echelon === 'emergency')).toBeLessThan(share((p) => p.echelon === 'reserve'));
    // A few percent Vietnamese names, with diacritics in the name and none in the romanised form.
    const vietnamese = agency.people.filter((p) => /^[\p{Script=Latin} ]+$/u.test(p.fullName));
    expect(vietnamese.length / n).toBeGreaterThan(0.015);
    expect(vietnamese.length / n).toBeLessThan(0.06);
    expect(vietnamese.some((p) => p.fullName !== p.nameLatin)).toBe(true);
    for (const p of agency.people) expect(p.nameLatin).toMatch(/^[A-Za-z ]+$/);
  });

  it('puts the leaders at the heads of sections, sites and districts', () => {
    const unitById = new Map(agency.units.map((u) => [u.id, u]));
    const posById = new Map(agency.positions.map((p) => [p.id, p]));
    const leaders = agency.people.filter((p) => posById.get(p.positionId)!.category === 'leadership');
    expect(leaders.length / agency.people.length).toBeLessThanOrEqual(0.12);
    const byPost = groupBy(leaders, (p) => posById.get(p.positionId)!.name);
    const sections = agency.units.filter((u) => u.kind === 'section');
    expect(byPost.get('科长')!.length).toBe(sections.length);
    for (const p of byPost.get('科长')!) expect(unitById.get(p.homeUnitId)!.kind).toBe('section');
    for (const p of byPost.get('隶属海关关长')!) expect(unitById.get(p.homeUnitId)!.kind).toBe('district');
    expect(byPost.get('关长')).toHaveLength(1);
    for (const p of leaders) expect(p.grade).toBe(posById.get(p.positionId)!.grade);
  });

  it('writes consecutive assignment histories with one open post at the end', () => {
    const people = new Map(agency.people.map((p) => [p.id, p]));
    const byPerson = groupBy(agency.assignments, (a) => a.personId);
    expect(byPerson.size).toBe(agency.people.length);
    let longTenure = 0;
    for (const [personId, rows] of byPerson) {
      const p = people.get(personId)!;
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.length).toBeLessThanOrEqual(4);
      rows.forEach((r, i) => {
        const last = i === rows.length - 1;
        expect(r.endDate === null).toBe(last);
        if (!last) {
          expect(r.endDate! >= r.startDate).toBe(true);
          expect(days(rows[i + 1]!.startDate) - days(r.endDate!)).toBe(1);
        }
      });
      const open = rows[rows.length - 1]!;
      expect(open.unitId).toBe(p.unitId);
      expect(open.positionId).toBe(p.positionId);
      expect(open.startDate).toBe(p.postSince);
      expect(open.kind).toBe(p.status === 'seconded' ? 'secondment' : 'regular');
      expect(ageOn(p.birthDate, rows[0]!.startDate)).toBeGreaterThanOrEqual(18);
      expect(p.postSince <= TODAY).toBe(true);
      if (days(TODAY) - days(p.postSince) >= 5 * 365.25) longTenure++;
    }
    const share = longTenure / agency.people.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.18);
  });

  it('records education, status history and certifications, some lapsed and some about to', () => {
    const people = new Map(agency.people.map((p) => [p.id, p]));
    for (const [personId, rows] of groupBy(agency.educations, (e) => e.personId)) {
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.length).toBeLessThanOrEqual(2);
      expect(rows[rows.length - 1]!.level).toBe(people.get(personId)!.educationLevel);
    }
    expect(new Set(agency.educations.map((e) => e.personId)).size).toBe(agency.people.length);

    const firstPost = new Map<string, string>();
    for (const a of agency.assignments) if (!firstPost.has(a.personId)) firstPost.set(a.personId, a.startDate);
    for (const [personId, rows] of groupBy(agency.statusChanges, (s) => s.personId)) {
      const p = people.get(personId)!;
      expect(rows[0]).toMatchObject({ status: 'active', effectiveDate: firstPost.get(personId) });
      expect(rows.map((r) => r.effectiveDate)).toEqual([...rows.map((r) => r.effectiveDate)].sort());
      expect(rows[rows.length - 1]).toMatchObject({ status: p.status, effectiveDate: p.statusSince });
    }

    const certsByPerson = groupBy(agency.certifications, (c) => c.personId);
    for (const [personId, rows] of certsByPerson) {
      const hired = firstPost.get(personId)!;
      for (const c of rows) if (c.expiresOn !== null) expect(c.issuedOn >= hired).toBe(true);
    }
    for (const rows of certsByPerson.values()) expect(rows.length).toBeLessThanOrEqual(3);
    expect(certsByPerson.size).toBeLessThan(agency.people.length);
    const soon = days(TODAY) + 90;
    let expired = 0;
    let expiring = 0;
    for (const c of agency.certifications) {
      expect(SPECIALTIES).toContain(c.code);
      expect(c.issuedOn <= TODAY).toBe(true);
      if (c.expiresOn === null) continue;
      expect(c.expiresOn > c.issuedOn).toBe(true);
      if (c.expiresOn < TODAY) expired++;
      else if (days(c.expiresOn) <= soon) expiring++;
    }
    expect(expired / agency.certifications.length).toBeGreaterThan(0.03);
    expect(expiring / agency.certifications.length).toBeGreaterThan(0.03);
  });
});
