import { Faker, base, vi, zh_CN } from '@faker-js/faker';
import { pinyin } from 'pinyin-pro';
import type { ECHELONS, EDUCATION_LEVELS, LANGUAGES, PERSON_STATUSES, TITLE_LEVELS, UNIT_KINDS } from '../../../contracts/vocab.js';
import { makeChineseNationalId } from '../national-id.js';
import {
  ADMINISTRATION,
  CERTIFICATES,
  CN_REGIONS,
  COLLEGES,
  COMMON_SURNAMES,
  DISTRICTS,
  GIVEN_FEMALE_CHARS,
  GIVEN_MALE_CHARS,
  GIVEN_NEUTRAL_CHARS,
  LEADERSHIP_POSITIONS,
  MAJORS,
  PROFESSIONAL_POSITIONS,
  SECONDARY_SCHOOLS,
  SECTION_POSTS,
  SECTION_SPECIALTIES,
  SECTION_WEIGHT,
  SPECIALTY_WEIGHTS,
  SUPPORT_KEYS,
  SUPPORT_POSITIONS,
  TITLE_FAMILY,
  TITLE_NAMES,
  UNIVERSITIES,
  VN_PROVINCES,
  type Grade,
  type LeadershipKey,
  type PositionCategory,
  type PositionTemplate,
  type SectionTemplate,
  type SectionType,
  type Specialty,
} from './agency-tables.js';
import { buildWeighted, createRandom, type Random, type WeightedTable } from './random.js';

type EducationLevel = (typeof EDUCATION_LEVELS)[number];
type TitleLevel = (typeof TITLE_LEVELS)[number];
type Echelon = (typeof ECHELONS)[number];
type Language = (typeof LANGUAGES)[number];
type PersonStatus = (typeof PERSON_STATUSES)[number];
type UnitKind = (typeof UNIT_KINDS)[number];

export type DemoOrganisation = {
  id: string;
  code: string;
  name: string;
  timeZone: string;
  defaultLocale: string;
  settings: { rotationYears: number };
};

export type DemoUnit = {
  id: string;
  orgId: string;
  parentId: string | null;
  path: string;
  depth: number;
  code: string;
  name: string;
  kind: UnitKind;
};

export type DemoPosition = {
  id: string;
  orgId: string;
  code: string;
  name: string;
  category: PositionCategory;
  grade: Grade;
  description: string;
};

export type DemoPerson = {
  id: string;
  orgId: string;
  personNo: string;
  fullName: string;
  nameLatin: string;
  gender: 'male' | 'female';
  birthDate: string;
  /** Plain text here; the seeder encrypts, hashes and masks it. */
  nationalId: string;
  unitId: string;
  homeUnitId: string;
  positionId: string;
  postSince: string;
  educationLevel: EducationLevel;
  specialties: Specialty[];
  titleLevel: TitleLevel;
  titleName: string | null;
  languages: Language[];
  echelon: Echelon;
  grade: Grade;
  status: PersonStatus;
  statusSince: string;
  phone: string;
  email: string;
};

export type DemoEducation = {
  orgId: string;
  personId: string;
  level: EducationLevel;
  institution: string;
  major: string | null;
  graduatedOn: string;
};

export type DemoCertification = {
  orgId: string;
  personId: string;
  code: Specialty;
  name: string;
  issuedOn: string;
  expiresOn: string | null;
};

/** Closed rows end the day before the next row starts (end dates are inclusive, like expiry dates). */
export type DemoAssignment = {
  orgId: string;
  personId: string;
  unitId: string;
  positionId: string;
  kind: 'regular' | 'secondment';
  startDate: string;
  endDate: string | null;
  note: string | null;
};

export type DemoStatusChange = {
  orgId: string;
  personId: string;
  status: PersonStatus;
  effectiveDate: string;
  reason: string;
};

export type DemoAgency = {
  seed: number;
  /** The date the data is generated relative to: ages, tenure and certificate expiry. */
  today: string;
  organisation: DemoOrganisation;
  units: DemoUnit[];
  positions: DemoPosition[];
  people: DemoPerson[];
  educations: DemoEducation[];
  certifications: DemoCertification[];
  assignments: DemoAssignment[];
  statusChanges: DemoStatusChange[];
};

export type GenerateAgencyOptions = {
  /** Headcount; default 5,000. */
  people?: number;
  /** Default 42. */
  seed?: number;
  /** YYYY-MM-DD; default today in Asia/Shanghai. Fix it when output must match across days. */
  today?: string;
};

