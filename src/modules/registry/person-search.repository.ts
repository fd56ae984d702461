import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { queryRows } from '../../db/query-rows.js';
import type {
  CertificationTypeItem,
  PersonFacets,
  PersonFilter,
  PersonListItem,
  PersonSearchRequest,
  PersonSearchResponse,
} from '../../contracts/person.js';
import { AGE_BANDS, ECHELONS, EDUCATION_LEVELS, SPECIALTIES, TITLE_LEVELS, type Permission } from '../../contracts/vocab.js';
import type { Actor } from '../iam/actor.js';
import { shiftDate, shiftYearsFractional, tenureYears, yearsBetween } from './dates.js';
import { searchTermFor } from './name-search.js';
import { likeEscape, personScope, personScopeParts } from './scope.sql.js';

/** The clock a query is evaluated against: ages, tenure and certificate validity all depend on it. */
export type SearchContext = { actor: Actor; today: string; permission?: Permission };

const SORT_EXPR: Record<PersonSearchRequest['sort'], SQL> = {
  // By romanised name where there is one, so Chinese names fall in pinyin order (as rosters are kept)
  // among Vietnamese ones; code-point collation is the same on PGlite and any server, and cheap.
  // Stored (`sort_name`) so the search's covering index carries it.
  fullName: sql`p.sort_name COLLATE "C"`,
  personNo: sql`p.person_no COLLATE "C"`,
  // Nulls sort last in both directions through a sentinel, so the keyset stays a plain row comparison.
  birthDate: sql`COALESCE(p.birth_date, DATE '9999-12-31')`,
  postSince: sql`COALESCE(p.post_since, DATE '9999-12-31')`,
};

/**
 * Every filter as one WHERE clause, scope first: no caller can build a person query without it.
 * `certHeldByRow` says the rows come from `certification_holding` already restricted to the
 * certificate filter (see `personRows`), so that condition is not tested again.
 */
export function personWhere(ctx: SearchContext, f: PersonFilter, certHeldByRow = false, unitFilterHeld = false): SQL {
  const { today } = ctx;
  const c: SQL[] = [personScope(ctx.actor, ctx.permission ?? 'person.read')];
  if (f.unitId && !unitFilterHeld) {
    const subtree = unitSubtree(ctx.actor.orgId, f.unitId);
    c.push(sql`(p.unit_id IN ${subtree} OR p.home_unit_id IN ${subtree})`);
  }
  if (f.q) {
    const { term, exactHan } = searchTermFor(f.q);
    const e = likeEscape(term);
    const atWordStart = sql`(p.search_text LIKE ${'%|' + e + '%'} OR p.search_text LIKE ${'% ' + e + '%'})`;
    const nameMatch = exactHan ? sql`(${atWordStart} AND p.full_name LIKE ${'%' + likeEscape(exactHan) + '%'})` : atWordStart;
    c.push(sql`(${nameMatch} OR p.person_no = ${f.q.trim()})`);
  }
  if (f.specialty?.length) c.push(sql.raw(hasAnySpecialty(f.specialty, 'p.')));
  if (f.educationLevel?.length) c.push(sql`p.education_level IN ${inList(f.educationLevel)}`);
  if (f.titleLevel?.length) c.push(sql`p.title_level IN ${inList(f.titleLevel)}`);
  if (f.echelon?.length) c.push(sql`p.echelon IN ${inList(f.echelon)}`);
  if (f.status?.length) c.push(sql`p.status IN ${inList(f.status)}`);
  if (f.gender?.length) c.push(sql`p.gender IN ${inList(f.gender)}`);
  if (f.grade?.length) c.push(sql`p.grade IN ${inList(f.grade)}`);
  if (f.positionId?.length) c.push(sql`p.position_id IN ${inList(f.positionId)}`);
  if (f.language?.length) c.push(sql`p.languages && ${pgTextArray(f.language)}`);
  if (f.seconded === 'true') c.push(sql`p.unit_id <> p.home_unit_id`);
  if (f.seconded === 'false') c.push(sql`p.unit_id = p.home_unit_id`);
  // Age ≥ N means born on or before today − N years; age ≤ N means born after today − (N+1) years.
  if (f.ageMin !== undefined) c.push(sql`p.birth_date <= ${shiftDate(today, -f.ageMin)}`);
  if (f.ageMax !== undefined) c.push(sql`p.birth_date > ${shiftDate(today, -(f.ageMax + 1))}`);
  if (f.tenureMinYears !== undefined) c.push(sql`p.post_since <= ${shiftYearsFractional(today, f.tenureMinYears)}`);
  if (f.tenureMaxYears !== undefined) c.push(sql`p.post_since > ${shiftYearsFractional(today, f.tenureMaxYears)}`);
  if ((f.certValidOn || f.certCode) && !certHeldByRow) {
    const on = f.certValidOn ?? today;
    c.push(sql`EXISTS (SELECT 1 FROM certification c WHERE c.person_id = p.id AND c.org_id = p.org_id
      AND c.issued_on <= ${on} AND (c.expires_on IS NULL OR c.expires_on >= ${on})
      ${f.certCode ? sql`AND c.code = ${f.certCode}` : sql``})`);
  }
  if (f.certExpiringWithinDays !== undefined) {
    c.push(sql`EXISTS (SELECT 1 FROM certification c WHERE c.person_id = p.id AND c.org_id = p.org_id
      AND c.expires_on >= ${today} AND c.expires_on <= ${shiftDate(today, 0, f.certExpiringWithinDays)}
      ${f.certCode ? sql`AND c.code = ${f.certCode}` : sql``})`);
  }
  return sql.join(c, sql` AND `);
}

