// Deterministic applicant population over the example fact schema, for benchmarks and tests.
// Applicant i depends only on (seed, i), so a sample can be regenerated without the whole stream.
import type { Applicant, ApplicantFacts } from './policy.js';

/** A small, fast PRNG (mulberry32) seeded by mixing the population seed with the applicant index. */
function rngFor(seed: number, index: number): () => number {
  let s = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const cities = ['nanchang', 'nanchang', 'nanchang', 'jiujiang', 'ganzhou', 'shanghai', 'beijing', 'shenzhen'] as const;
const degrees = ['high_school', 'associate', 'associate', 'bachelor', 'bachelor', 'bachelor', 'master', 'master', 'doctorate'] as const;
const industries = ['digital_economy', 'new_energy', 'biomedicine', 'aviation', 'vr', 'retail', 'catering', 'logistics'] as const;
const titles = [
  'senior_technician_welding',
  'senior_technician_cnc',
  'technician_electrical',
  'engineer_civil',
  'accountant',
  'nurse',
] as const;
const subsidies = ['settlement_bonus', 'graduate_living_subsidy', 'startup_support', 'rent_subsidy'] as const;
const regionCodes = ['360102', '360111', '360403', '362201', '110101', '310104', '440305', '420102'] as const;

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

export type PopulationOptions = {
  seed?: number;
  /** Probability that any one fact is missing from the registries. */
  missingRate?: number;
};

export function generateApplicant(index: number, options: PopulationOptions = {}): Applicant {
  const r = rngFor(options.seed ?? 1, index);
  const missingRate = options.missingRate ?? 0.01;
  const age = 18 + Math.floor(r() * 40);
  const graduatedYearsAgo = Math.max(0, Math.min(age - 18, Math.floor(r() * 12) - 1));
  const local = r() < 0.6;
  const city = local ? 'nanchang' : pick(r, cities);
  const founder = r() < 0.25;
  const facts: Record<string, ApplicantFacts[string]> = {
    age_years: age,
    id_region_code: local && r() < 0.7 ? pick(r, regionCodes.slice(0, 4)) : pick(r, regionCodes),
    hukou_city: local && r() < 0.8 ? 'nanchang' : pick(r, cities),
    education_level: pick(r, degrees),
    years_since_graduation: graduatedYearsAgo,
    professional_titles: r() < 0.5 ? [] : Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r, titles)),
    social_insurance_city: local && r() < 0.9 ? 'nanchang' : pick(r, cities),
    social_insurance_months: Math.floor(r() * 60),
    monthly_wage_fen: 200_000 + Math.floor(r() * 30) * 10_000,
    employer_city: city,
    owns_home_in_city: r() < 0.3,
    subsidies_received: r() < 0.8 ? [] : [pick(r, subsidies)],
    enterprise_legal_rep: founder,
    enterprise_city: founder && r() < 0.8 ? 'nanchang' : pick(r, cities),
    enterprise_age_months: Math.floor(r() * 72),
    enterprise_industry: pick(r, industries),
    enterprise_registered_capital_wan: Math.round(r() * 500) / 10,
  };
  // A registry without a record answers null; keeping every key keeps one object shape, as rows from
  // a database would have.
  for (const key of Object.keys(facts)) if (r() < missingRate) facts[key] = null;
  return { id: `A${String(index).padStart(8, '0')}`, facts };
}

/** Applicants [start, start + count) of the population. */
export function generateApplicants(start: number, count: number, options: PopulationOptions = {}): Applicant[] {
  const out: Applicant[] = new Array<Applicant>(count);
  for (let i = 0; i < count; i++) out[i] = generateApplicant(start + i, options);
  return out;
}