export const DEMO_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_DEMO_PEOPLE = 5_000;
export const DEFAULT_DEMO_SEED = 42;
/** Leadership posts are capped at this share of the headcount so a small demo is not all chiefs. */
const MAX_LEADER_SHARE = 0.12;
/** Headcount per multiple of the section template; the default size keeps the template as is. */
const SECTION_SCALE_STEP = 5_000;

// Calendar arithmetic on day numbers (days since 1970-01-01) with Hinnant's civil-date formulas:
// the generator handles millions of dates and Date objects would dominate its run time.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
function civilFromDays(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}
const dayOf = (iso: string): number => daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
const isoCache = new Map<number, string>();
const isoOf = (day: number): string => {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    const [y, m, d] = civilFromDays(day);
    iso = `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
    isoCache.set(day, iso);
  }
  return iso;
};
/** Same calendar day `years` later; Feb 29 becomes Mar 1 in common years, close enough for demo data. */
const addYears = (day: number, years: number): number => {
  const [y, m, d] = civilFromDays(day);
  return daysFromCivil(y + years, m, d);
};
const yearOf = (day: number): number => civilFromDays(day)[0];

function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: DEMO_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

type SectionInfo = { unit: DemoUnit; type: SectionType; districtIndex: number };
type LeaderSlot = { key: LeadershipKey; unit: DemoUnit; minAge: number; districtIndex: number };

/**
 * Builds a whole demo agency as plain objects. Everything, ids included, comes from one seeded
 * stream, so the same seed, size and `today` give identical output.
 */
export function generateAgency(options: GenerateAgencyOptions = {}): DemoAgency {
  const size = options.people ?? DEFAULT_DEMO_PEOPLE;
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const today = options.today ?? todayInShanghai();
  if (!Number.isInteger(size) || size < 0) throw new Error(`people must be a non-negative integer, got ${size}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`today must be YYYY-MM-DD, got ${today}`);

  const rnd = createRandom(seed);
  const zhFaker = new Faker({ locale: [zh_CN, base], randomizer: rnd.randomizer });
  const viFaker = new Faker({ locale: [vi, base], randomizer: rnd.randomizer });
  const todayDay = dayOf(today);

  const organisation: DemoOrganisation = {
    id: rnd.uuid(),
    code: ADMINISTRATION.code,
    name: ADMINISTRATION.name,
    timeZone: DEMO_TIME_ZONE,
    defaultLocale: 'zh-CN',
    settings: { rotationYears: 5 },
  };
  const orgId = organisation.id;

  // ---- unit tree -------------------------------------------------------------------------------
  const units: DemoUnit[] = [];
  const addUnit = (parent: DemoUnit | null, code: string, name: string, kind: UnitKind): DemoUnit => {
    const id = rnd.uuid();
    const unit: DemoUnit = {
      id,
      orgId,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      code: parent ? `${parent.code}-${code}` : code,
      name,
      kind,
    };
    units.push(unit);
    return unit;
  };
  const root = addUnit(null, ADMINISTRATION.code, ADMINISTRATION.name, 'administration');
  // Sections hold 30–60 people at the default size; a larger agency gets more numbered sections
  // (查验一科 … 查验八科) rather than sections of a thousand, so unit-level queries stay realistic.
  const sectionScale = Math.max(1, Math.round(size / SECTION_SCALE_STEP));
  const districts: DemoUnit[] = [];
  const sites: { unit: DemoUnit; districtIndex: number }[] = [];
  const sections: SectionInfo[] = [];
  DISTRICTS.forEach((d, districtIndex) => {
    const district = addUnit(root, d.code, d.name, 'district');
    districts.push(district);
    for (const st of d.sites) {
      const site = addUnit(district, st.code, st.name, 'site');
      sites.push({ unit: site, districtIndex });
      for (const sec of scaleSections(st.sections, sectionScale)) {
        sections.push({ unit: addUnit(site, sec.code, sec.name, 'section'), type: sec.type, districtIndex });
      }
    }
  });
  const sectionTable = buildWeighted(sections.map((s) => [s, SECTION_WEIGHT[s.type]] as const));
  const sectionsByDistrict = districts.map((_, i) => sections.filter((s) => s.districtIndex === i));
  const sectionsOutside = districts.map((_, i) => sections.filter((s) => s.districtIndex !== i));

  // ---- positions -------------------------------------------------------------------------------
  const positions: DemoPosition[] = [];
  const addPosition = (t: PositionTemplate): DemoPosition => {
    const pos: DemoPosition = { id: rnd.uuid(), orgId, ...t };
    positions.push(pos);
    return pos;
  };
  const leaderPos = mapValues(LEADERSHIP_POSITIONS, addPosition);
  const profPos = mapValues(PROFESSIONAL_POSITIONS, addPosition);
  const supportPos = mapValues(SUPPORT_POSITIONS, addPosition);

  // ---- leadership slots, most senior first so a small demo still has its chiefs ---------------
  const slots: LeaderSlot[] = [];
  slots.push({ key: 'adminHead', unit: root, minAge: 48, districtIndex: -1 });
  districts.forEach((u, i) => slots.push({ key: 'districtHead', unit: u, minAge: 42, districtIndex: i }));
  for (const s of sections) slots.push({ key: 'sectionHead', unit: s.unit, minAge: 32, districtIndex: s.districtIndex });
  for (const s of sites) slots.push({ key: 'siteHead', unit: s.unit, minAge: 38, districtIndex: s.districtIndex });
  for (let i = 0; i < 4; i++) slots.push({ key: 'adminDeputy', unit: root, minAge: 45, districtIndex: -1 });
  districts.forEach((u, i) => {
    slots.push({ key: 'districtDeputy', unit: u, minAge: 40, districtIndex: i });
    slots.push({ key: 'districtDeputy', unit: u, minAge: 40, districtIndex: i });
  });
  for (const s of sections) {
    slots.push({ key: 'sectionDeputy', unit: s.unit, minAge: 29, districtIndex: s.districtIndex });
    if (SECTION_WEIGHT[s.type] >= 1.4) {
      slots.push({ key: 'sectionDeputy', unit: s.unit, minAge: 29, districtIndex: s.districtIndex });
    }
  }
  for (const s of sites) slots.push({ key: 'siteDeputy', unit: s.unit, minAge: 35, districtIndex: s.districtIndex });
  slots.length = Math.min(slots.length, Math.floor(size * MAX_LEADER_SHARE));

  // ---- base attributes first: leaders are then chosen among people old enough for the post ----
  const ageTable = buildWeighted(
    Array.from({ length: 39 }, (_, i) => {
      const age = 22 + i;
      const w = age < 25 ? 2.2 : age < 30 ? 3 : age < 40 ? 3.3 : age < 50 ? 3.2 : age < 56 ? 2.6 : 1.4;
      return [age, w] as const;
    }),
  );
  const ages = new Uint8Array(size);
  const vietnamese = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    ages[i] = rnd.weighted(ageTable);
    // Liaison officers and interpreters with Vietnamese names: search must fold their diacritics.
    vietnamese[i] = rnd.chance(0.03) ? 1 : 0;
  }
  const slotOf = new Int32Array(size).fill(-1);
  slots.forEach((slot, slotIndex) => {
    let chosen = -1;
    for (let attempt = 0; attempt < 200 && chosen < 0; attempt++) {
      const i = rnd.int(0, size - 1);
      if (slotOf[i] === -1 && !vietnamese[i] && ages[i]! >= slot.minAge) chosen = i;
    }
    // Tiny demos may lack anyone old enough: take the first free person rather than leave the post empty.
    for (let i = 0; chosen < 0 && i < size; i++) if (slotOf[i] === -1) chosen = i;
    if (chosen >= 0) slotOf[chosen] = slotIndex;
  });

  // ---- people ----------------------------------------------------------------------------------
  const people: DemoPerson[] = [];
  const educations: DemoEducation[] = [];
  const certifications: DemoCertification[] = [];
  const assignments: DemoAssignment[] = [];
  const statusChanges: DemoStatusChange[] = [];

  const surnameTable = buildWeighted(COMMON_SURNAMES);
  const regionTable = buildWeighted(CN_REGIONS);
  const universityTable = buildWeighted(UNIVERSITIES);
  const specialtyTable = buildWeighted(SPECIALTY_WEIGHTS);
  const echelonTable = buildWeighted<Echelon>([
    ['frontline', 55],
    ['reserve', 35],
    ['emergency', 10],
  ]);
  const usedIds = new Set<string>();
  const birthRange = new Map<number, [number, number]>();
  const latinCache = new Map<string, string>();
  // Surnames read as surnames (曾 → Zeng, 单 → Shan); given names with their ordinary reading.
  const toLatin = (han: string, part: 'surname' | 'given'): string => {
    const key = `${part}:${han}`;
    let v = latinCache.get(key);
    if (v === undefined) {
      const syllables = pinyin(han, { toneType: 'none', type: 'array', surname: part === 'surname' ? 'head' : 'off' });
      // ü is written yu in romanised names (吕 → Lyu), as on Chinese passports.
      v = capitalise(syllables.join('').replace(/ü/g, 'yu'));
      latinCache.set(key, v);
    }
    return v;
  };
  const ctx: PersonContext = { rnd, todayDay, sections, sectionsByDistrict, districts, sites, root, profPos, supportPos, leaderPos };

  for (let i = 0; i < size; i++) {
    const id = rnd.uuid();
    const age = ages[i]!;
    const isVietnamese = vietnamese[i] === 1;
    const gender: 'male' | 'female' = isVietnamese ? (rnd.chance(0.5) ? 'male' : 'female') : rnd.chance(0.62) ? 'male' : 'female';

    // Names: faker's locales for variety, weighted surname table so 陈/林/黄 dominate as in Fujian.
    let fullName: string;
    let nameLatin: string;
    if (isVietnamese) {
      fullName = `${viFaker.person.lastName()} ${viFaker.person.firstName(gender)}`;
      nameLatin = stripDiacritics(fullName);
    } else {
      const surname = rnd.chance(0.85) ? rnd.weighted(surnameTable) : zhFaker.person.lastName();
      const given = rnd.chance(0.4) ? zhFaker.person.firstName(gender) : composeGivenName(rnd, gender);
      fullName = surname + given;
      nameLatin = `${toLatin(surname, 'surname')} ${toLatin(given, 'given')}`;
    }

    let range = birthRange.get(age);
    if (!range) {
      range = [addYears(todayDay, -(age + 1)) + 1, addYears(todayDay, -age)];
      birthRange.set(age, range);
    }
    const birthDay = rnd.int(range[0], range[1]);
    const birthDate = isoOf(birthDay);

    let nationalId: string;
    do {
      nationalId = isVietnamese
        ? makeVietnameseCitizenId(rnd, gender, yearOf(birthDay))
        : makeChineseNationalId(rnd.weighted(regionTable), birthDate, rnd.int(0, 499) * 2 + (gender === 'male' ? 1 : 0));
    } while (usedIds.has(nationalId));
    usedIds.add(nationalId);

    // Placement and post.
    const slot = slotOf[i]! >= 0 ? slots[slotOf[i]!]! : null;
    const section = slot ? null : rnd.weighted(sectionTable);
    const homeUnit = slot ? slot.unit : section!.unit;
    const districtIndex = slot ? slot.districtIndex : section!.districtIndex;
    const sectionType: SectionType = section?.type ?? 'general';

    const specialties = drawSpecialties(rnd, SECTION_SPECIALTIES[sectionType], specialtyTable);
    const educationLevel = drawEducation(rnd, age);
    const titleLevel = drawTitle(rnd, age);
    const titleName = titleLevel === 'none' ? null : TITLE_NAMES[TITLE_FAMILY[specialties[0]!]][TITLE_LEVELS_ORDER.indexOf(titleLevel)]!;

    let position: DemoPosition;
    if (slot) position = leaderPos[slot.key];
    else if (isVietnamese && rnd.chance(0.8)) position = profPos.liaisonOfficer;
    else if (rnd.chance(sectionType === 'general' ? 0.4 : 0.05)) position = supportPos[rnd.pick(SUPPORT_KEYS)];
    else if (age >= 45 && (titleLevel === 'associate_senior' || titleLevel === 'senior') && rnd.chance(0.08)) {
      position = profPos.chiefExpert;
    } else position = profPos[rnd.pick(SECTION_POSTS[sectionType])];

    // Rank follows the post for leaders; other officials climb non-leading ranks with age.
    let grade: Grade;
    if (position.category === 'leadership' || position === profPos.chiefExpert) grade = position.grade;
    else if (position.category === 'support') grade = age >= 35 ? 'section_member' : 'clerk';
    else if (age < 27) grade = 'clerk';
    else if (age >= 45 && rnd.chance(0.06)) grade = 'section_head';
    else if (age >= 38 && rnd.chance(0.14)) grade = 'deputy_section_head';
    else grade = 'section_member';

    const languages: Language[] = isVietnamese ? ['vi', 'zh'] : ['zh'];
    if (rnd.chance(isVietnamese ? 0.4 : age < 40 ? 0.7 : 0.45)) languages.push('en');
    for (const [lang, p] of EXTRA_LANGUAGES) if (!languages.includes(lang) && rnd.chance(p)) languages.push(lang);

    const echelon = rnd.weighted(echelonTable);

    // Education history: highest degree, sometimes the one before it.
    const eduRows = buildEducation(rnd, educationLevel, specialties[0]!, birthDay, todayDay, universityTable);
    for (const e of eduRows) educations.push({ orgId, personId: id, ...e });
    const lastGraduation = dayOf(eduRows[eduRows.length - 1]!.graduatedOn);
    // Civil servants are hired at 18 at the earliest, whatever the school calendar says.
    const hireDay = Math.max(Math.min(lastGraduation + rnd.int(30, 540), todayDay - 14), addYears(birthDay, 18));

    // Secondment: the home unit keeps the person, another district's section directs the work.
    const seconded = !slot && todayDay - hireDay > 3 * 365 && rnd.chance(0.02);
    const onLeave = !seconded && rnd.chance(0.03);
    const secondStart = seconded ? todayDay - rnd.int(30, 900) : todayDay;
    const history = buildAssignments(ctx, {
      hireDay,
      horizon: secondStart,
      homeUnit,
      position,
      leaderKey: slot?.key ?? null,
      districtIndex,
      // A secondment adds one row; keep the whole history within four.
      maxRows: seconded ? 3 : 4,
    });
    let servingUnit = homeUnit;
    if (seconded) {
      const last = history[history.length - 1]!;
      last.end = secondStart - 1;
      const serving = rnd.pick(sectionsOutside[districtIndex]!);
      servingUnit = serving.unit;
      history.push({
        unit: serving.unit,
        position: profPos[rnd.pick(SECTION_POSTS[serving.type])],
        kind: 'secondment',
        start: secondStart,
        end: null,
        note: `借调至${serving.unit.name}`,
      });
    }
    for (const h of history) {
      assignments.push({
        orgId,
        personId: id,
        unitId: h.unit.id,
        positionId: h.position.id,
        kind: h.kind,
        startDate: isoOf(h.start),
        endDate: h.end === null ? null : isoOf(h.end),
        note: h.note,
      });
    }
    const postSince = isoOf(history[history.length - 1]!.start);

    // Status history: hired active; an earlier leave for some; the current status last.
    const statuses: { status: PersonStatus; day: number; reason: string }[] = [{ status: 'active', day: hireDay, reason: '录用' }];
    const statusHorizon = seconded ? secondStart : todayDay;
    if (statusHorizon - hireDay > 2 * 365 && rnd.chance(0.06)) {
      const from = rnd.int(hireDay + 180, statusHorizon - 400);
      statuses.push({ status: 'on_leave', day: from, reason: pickLeaveReason(rnd, gender, age) });
      statuses.push({ status: 'active', day: from + rnd.int(14, 180), reason: '销假返岗' });
    }
    let status: PersonStatus = 'active';
    if (seconded) {
      status = 'seconded';
      statuses.push({ status, day: secondStart, reason: `借调至${servingUnit.name}` });
    } else if (onLeave) {
      status = 'on_leave';
      const from = Math.max(hireDay + 1, todayDay - rnd.int(3, 200));
      statuses.push({ status, day: from, reason: pickLeaveReason(rnd, gender, age) });
    }
    for (const s of statuses) {
      statusChanges.push({ orgId, personId: id, status: s.status, effectiveDate: isoOf(s.day), reason: s.reason });
    }

    // Certifications: mostly in the person's specialties; some lapsed, some due within 90 days.
    const certCount = rnd.weighted(CERT_COUNT_TABLE);
    const certCodes = new Set<Specialty>();
    for (const sp of specialties) if (certCodes.size < certCount) certCodes.add(sp);
    while (certCodes.size < certCount) certCodes.add(rnd.weighted(specialtyTable));
    for (const code of certCodes) {
      const cert = CERTIFICATES[code];
      let issued: number;
      let expires: number | null = null;
      if (cert.validityYears === null) {
        issued = rnd.int(Math.max(lastGraduation - 365, hireDay - 730), todayDay - 30);
      } else {
        const r = rnd.next();
        expires =
          r < 0.1
            ? todayDay - rnd.int(1, 900)
            : r < 0.2
              ? todayDay + rnd.int(0, 90)
              : todayDay + rnd.int(91, cert.validityYears * 365 - 30);
        issued = addYears(expires, -cert.validityYears);
        // Work certificates are earned in service: a young officer's comes after hiring, and is valid.
        if (issued < hireDay) {
          issued = Math.min(hireDay + rnd.int(30, 365), todayDay - 1);
          expires = addYears(issued, cert.validityYears);
        }
      }
      certifications.push({
        orgId,
        personId: id,
        code,
        name: cert.name,
        issuedOn: isoOf(issued),
        expiresOn: expires === null ? null : isoOf(expires),
      });
    }

    const personNo = `${ADMINISTRATION.code}${String(i + 1).padStart(6, '0')}`;
    people.push({
      id,
      orgId,
      personNo,
      fullName,
      nameLatin,
      gender,
      birthDate,
      nationalId,
      unitId: servingUnit.id,
      homeUnitId: homeUnit.id,
      positionId: history[history.length - 1]!.position.id,
      postSince,
      educationLevel,
      specialties,
      titleLevel,
      titleName,
      languages,
      echelon,
      grade,
      status,
      statusSince: isoOf(statuses[statuses.length - 1]!.day),
      phone: `1${rnd.pick(PHONE_PREFIXES)}${String(rnd.int(0, 999_999_999)).padStart(9, '0')}`,
      email: `${personNo.toLowerCase()}@xiamen.customs.gov.cn`,
    });
  }

  return { seed, today, organisation, units, positions, people, educations, certifications, assignments, statusChanges };
}

