import type { ZodType } from 'zod';
import type { ImportFieldKey } from '../../../contracts/import.js';
import { PersonFields } from '../../../contracts/person.js';
import {
  ECHELONS,
  EDUCATION_LEVELS,
  GENDERS,
  GRADES,
  LANGUAGES,
  PERSON_STATUSES,
  SPECIALTIES,
  TITLE_LEVELS,
} from '../../../contracts/vocab.js';
import { detailsFromZod } from '../../../server/errors.js';
import { isValidNationalId, normaliseNationalId } from '../national-id.js';
import { CATALOGUES, foldLabel } from './map-headers.js';
import { cellText, isBlank, type CellValue, type SheetRow } from './read-spreadsheet.js';

export const VOCABULARIES = {
  gender: GENDERS,
  educationLevel: EDUCATION_LEVELS,
  specialty: SPECIALTIES,
  titleLevel: TITLE_LEVELS,
  language: LANGUAGES,
  echelon: ECHELONS,
  grade: GRADES,
  status: PERSON_STATUSES,
} as const;
export type VocabularyName = keyof typeof VOCABULARIES;

/** Labels people type that the catalogue does not spell out. */
const EXTRA_LABELS: Partial<Record<VocabularyName, Record<string, string[]>>> = {
  gender: { male: ['m', '男性', 'nam giới'], female: ['f', '女性', 'nữ giới'] },
  educationLevel: {
    secondary: ['高中', '中专', '中專', 'THPT', 'high school'],
    college: ['专科', '大专', '大專', 'associate'],
    bachelor: ['大学本科', '学士', '大学', 'cử nhân', 'kỹ sư', 'university'],
    master: ['硕士', '研究生', 'thạc sỹ', 'masters'],
    doctorate: ['博士', 'tiến sỹ', 'phd', 'doctor'],
  },
  language: {
    zh: ['汉语', '中文', '普通话', 'Chinese'],
    en: ['英文'],
    vi: ['越南文'],
    ru: ['俄文'],
    ja: ['日文'],
    ko: ['韩文', '韓文', '朝鲜语'],
    fr: ['法文'],
    th: ['泰文'],
  },
};

/** Folded label or code → code, per vocabulary; a label that two codes share is dropped as ambiguous. */
const VOCAB_INDEX: Record<VocabularyName, Map<string, string>> = (() => {
  const out = {} as Record<VocabularyName, Map<string, string>>;
  for (const [name, codes] of Object.entries(VOCABULARIES) as [VocabularyName, readonly string[]][]) {
    const index = new Map<string, string>();
    const ambiguous = new Set<string>();
    const add = (label: string | undefined, code: string) => {
      const folded = label ? foldLabel(label) : '';
      if (!folded || ambiguous.has(folded)) return;
      const prev = index.get(folded);
      if (prev !== undefined && prev !== code) {
        index.delete(folded);
        ambiguous.add(folded);
      } else index.set(folded, code);
    };
    for (const code of codes) {
      add(code, code);
      for (const c of CATALOGUES) add(c.enums?.[name]?.[code], code);
      for (const extra of EXTRA_LABELS[name]?.[code] ?? []) add(extra, code);
    }
    out[name] = index;
  }
  return out;
})();

/** Cells repeat the same few labels across a file; folding each once keeps 100k-row files cheap. */
const VOCAB_CACHE = Object.fromEntries(Object.keys(VOCABULARIES).map((k) => [k, new Map<string, string | null>()])) as Record<
  VocabularyName,
  Map<string, string | null>
>;
const VOCAB_CACHE_MAX = 10_000;

export function lookupVocabulary(name: VocabularyName, text: string): string | null {
  const cache = VOCAB_CACHE[name];
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const code = VOCAB_INDEX[name].get(foldLabel(text)) ?? null;
  if (cache.size < VOCAB_CACHE_MAX) cache.set(text, code);
  return code;
}

/** A detail about one cell; `vocab` lets the report list the allowed labels in the reader's language. */
export type RowIssue = {
  row: number;
  column: string;
  field: string;
  value: string;
  reason: string;
  params?: Record<string, string | number>;
  vocab?: VocabularyName;
};

/** One valid row. Optional fields are present only when the column is mapped and the cell is not empty. */
export type ParsedPerson = {
  row: number;
  personNo: string;
  fullName: string;
  unitId: string;
  homeUnitId?: string;
  positionId?: string;
  nameLatin?: string;
  gender?: string;
  birthDate?: string;
  nationalId?: string;
  postSince?: string;
  educationLevel?: string;
  specialties?: string[];
  titleLevel?: string;
  titleName?: string;
  languages?: string[];
  echelon?: string;
  grade?: string;
  status?: string;
  phone?: string;
  email?: string;
};

export type MappedColumn = { field: ImportFieldKey; column: string; index: number };

export type RowLookups = {
  unitsByCode: ReadonlyMap<string, { id: string; path: string }>;
  positionsByCode: ReadonlyMap<string, string>;
  /** True when the actor may write people of the unit with this path. */
  canWriteUnit: (path: string) => boolean;
};

const TEXT_RULES: Partial<Record<ImportFieldKey, ZodType>> = {
  personNo: PersonFields.shape.personNo,
  fullName: PersonFields.shape.fullName,
  nameLatin: PersonFields.shape.nameLatin,
  titleName: PersonFields.shape.titleName,
  phone: PersonFields.shape.phone,
  email: PersonFields.shape.email,
};
const VOCAB_FIELDS: Partial<Record<ImportFieldKey, VocabularyName>> = {
  gender: 'gender',
  educationLevel: 'educationLevel',
  titleLevel: 'titleLevel',
  echelon: 'echelon',
  grade: 'grade',
  status: 'status',
};
const LIST_FIELDS: Partial<Record<ImportFieldKey, { vocab: VocabularyName; max: number }>> = {
  specialties: { vocab: 'specialty', max: 12 },
  languages: { vocab: 'language', max: 8 },
};
const LIST_SEPARATORS = /[;,、，；|\n]+/;
const REQUIRED: ImportFieldKey[] = ['personNo', 'fullName', 'unitCode'];