const unitSubtree = (orgId: string, unitId: string): SQL =>
  sql`(SELECT u2.id FROM org_unit u2 WHERE u2.org_id = ${orgId} AND u2.path LIKE (SELECT likeq.path || '%' FROM org_unit likeq WHERE likeq.id = ${unitId}))`;

/**
 * `SELECT columns FROM person p` for every person the filter matches (scope included), shaped so the
 * planner can answer it from the covering indexes of migration 0007. When the rows are confined to a
 * set of units (the unit filter, else a scope that is not organisation-wide) they are gathered unit by
 * unit: people serving in those units, then seconded people whose home unit is one of them, then the
 * actor's own record when the scope admits it. The full WHERE still applies to every branch, so the
 * branches only choose the access path; they are disjoint, so no row comes twice.
 */
export function personRows(ctx: SearchContext, f: PersonFilter, columns: SQL): SQL {
  return personRowsOf(ctx, f)(columns);
}

/**
 * `personRows` with the WHERE clauses and access path decided once, for a request that selects the
 * same people more than once (a search's page and counts): a name filter's pinyin is computed once.
 */
export function personRowsOf(ctx: SearchContext, f: PersonFilter): (columns: SQL) => SQL {
  const holding = certificationHoldingRows(ctx, f);
  if (holding) {
    const holdingWhere = personWhere(ctx, f, true);
    return (columns) => sql`SELECT ${columns} FROM ${holding} WHERE ${holdingWhere}`;
  }
  // With a unit filter every branch below is confined to its subtree (and there is no own-record
  // branch), so the filter's own condition is left out: testing it again per row cost two hashed
  // sub-plan probes per person and a re-plan of the subtree for each branch.
  const where = personWhere(ctx, f, false, Boolean(f.unitId));
  const scope = personScopeParts(ctx.actor, ctx.permission ?? 'person.read');
  // The unit filter confines rows further than any scope (and the WHERE drops an own record outside it).
  const units = f.unitId ? unitSubtree(ctx.actor.orgId, f.unitId) : scope.orgWide ? null : scope.units;
  const self = f.unitId || scope.orgWide ? null : scope.self;
  if (!units) return (columns) => sql`SELECT ${columns} FROM person p WHERE ${where}`;
  return (columns) => {
    const branches = [
      sql`SELECT ${columns} FROM person p WHERE p.unit_id IN ${units} AND ${where}`,
      sql`SELECT ${columns} FROM person p
      WHERE p.home_unit_id <> p.unit_id AND p.home_unit_id IN ${units} AND p.unit_id NOT IN ${units} AND ${where}`,
    ];
    if (self) {
      branches.push(sql`SELECT ${columns} FROM person p
      WHERE p.id = ${self} AND p.unit_id NOT IN ${units} AND p.home_unit_id NOT IN ${units} AND ${where}`);
    }
    return sql.join(branches, sql` UNION ALL `);
  };
}