// ---- helpers ------------------------------------------------------------------------------------

const TITLE_LEVELS_ORDER: readonly TitleLevel[] = ['junior', 'intermediate', 'associate_senior', 'senior'];
const EXTRA_LANGUAGES: readonly (readonly [Language, number])[] = [
  ['ja', 0.04],
  ['ko', 0.03],
  ['ru', 0.02],
  ['vi', 0.02],
  ['th', 0.015],
  ['fr', 0.01],
];
const PHONE_PREFIXES = ['3', '5', '7', '8', '9'] as const;
const CERT_COUNT_TABLE = buildWeighted<number>([
  [0, 25],
  [1, 40],
  [2, 25],
  [3, 10],
]);
const SPECIALTY_COUNT_TABLE = buildWeighted<number>([
  [1, 45],
  [2, 40],
  [3, 15],
]);

function mapValues<K extends string, V, R>(obj: Record<K, V>, fn: (v: V) => R): Record<K, R> {
  const out = {} as Record<K, R>;
  for (const k of Object.keys(obj) as K[]) out[k] = fn(obj[k]);
  return out;
}

const NUMERALS = '一二三四五六七八九十';

/** 1 → 一, 12 → 十二, 40 → 四十: section names count in Chinese numerals. */
function chineseNumeral(n: number): string {
  if (n <= 10) return NUMERALS[n - 1]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : NUMERALS[tens - 1]!}十${ones ? NUMERALS[ones - 1]! : ''}`;
}

/**
 * Repeats a site's line sections `scale` times and numbers them per kind of work (旅检一科, 旅检二科,
 * …); the general-affairs section stays single. At scale 1 the template comes back unchanged.
 */
function scaleSections(template: readonly SectionTemplate[], scale: number): SectionTemplate[] {
  if (scale <= 1) return [...template];
  const stems = new Map<string, SectionTemplate[]>();
  for (const t of template) {
    const stem = t.name.replace(/[一二三四五六七八九十]*科$/, '');
    stems.set(stem, [...(stems.get(stem) ?? []), t]);
  }
  const out: SectionTemplate[] = [];
  for (const [stem, group] of stems) {
    const copies = group.flatMap((t) => Array.from({ length: t.type === 'general' ? 1 : scale }, () => t));
    copies.forEach((t, i) => {
      out.push({
        code: String(out.length + 1).padStart(2, '0'),
        name: copies.length === 1 ? t.name : `${stem}${chineseNumeral(i + 1)}科`,
        type: t.type,
      });
    });
  }
  return out;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** 'Nguyễn Văn Đức' → 'Nguyen Van Duc': the romanised form keeps case, unlike the search column. */
function stripDiacritics(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

function composeGivenName(rnd: Random, gender: 'male' | 'female'): string {
  const own = gender === 'male' ? GIVEN_MALE_CHARS : GIVEN_FEMALE_CHARS;
  const one = (): string => rnd.pick(rnd.chance(0.7) ? own : GIVEN_NEUTRAL_CHARS);
  if (rnd.chance(0.2)) return rnd.pick(own);
  let a = one();
  let b = one();
  // A repeated character (like 丽丽) is rare among adults; redraw once.
  if (a === b) b = rnd.pick(own);
  if (a === b) a = rnd.pick(GIVEN_NEUTRAL_CHARS);
  return a + b;
}

/** Vietnamese 12-digit citizen ID: province, century-and-gender digit, year of birth, six digits. */
function makeVietnameseCitizenId(rnd: Random, gender: 'male' | 'female', birthYear: number): string {
  const centuryGender = (birthYear >= 2000 ? 2 : 0) + (gender === 'female' ? 1 : 0);
  return `${rnd.pick(VN_PROVINCES)}${centuryGender}${String(birthYear % 100).padStart(2, '0')}${String(rnd.int(0, 999_999)).padStart(6, '0')}`;
}

function drawSpecialties(rnd: Random, local: readonly Specialty[], global: WeightedTable<Specialty>): Specialty[] {
  const count = rnd.weighted(SPECIALTY_COUNT_TABLE);
  const out: Specialty[] = [rnd.chance(0.75) ? rnd.pick(local) : rnd.weighted(global)];
  for (let guard = 0; out.length < count && guard < 20; guard++) {
    const next = rnd.chance(0.5) ? rnd.pick(local) : rnd.weighted(global);
    if (!out.includes(next)) out.push(next);
  }
  return out;
}

/** Younger cohorts hold more master's degrees; older ones more college and secondary diplomas. */
function drawEducation(rnd: Random, age: number): EducationLevel {
  const r = rnd.next() * 100;
  let level: EducationLevel;
  if (age < 35) level = r < 5 ? 'college' : r < 63 ? 'bachelor' : r < 96 ? 'master' : 'doctorate';
  else if (age < 50) level = r < 2 ? 'secondary' : r < 16 ? 'college' : r < 78 ? 'bachelor' : r < 97 ? 'master' : 'doctorate';
  else level = r < 10 ? 'secondary' : r < 38 ? 'college' : r < 88 ? 'bachelor' : r < 98 ? 'master' : 'doctorate';
  // A degree needs the years to earn it before joining.
  if (level === 'doctorate' && age < 29) level = 'master';
  if (level === 'master' && age < 25) level = 'bachelor';
  return level;
}

function drawTitle(rnd: Random, age: number): TitleLevel {
  const r = rnd.next() * 100;
  if (age < 28) return r < 50 ? 'none' : 'junior';
  if (age < 36) return r < 25 ? 'none' : r < 65 ? 'junior' : r < 98 ? 'intermediate' : 'associate_senior';
  if (age < 46) return r < 20 ? 'none' : r < 30 ? 'junior' : r < 75 ? 'intermediate' : r < 97 ? 'associate_senior' : 'senior';
  return r < 20 ? 'none' : r < 25 ? 'junior' : r < 58 ? 'intermediate' : r < 90 ? 'associate_senior' : 'senior';
}

const GRADUATION_AGE: Record<EducationLevel, number> = {
  secondary: 18,
  college: 21,
  bachelor: 22,
  master: 25,
  doctorate: 28,
};
const PREVIOUS_DEGREE: Partial<Record<EducationLevel, [EducationLevel, number]>> = {
  doctorate: ['master', 0.95],
  master: ['bachelor', 0.9],
  bachelor: ['college', 0.15],
};

function buildEducation(
  rnd: Random,
  level: EducationLevel,
  specialty: Specialty,
  birthDay: number,
  todayDay: number,
  universities: WeightedTable<string>,
): Omit<DemoEducation, 'orgId' | 'personId'>[] {
  const birthYear = yearOf(birthDay);
  // Graduation on 1 July of the year the degree is normally finished, never later than two months ago.
  let gradYear = birthYear + GRADUATION_AGE[level] + (rnd.chance(0.3) ? 1 : 0);
  while (daysFromCivil(gradYear, 7, 1) > todayDay - 60) gradYear--;
  const institution = (l: EducationLevel): string =>
    l === 'secondary' ? rnd.pick(SECONDARY_SCHOOLS) : l === 'college' ? rnd.pick(COLLEGES) : rnd.weighted(universities);
  const major = (l: EducationLevel): string | null => (l === 'secondary' ? null : rnd.pick(MAJORS[specialty]));
  const rows: Omit<DemoEducation, 'orgId' | 'personId'>[] = [];
  const prev = PREVIOUS_DEGREE[level];
  if (prev && rnd.chance(prev[1])) {
    const prevYear = gradYear - (level === 'bachelor' ? 2 : 3);
    rows.push({ level: prev[0], institution: institution(prev[0]), major: major(prev[0]), graduatedOn: `${prevYear}-07-01` });
  }
  rows.push({ level, institution: institution(level), major: major(level), graduatedOn: `${gradYear}-07-01` });
  return rows;
}

function pickLeaveReason(rnd: Random, gender: 'male' | 'female', age: number): string {
  if (gender === 'female' && age < 40 && rnd.chance(0.4)) return '产假';
  return rnd.pick(['病假', '探亲假', '年休假', '脱产培训', '疗养休假']);
}

type PersonContext = {
  rnd: Random;
  todayDay: number;
  sections: SectionInfo[];
  sectionsByDistrict: SectionInfo[][];
  districts: DemoUnit[];
  sites: { unit: DemoUnit; districtIndex: number }[];
  root: DemoUnit;
  profPos: Record<keyof typeof PROFESSIONAL_POSITIONS, DemoPosition>;
  supportPos: Record<keyof typeof SUPPORT_POSITIONS, DemoPosition>;
  leaderPos: Record<LeadershipKey, DemoPosition>;
};

type HistoryRow = {
  unit: DemoUnit;
  position: DemoPosition;
  kind: 'regular' | 'secondment';
  start: number;
  end: number | null;
  note: string | null;
};

/** The post a leader most likely held before the current one: one rung down. */
const PREVIOUS_LEADER_POST: Record<LeadershipKey, LeadershipKey | null> = {
  adminHead: 'adminDeputy',
  adminDeputy: 'districtHead',
  districtHead: 'districtDeputy',
  districtDeputy: 'siteHead',
  siteHead: 'sectionHead',
  siteDeputy: 'sectionHead',
  sectionHead: 'sectionDeputy',
  sectionDeputy: null,
};
const LEADER_LEVEL: Record<LeadershipKey, 'administration' | 'district' | 'site' | 'section'> = {
  adminHead: 'administration',
  adminDeputy: 'administration',
  districtHead: 'district',
  districtDeputy: 'district',
  siteHead: 'site',
  siteDeputy: 'site',
  sectionHead: 'section',
  sectionDeputy: 'section',
};

const FIVE_YEARS = 5 * 365 + 2;

/**
 * Regular assignment history from hire until `horizon`: up to `maxRows` consecutive rows, the last
 * one open.
 * About one person in seven has held the current post for five years or more, which is what the
 * rotation rules look for.
 */
function buildAssignments(
  ctx: PersonContext,
  p: {
    hireDay: number;
    horizon: number;
    homeUnit: DemoUnit;
    position: DemoPosition;
    leaderKey: LeadershipKey | null;
    districtIndex: number;
    maxRows: number;
  },
): HistoryRow[] {
  const { rnd } = ctx;
  const service = p.horizon - p.hireDay;
  let currentStart = p.hireDay;
  if (service > 365) {
    const tenure =
      service > FIVE_YEARS + 30 && rnd.chance(0.15)
        ? rnd.int(FIVE_YEARS, Math.min(service, 14 * 365))
        : rnd.int(30, Math.min(service, FIVE_YEARS - 10));
    // Less than half a year before the current post is not worth a separate row.
    if (service - tenure >= 180) currentStart = p.horizon - tenure;
  }
  const rows: HistoryRow[] = [];
  const prior = currentStart - p.hireDay;
  if (prior > 0) {
    const count = Math.min(p.maxRows - 1, Math.max(1, Math.floor(prior / 365)), rnd.int(1, 3));
    const cuts = [p.hireDay];
    for (let k = 1; k < count; k++) cuts.push(rnd.int(p.hireDay + 90, currentStart - 90));
    cuts.sort((a, b) => a - b);
    cuts.push(currentStart);
    // Random cuts can land on top of each other; spread them evenly rather than emit empty rows.
    if (cuts.some((c, k) => k > 0 && c - cuts[k - 1]! < 60)) {
      for (let k = 1; k < count; k++) cuts[k] = p.hireDay + Math.round((prior * k) / count);
    }
    for (let k = 0; k < count; k++) {
      const isLast = k === count - 1;
      const previousLeader = isLast && p.leaderKey ? PREVIOUS_LEADER_POST[p.leaderKey] : null;
      let unit: DemoUnit;
      let position: DemoPosition;
      if (previousLeader) {
        unit = pickUnitAtLevel(ctx, LEADER_LEVEL[previousLeader], p.districtIndex);
        position = ctx.leaderPos[previousLeader];
      } else {
        const pool = rnd.chance(0.6) && p.districtIndex >= 0 ? ctx.sectionsByDistrict[p.districtIndex]! : ctx.sections;
        const sec = rnd.pick(pool);
        unit = sec.unit;
        position = ctx.profPos[rnd.pick(SECTION_POSTS[sec.type])];
      }
      rows.push({ unit, position, kind: 'regular', start: cuts[k]!, end: cuts[k + 1]! - 1, note: null });
    }
  }
  rows.push({ unit: p.homeUnit, position: p.position, kind: 'regular', start: currentStart, end: null, note: null });
  return rows;
}

function pickUnitAtLevel(ctx: PersonContext, level: 'administration' | 'district' | 'site' | 'section', districtIndex: number): DemoUnit {
  const { rnd } = ctx;
  const local = districtIndex >= 0 && rnd.chance(0.5);
  switch (level) {
    case 'administration':
      return ctx.root;
    case 'district':
      return local ? ctx.districts[districtIndex]! : rnd.pick(ctx.districts);
    case 'site': {
      const pool = local ? ctx.sites.filter((s) => s.districtIndex === districtIndex) : ctx.sites;
      return rnd.pick(pool.length ? pool : ctx.sites).unit;
    }
    case 'section':
      return rnd.pick(local ? ctx.sectionsByDistrict[districtIndex]! : ctx.sections).unit;
  }
}