const DAY_MS = 86_400_000;
/** Day 0 of Excel's 1900 date system (it counts the fictitious 1900-02-29, hence the 30th). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

function isoFromParts(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > last) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Dates as offices write them: Excel date cells or serial numbers, YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD,
 * YYYY年M月D日, YYYYMMDD, and DD/MM/YYYY (Vietnamese order; never MM/DD). Returns YYYY-MM-DD or null.
 */
export function parseFlexibleDate(v: CellValue): string | null {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    // Rounds away the float noise of Excel serials stored as fractions of a day.
    const d = new Date(Math.round(v.getTime() / DAY_MS) * DAY_MS);
    return isoFromParts(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 19000101 && v <= 21001231)
      return isoFromParts(Math.floor(v / 10000), Math.floor(v / 100) % 100, v % 100);
    if (v >= 1 && v < 2958466) return parseFlexibleDate(new Date(EXCEL_EPOCH + Math.round(v) * DAY_MS));
    return null;
  }
  if (typeof v !== 'string') return null;
  const s = v.trim().normalize('NFKC');
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(s);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/.exec(s);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (m) return isoFromParts(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

/** Numbers read from a cell back to text: staff numbers and phones are often stored as numbers. */
function textOf(v: CellValue): string {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  return cellText(v);
}

/**
 * Checks one row against the mapped columns and turns it into a person, or lists its problems.
 * Pure: the unit and position tables come in `lookups`; checks that need the database (existing
 * person out of scope, national ID used by someone else) and the whole file (duplicates) come later.
 */
/**
 * Records a cell's problem. A module-level function, not a closure made per cell: validateRow meets
 * every cell of every row (two million at 100,000 rows), where a closure each time showed in profiles.
 */
function pushIssue(
  issues: RowIssue[],
  row: number,
  col: MappedColumn,
  value: string,
  reason: string,
  params?: Record<string, string | number>,
  vocab?: VocabularyName,
): void {
  issues.push({ row, column: col.column, field: col.field, value, reason, ...(params ? { params } : {}), ...(vocab ? { vocab } : {}) });
}

export function validateRow(
  row: SheetRow,
  columns: readonly MappedColumn[],
  lookups: RowLookups,
): { person: ParsedPerson | null; issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const out: Record<string, unknown> = { row: row.row };
  const mapped = new Set<ImportFieldKey>();
  for (const col of columns) {
    mapped.add(col.field);
    const raw = row.cells[col.index] ?? null;
    const value = textOf(raw);
    if (isBlank(raw)) {
      if (REQUIRED.includes(col.field)) pushIssue(issues, row.row, col, value, 'required');
      continue;
    }
    const f = col.field;
    const textRule = TEXT_RULES[f];
    if (textRule) {
      const r = textRule.safeParse(value);
      if (r.success) out[f] = r.data;
      else for (const d of detailsFromZod(r.error, f)) pushIssue(issues, row.row, col, value, d.reason, d.params);
      continue;
    }
    const vocab = VOCAB_FIELDS[f];
    if (vocab) {
      const code = lookupVocabulary(vocab, value);
      if (code) out[f] = code;
      else pushIssue(issues, row.row, col, value, 'unknown_value', undefined, vocab);
      continue;
    }
    const list = LIST_FIELDS[f];
    if (list) {
      const codes: string[] = [];
      let bad = false;
      for (const item of value.split(LIST_SEPARATORS)) {
        if (!item.trim()) continue;
        const code = lookupVocabulary(list.vocab, item);
        if (!code) bad = true;
        else if (!codes.includes(code)) codes.push(code);
      }
      if (bad) pushIssue(issues, row.row, col, value, 'unknown_value', undefined, list.vocab);
      else if (codes.length > list.max) pushIssue(issues, row.row, col, value, 'too_big', { max: list.max });
      else out[f] = codes;
      continue;
    }
    switch (f) {
      case 'birthDate':
      case 'postSince': {
        const iso = parseFlexibleDate(raw);
        if (iso) out[f] = iso;
        else pushIssue(issues, row.row, col, value, 'invalid_date');
        break;
      }
      case 'nationalId': {
        const id = normaliseNationalId(value.replace(/\s+/g, ''));
        if (PersonFields.shape.nationalId.safeParse(id).success && isValidNationalId(id)) out.nationalId = id;
        else pushIssue(issues, row.row, col, value, 'invalid_national_id');
        break;
      }
      case 'unitCode':
      case 'homeUnitCode': {
        const unit = lookups.unitsByCode.get(value);
        if (unit && lookups.canWriteUnit(unit.path)) out[f === 'unitCode' ? 'unitId' : 'homeUnitId'] = unit.id;
        else pushIssue(issues, row.row, col, value, 'unknown_unit');
        break;
      }
      case 'positionCode': {
        const id = lookups.positionsByCode.get(value);
        if (id) out.positionId = id;
        else pushIssue(issues, row.row, col, value, 'unknown_position');
        break;
      }
      default:
        break;
    }
  }
  for (const f of REQUIRED) {
    if (!mapped.has(f)) issues.push({ row: row.row, column: '', field: f, value: '', reason: 'required' });
  }
  return { person: issues.length ? null : (out as ParsedPerson), issues };
}