/** Filters that read columns `certification_holding` does not copy from `person`. */
const FILTERS_NOT_IN_HOLDING = ['q', 'grade', 'language'] as const satisfies readonly (keyof PersonFilter)[];

/**
 * With a certificate code, the rows come from `certification_holding` (migration 0008): the people
 * holding a valid certificate of that code on the date, one row each (spans of one person and code
 * never overlap), read from one covering index by (organisation, code, date) and carrying the same
 * search columns as `person` under the same names, aliased `p` so the full scope-first WHERE applies
 * unchanged. An organisation-wide certificate search then reads the holders, not every person. Null
 * when the filter reads a column the copy lacks; the person path then tests the certificate itself.
 */
function certificationHoldingRows(ctx: SearchContext, f: PersonFilter): SQL | null {
  const used = (v: unknown) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== '');
  if (!f.certCode || FILTERS_NOT_IN_HOLDING.some((k) => used(f[k]))) return null;
  const on = f.certValidOn ?? ctx.today;
  return sql`(SELECT h.person_id AS id, h.org_id, h.unit_id, h.home_unit_id, h.person_no, h.sort_name, h.position_id,
      h.birth_date, h.post_since, h.education_level, h.title_level, h.echelon, h.status, h.gender, h.specialty_mask,
      h.facet_code
    FROM certification_holding h
    WHERE h.org_id = ${ctx.actor.orgId} AND h.code = ${f.certCode} AND h.valid_from <= ${on} AND h.valid_to >= ${on}) p`;
}

function inList(values: readonly string[]): SQL {
  return sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/** The `specialty_mask` bits of the given codes (migration 0006 numbers them in SPECIALTIES order). */
function specialtyBits(codes: readonly string[]): number {
  let bits = 0;
  for (const code of codes) {
    const i = (SPECIALTIES as readonly string[]).indexOf(code);
    if (i >= 0) bits |= 1 << i;
  }
  return bits;
}

/**
 * SQL text: the row holds any of these specialties. An integer AND, several times cheaper per row than
 * `= ANY(specialties)`; literal, since the bits are computed here from the vocabulary, never user text.
 */
export const hasAnySpecialty = (codes: readonly string[], alias = ''): string => `(${alias}specialty_mask & ${specialtyBits(codes)}) <> 0`;

export function pgTextArray(values: readonly string[]): SQL {
  return sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;
}

/**
 * Certificate codes in use in the organisation, each with its most common name and the number of
 * people in the actor's scope holding one valid today (read from certification_holding, with the
 * same scope rule as every person query), so the console can offer them by name.
 */
export async function listCertificationTypes(q: Queryable, ctx: SearchContext): Promise<CertificationTypeItem[]> {
  const rows = await queryRows<{ code: string; name: string; holders: number }>(
    q,
    sql`SELECT t.code, t.name, COALESCE(h.holders, 0)::int AS holders
      FROM (SELECT c.code, mode() WITHIN GROUP (ORDER BY c.name) AS name FROM certification c
            WHERE c.org_id = ${ctx.actor.orgId} GROUP BY c.code) t
      LEFT JOIN (SELECT p.code, count(*) AS holders
            FROM (SELECT h.person_id AS id, h.org_id, h.unit_id, h.home_unit_id, h.code FROM certification_holding h
                  WHERE h.org_id = ${ctx.actor.orgId} AND h.valid_from <= ${ctx.today} AND h.valid_to >= ${ctx.today}) p
            WHERE ${personScope(ctx.actor, ctx.permission ?? 'person.read')} GROUP BY p.code) h ON h.code = t.code
      ORDER BY holders DESC, t.code`,
  );
  return rows.map((r) => ({ code: r.code, name: r.name, holders: Number(r.holders) }));
}

type Cursor = { v: string; id: string };
export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string | undefined): Cursor | null {
  if (!s) return null;
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    return typeof c.v === 'string' && typeof c.id === 'string' ? c : null;
  } catch {
    return null;
  }
}

