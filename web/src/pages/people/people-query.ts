import type { PersonFilter, PersonSearchRequest } from '../../../../src/contracts/person.js';
import { PERSON_SORTS } from '../../../../src/contracts/person.js';
import type { QueryParams } from '../../api/api-client.js';

/** Filters that take several values; in the URL they are comma-separated, as the API accepts. */
export const LIST_FILTERS = [
  'specialty',
  'educationLevel',
  'titleLevel',
  'echelon',
  'language',
  'status',
  'gender',
  'grade',
  'positionId',
] as const;
export const SCALAR_FILTERS = [
  'unitId',
  'q',
  'certCode',
  'certValidOn',
  'certExpiringWithinDays',
  'ageMin',
  'ageMax',
  'tenureMinYears',
  'tenureMaxYears',
  'seconded',
] as const;
const NUMERIC = new Set(['certExpiringWithinDays', 'ageMin', 'ageMax', 'tenureMinYears', 'tenureMaxYears']);

export type ListFilter = (typeof LIST_FILTERS)[number];
export type ScalarFilter = (typeof SCALAR_FILTERS)[number];
export type FilterKey = ListFilter | ScalarFilter;
export type Sort = PersonSearchRequest['sort'];
export type Dir = 'asc' | 'desc';

/** The people-list state that lives in the URL, so dashboard links, bookmarks and Back all work. */
export type PeopleQuery = {
  filter: Partial<Record<ListFilter, string[]>> & Partial<Record<ScalarFilter, string>>;
  sort: Sort;
  dir: Dir;
  limit: number;
};

export function parsePeopleQuery(sp: URLSearchParams): PeopleQuery {
  const filter: PeopleQuery['filter'] = {};
  for (const k of LIST_FILTERS) {
    const v = sp.get(k);
    if (v) filter[k] = v.split(',').filter(Boolean);
  }
  for (const k of SCALAR_FILTERS) {
    const v = sp.get(k);
    if (v !== null && v !== '') filter[k] = v;
  }
  const sortParam = sp.get('sort');
  const sort = (PERSON_SORTS as readonly string[]).includes(sortParam ?? '') ? (sortParam as Sort) : 'fullName';
  const dir = sp.get('dir') === 'desc' ? 'desc' : 'asc';
  const limit = [20, 50, 100].includes(Number(sp.get('limit'))) ? Number(sp.get('limit')) : 20;
  return { filter, sort, dir, limit };
}

export function peopleQueryToSearch(q: PeopleQuery): URLSearchParams {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q.filter)) {
    if (Array.isArray(v)) {
      if (v.length) sp.set(k, v.join(','));
    } else if (v !== undefined && v !== '') sp.set(k, v);
  }
  if (q.sort !== 'fullName') sp.set('sort', q.sort);
  if (q.dir !== 'asc') sp.set('dir', q.dir);
  if (q.limit !== 20) sp.set('limit', String(q.limit));
  return sp;
}

export function filterToParams(filter: PeopleQuery['filter']): QueryParams {
  const out: QueryParams = {};
  for (const [k, v] of Object.entries(filter)) out[k] = Array.isArray(v) ? v : NUMERIC.has(k) ? Number(v) : v;
  return out;
}

/** Builds a people-list link from a typed filter: used by dashboard drill-downs. */
export function peopleLink(filter: Partial<Record<keyof PersonFilter, string | number | readonly string[] | undefined>>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = sp.toString();
  return s ? `/people?${s}` : '/people';
}

export function activeFilterCount(filter: PeopleQuery['filter']): number {
  return Object.values(filter).filter((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== '')).length;
}
