import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { DashboardRequest, DashboardResponse } from '../../contracts/dashboard.js';
import { SPECIALTIES } from '../../contracts/vocab.js';
import type { Queryable } from '../../db/connection.js';
import { queryRows } from '../../db/query-rows.js';
import { requirePermission } from '../../server/context.js';
import type { Actor } from '../iam/actor.js';
import { getOrgContext } from '../iam/organisation.service.js';
import { todayIn, shiftDate } from './dates.js';
import { hasAnySpecialty, pgTextArray, personRows } from './person-search.repository.js';

const TENURE_BANDS = ['0-1', '1-3', '3-5', '5-10', '10+', 'unknown'];
const AGE_BANDS = ['<30', '30-39', '40-49', '50-59', '60+', 'unknown'];

/**
 * The shape of a subtree's workforce in one scan: serving staff only (retired and resigned excluded),
 * with the same scope rule as the people list, so a chart's count always equals the list it opens.
 */
export async function getDashboard(q: Queryable, actor: Actor, req: z.infer<typeof DashboardRequest>): Promise<DashboardResponse> {
  const org = await getOrgContext(q, actor.orgId);
  const today = todayIn(org.timeZone);
  const rotationYears = req.rotationYears ?? org.rotationYears;
  const people = personRows(
    { actor, today, permission: 'dashboard.read' },
    { unitId: req.unitId, status: ['active', 'seconded', 'on_leave', 'suspended'] },
    sql`p.id, p.birth_date, p.gender, p.education_level, p.specialty_mask, p.title_level, p.echelon, p.post_since`,
  );
  // Specialties are counted from their bits (migration 0006) in one pass, then unfolded into rows.
  const specialtyCounts = sql.raw(SPECIALTIES.map((v) => `count(*) FILTER (WHERE ${hasAnySpecialty([v])})::int`).join(', '));
  const [d30, d40, d50, d60] = [30, 40, 50, 60].map((n) => shiftDate(today, -n));
  const [t1, t3, t5, t10] = [1, 3, 5, 10].map((n) => shiftDate(today, -n));
  const rot = shiftDate(today, -Math.floor(rotationYears), -Math.round((rotationYears % 1) * 365.25));
  const expUntil = shiftDate(today, 0, req.expiringDays);
  const rows = await queryRows(
    q,
    sql`WITH f AS MATERIALIZED (${people})
      SELECT 'age' AS facet, CASE WHEN birth_date IS NULL THEN 'unknown' WHEN birth_date > ${d30} THEN '<30'
          WHEN birth_date > ${d40} THEN '30-39' WHEN birth_date > ${d50} THEN '40-49' WHEN birth_date > ${d60} THEN '50-59'
          ELSE '60+' END AS key, gender AS sub, count(*)::int AS n FROM f GROUP BY 2, 3
      UNION ALL SELECT 'educationLevel', COALESCE(education_level, 'unknown'), NULL, count(*)::int FROM f GROUP BY 2
      UNION ALL SELECT 'specialty', k, NULL, n FROM (
          SELECT unnest(${pgTextArray(SPECIALTIES)}) AS k, unnest(ARRAY[${specialtyCounts}]) AS n FROM f) s WHERE n > 0
      UNION ALL SELECT 'titleLevel', title_level, NULL, count(*)::int FROM f GROUP BY 2
      UNION ALL SELECT 'echelon', COALESCE(echelon, 'none'), NULL, count(*)::int FROM f GROUP BY 2
      UNION ALL SELECT 'tenure', CASE WHEN post_since IS NULL THEN 'unknown' WHEN post_since > ${t1} THEN '0-1'
          WHEN post_since > ${t3} THEN '1-3' WHEN post_since > ${t5} THEN '3-5' WHEN post_since > ${t10} THEN '5-10'
          ELSE '10+' END, NULL, count(*)::int FROM f GROUP BY 2
      UNION ALL SELECT 'rotationDue', 'n', NULL, count(*)::int FROM f WHERE post_since <= ${rot}
      UNION ALL SELECT 'certExpiring', 'n', NULL, count(*)::int FROM f WHERE EXISTS (
          SELECT 1 FROM certification c WHERE c.person_id = f.id AND c.expires_on >= ${today} AND c.expires_on <= ${expUntil})`,
  );
  const pick = (facet: string) =>
    rows
      .filter((r) => r.facet === facet)
      .map((r) => ({ key: String(r.key), count: Number(r.n) }))
      .sort((a, b) => b.count - a.count);
  const age = rows.filter((r) => r.facet === 'age');
  const ageByGender = AGE_BANDS.map((band) => {
    const of = (g: string) => age.filter((r) => r.key === band && r.sub === g).reduce((s, r) => s + Number(r.n), 0);
    return { band, male: of('male'), female: of('female'), unknown: of('unknown') };
  });
  const tenure = pick('tenure');
  return {
    total: age.reduce((s, r) => s + Number(r.n), 0),
    ageByGender,
    educationLevel: pick('educationLevel'),
    specialty: pick('specialty'),
    titleLevel: pick('titleLevel'),
    echelon: pick('echelon'),
    tenure: TENURE_BANDS.map((key) => ({ key, count: tenure.find((t) => t.key === key)?.count ?? 0 })),
    rotationDue: { years: rotationYears, count: Number(rows.find((r) => r.facet === 'rotationDue')?.n ?? 0) },
    certificationsExpiring: { days: req.expiringDays, count: Number(rows.find((r) => r.facet === 'certExpiring')?.n ?? 0) },
  };
}

export async function registerDashboardRoutes(api: FastifyInstance): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/dashboard',
    { schema: { tags: ['dashboard'], querystring: DashboardRequest, response: { 200: DashboardResponse } } },
    async (req) => getDashboard(api.ctx.db, requirePermission(req.actor, 'dashboard.read'), req.query),
  );
}