/**
 * Facet counts read one small integer per matching person: the stored `facet_code` (migration 0009:
 * specialty bits 0-11, then 3 bits each for education, title and echelon; 0 = not recorded, n = the
 * vocabulary's n-th value, 7 = outside the vocabulary, left uncounted) with the age band, which
 * depends on the day, added in bits 12-14. The database collects the codes per position and the
 * service tallies them: one integer expression per row instead of a `count(*) FILTER` per bucket
 * (34 of them) per row. The layout here must match the SQL function `muster_facet_code`.
 */
const CODE_BITS = { ageBand: 12, educationLevel: 15, titleLevel: 18, echelon: 21 } as const;
const CODED_VOCABS = { educationLevel: EDUCATION_LEVELS, titleLevel: TITLE_LEVELS, echelon: ECHELONS } as const;
const NOT_RECORDED = { educationLevel: 'unknown', titleLevel: 'unknown', echelon: 'none' } as const;

/**
 * The facet code of row `p` as one SQL fragment. The dates in it derive from the organisation's
 * today, never user input, so it is written with literals and built once per day.
 */
const facetCodeByDay = new Map<string, SQL>();
function facetCode(today: string): SQL {
  const cached = facetCodeByDay.get(today);
  if (cached) return cached;
  // Age bands in AGE_BANDS order: <30, 30-39, 40-49, 50-59, 60+, unknown.
  const [d30, d40, d50, d60] = [30, 40, 50, 60].map((n) => `'${shiftDate(today, -n)}'::date`);
  const age = `CASE WHEN p.birth_date IS NULL THEN 5 WHEN p.birth_date > ${d30} THEN 0 WHEN p.birth_date > ${d40} THEN 1
    WHEN p.birth_date > ${d50} THEN 2 WHEN p.birth_date > ${d60} THEN 3 ELSE 4 END`;
  // Parenthesised: PostgreSQL gives `|` and `<<` the same precedence, left to right.
  const fragment = sql.raw(`(p.facet_code | ((${age}) << ${CODE_BITS.ageBand}))`);
  if (facetCodeByDay.size >= 4) facetCodeByDay.clear();
  facetCodeByDay.set(today, fragment);
  return fragment;
}

/**
 * A search is two statements over the same filter, sent together: the keyset page (names joined for
 * those rows only), and the total with the facet counts. On PostgreSQL they run at once on two pooled
 * connections, so a search costs the longer of the two rather than their sum; one statement keeping
 * the matches in a materialised set for both readers measured about twice as slow at 10-20k matches.
 * Each statement is consistent in itself; a write committed between them can make the total and the
 * page disagree by that write, as in any search engine that counts apart from the page.
 * Exposed so the benchmark can send the very same SQL bare.
 */
export function buildPersonSearchQueries(ctx: SearchContext, req: PersonSearchRequest): { page: SQL; counts: SQL } {
  const rows = personRowsOf(ctx, req);
  const counts =
    req.facets === 'true'
      ? sql`SELECT f.position_id, count(*)::int AS n, array_agg(f.code)::text AS codes
          FROM (${rows(sql`p.position_id, ${facetCode(ctx.today)} AS code`)}) f GROUP BY 1`
      : sql`SELECT count(*)::int AS n FROM (${rows(sql`1 AS one`)}) f`;
  return { page: buildPersonPageQuery(ctx, req, rows), counts };
}

/** The keyset page alone: what exports stream, and half of a search. */
function buildPersonPageQuery(ctx: SearchContext, req: PersonSearchRequest, rows = personRowsOf(ctx, req)): SQL {
  const sortExpr = SORT_EXPR[req.sort];
  const desc = req.dir === 'desc';
  const cursor = decodeCursor(req.cursor);
  const keyset = cursor
    ? desc
      ? sql`WHERE (sk, id) < (${cursor.v}, ${cursor.id}::uuid)`
      : sql`WHERE (sk, id) > (${cursor.v}, ${cursor.id}::uuid)`
    : sql``;
  const order = desc ? sql`sk DESC, id DESC` : sql`sk ASC, id ASC`;
  return sql`WITH page AS (SELECT id, sk FROM (${rows(sql`p.id, ${sortExpr} AS sk`)}) f
      ${keyset} ORDER BY ${order} LIMIT ${req.limit + 1})
    SELECT COALESCE(json_agg(x ORDER BY ${order}), '[]'::json) AS items FROM (
        SELECT page.sk, page.id, p.person_no, p.full_name, p.name_latin, p.gender, p.birth_date, p.unit_id,
          u.name AS unit_name, p.home_unit_id, hu.name AS home_unit_name, p.position_id, pos.name AS position_name,
          p.post_since, p.education_level, p.specialties, p.title_level, p.echelon, p.grade, p.languages, p.status,
          p.national_id_masked, page.sk::text AS sort_value
        FROM page JOIN person p ON p.id = page.id
        JOIN org_unit u ON u.id = p.unit_id
        JOIN org_unit hu ON hu.id = p.home_unit_id
        LEFT JOIN position pos ON pos.id = p.position_id) x`;
}

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** PGlite and node-postgres may return text[] as arrays or as '{a,b}' literals depending on the path. */
const arr = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' && v.length > 2 ? v.slice(1, -1).split(',') : [];

export function mapListRow(r: Row, today: string): PersonListItem {
  const birthDate = str(r.birth_date);
  const postSince = str(r.post_since);
  return {
    id: String(r.id),
    personNo: String(r.person_no),
    fullName: String(r.full_name),
    nameLatin: str(r.name_latin),
    gender: String(r.gender),
    birthDate,
    age: birthDate ? yearsBetween(birthDate, today) : null,
    unitId: String(r.unit_id),
    unitName: String(r.unit_name),
    homeUnitId: String(r.home_unit_id),
    homeUnitName: String(r.home_unit_name),
    positionId: str(r.position_id),
    positionName: str(r.position_name),
    postSince,
    tenureYears: postSince ? tenureYears(postSince, today) : null,
    educationLevel: str(r.education_level),
    specialties: arr(r.specialties),
    titleLevel: String(r.title_level),
    echelon: str(r.echelon),
    grade: str(r.grade),
    languages: arr(r.languages),
    status: String(r.status),
    nationalIdMasked: str(r.national_id_masked),
  };
}

/** JSON from the database arrives parsed on node-postgres and PGlite alike, but be tolerant of text. */
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export async function searchPeople(q: Queryable, ctx: SearchContext, req: PersonSearchRequest): Promise<PersonSearchResponse> {
  const { page, counts } = buildPersonSearchQueries(ctx, req);
  // Not awaited one by one: on a pool the two statements run on two connections at once.
  const [pageRows, countRows] = await Promise.all([queryRows(q, page), queryRows(q, counts)]);
  const total = countRows.reduce((sum, r) => sum + Number(r.n), 0);
  const result = { ...readPage(pageRows, ctx, req), total };
  return req.facets === 'true' ? { ...result, facets: foldFacets(countRows) } : result;
}

function readPage(pageRows: Row[], ctx: SearchContext, req: PersonSearchRequest): { items: PersonListItem[]; nextCursor: string | null } {
  const rows = json<Row[]>(pageRows[0]?.items ?? []);
  const items = rows.slice(0, req.limit).map((r) => mapListRow(r, ctx.today));
  const last = rows.length > req.limit ? rows[req.limit - 1]! : null;
  return { items, nextCursor: last ? encodeCursor({ v: String(last.sort_value), id: String(last.id) }) : null };
}

/** Unpacks the (position, facet code, count) groups into facet buckets, dropping empty ones, largest first. */
export function foldFacets(groups: Row[]): PersonFacets {
  // Buckets start in vocabulary order, so equal counts keep that order after the (stable) sort.
  const inOrder = (keys: readonly string[]) => new Map(keys.map((k) => [k, 0]));
  const totals = {
    ageBand: inOrder(AGE_BANDS),
    educationLevel: inOrder([...EDUCATION_LEVELS, NOT_RECORDED.educationLevel]),
    specialty: inOrder(SPECIALTIES),
    titleLevel: inOrder([...TITLE_LEVELS, NOT_RECORDED.titleLevel]),
    position: new Map<string, number>(),
    echelon: inOrder([...ECHELONS, NOT_RECORDED.echelon]),
  } satisfies Record<keyof PersonFacets, Map<string, number>>;
  const add = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);
  // Per-value tallies in typed arrays, then into the maps once. This loop meets every match (tens of
  // thousands per search), so it reads the codes digit by digit from the array's text ('{1,2,3}', as
  // the query casts it) and does only integer work per code: the driver's array parser and a loop over
  // the facet names took about 4 ms for 20,000 codes.
  const specialty = new Int32Array(32);
  const coded = {
    ageBand: new Int32Array(8),
    educationLevel: new Int32Array(8),
    titleLevel: new Int32Array(8),
    echelon: new Int32Array(8),
  };
  const { ageBand, educationLevel, titleLevel, echelon } = coded;
  for (const g of groups) {
    add(totals.position, g.position_id === null || g.position_id === undefined ? 'none' : String(g.position_id), Number(g.n));
    const text = typeof g.codes === 'string' ? g.codes : Array.isArray(g.codes) ? `{${g.codes.join(',')}}` : '';
    let c = -1;
    for (let i = 0; i < text.length; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d >= 0 && d <= 9) {
        c = c < 0 ? d : c * 10 + d;
        continue;
      }
      if (c < 0) continue;
      for (let bits = c & 0xfff; bits !== 0; bits &= bits - 1) specialty[31 - Math.clz32(bits & -bits)]!++;
      ageBand[(c >>> CODE_BITS.ageBand) & 7]!++;
      educationLevel[(c >>> CODE_BITS.educationLevel) & 7]!++;
      titleLevel[(c >>> CODE_BITS.titleLevel) & 7]!++;
      echelon[(c >>> CODE_BITS.echelon) & 7]!++;
      c = -1;
    }
  }
  SPECIALTIES.forEach((s, i) => add(totals.specialty, s, specialty[i]!));
  ageBand.forEach((n, i) => AGE_BANDS[i] && add(totals.ageBand, AGE_BANDS[i], n));
  for (const [facet, values] of Object.entries(CODED_VOCABS) as [keyof typeof CODED_VOCABS, readonly string[]][]) {
    coded[facet].forEach((n, i) => {
      const key = i === 0 ? NOT_RECORDED[facet] : values[i - 1];
      if (key) add(totals[facet], key, n);
    });
  }
  const out = {} as PersonFacets;
  for (const [facet, m] of Object.entries(totals) as [keyof PersonFacets, Map<string, number>][]) {
    out[facet] = [...m].filter(([, count]) => count > 0).map(([key, count]) => ({ key, count }));
    out[facet].sort((a, b) => b.count - a.count || (facet === 'position' ? a.key.localeCompare(b.key) : 0));
  }
  return out;
}

/** Streams every match (no paging) in pages of `batch`, for exports; the scope is the export permission's. */
export async function* iteratePeople(q: Queryable, ctx: SearchContext, filter: PersonFilter, batch = 2000) {
  let cursor: string | undefined;
  for (;;) {
    const req = { ...filter, sort: 'fullName', dir: 'asc', limit: batch, facets: 'false', cursor } as PersonSearchRequest;
    // The page alone: an export has no use for a count of everything on every batch.
    const page = readPage(await queryRows(q, buildPersonPageQuery(ctx, req)), ctx, req);
    yield page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}
