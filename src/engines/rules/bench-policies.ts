// The benchmark's ten policies: the three example policies plus seven variants assembled from clause
// templates, 6–12 clauses each, all within what the json-rules-engine converter can express.
import { examplePolicies, exampleFactSchema } from './examples.js';
import type {
  ClauseDefinition,
  DataSource,
  Department,
  FactValue,
  LocalisedText,
  ParameterDefinition,
  PolicyDefinition,
} from './policy.js';

export const benchFactSchema = exampleFactSchema;
export const benchEvaluationDate = '2025-09-01';

type Template = {
  id: string;
  expr: string;
  source: DataSource;
  department: Department;
  params?: Record<string, { type: ParameterDefinition['type']; value: (variant: number) => FactValue }>;
};

const templates: readonly Template[] = [
  {
    id: 'age_max',
    expr: 'age_years <= params.max_age',
    source: 'household_registration',
    department: 'talent_centre',
    params: { max_age: { type: 'int', value: (v) => 30 + 3 * v } },
  },
  { id: 'age_min', expr: 'age_years >= 18', source: 'household_registration', department: 'talent_centre' },
  {
    id: 'degree',
    expr: 'education_level in ["bachelor", "master", "doctorate"]',
    source: 'education_credentials',
    department: 'talent_centre',
  },
  {
    id: 'postgraduate',
    expr: 'education_level == "master" || education_level == "doctorate"',
    source: 'education_credentials',
    department: 'talent_centre',
  },
  { id: 'hukou', expr: 'hukou_city == "nanchang"', source: 'household_registration', department: 'public_security' },
  {
    id: 'not_tier1_hukou',
    expr: '!(hukou_city in ["beijing", "shanghai", "shenzhen"])',
    source: 'household_registration',
    department: 'public_security',
  },
  {
    id: 'social_insurance',
    expr: 'social_insurance_city == "nanchang" && social_insurance_months >= params.min_si_months',
    source: 'social_insurance',
    department: 'social_insurance_centre',
    params: { min_si_months: { type: 'int', value: (v) => 3 * v } },
  },
  { id: 'employer', expr: 'employer_city == "nanchang"', source: 'enterprise_registry', department: 'market_regulation' },
  { id: 'no_home', expr: '!owns_home_in_city', source: 'applicant', department: 'talent_centre' },
  { id: 'first_time', expr: '!("settlement_bonus" in subsidies_received)', source: 'applicant', department: 'talent_centre' },
  {
    id: 'recent_graduate',
    expr: 'years_since_graduation >= 0 && years_since_graduation <= params.max_ysg',
    source: 'education_credentials',
    department: 'talent_centre',
    params: { max_ysg: { type: 'int', value: (v) => 1 + (v % 5) } },
  },
  {
    id: 'qualification',
    expr: 'education_level in ["bachelor", "master", "doctorate"] || (education_level == "associate" && professional_titles.exists(q, q.startsWith("senior_technician")))',
    source: 'education_credentials',
    department: 'talent_centre',
  },
  {
    id: 'wage',
    expr: 'monthly_wage_fen >= params.min_wage_fen',
    source: 'social_insurance',
    department: 'social_insurance_centre',
    params: { min_wage_fen: { type: 'int', value: (v) => 250_000 + 20_000 * v } },
  },
  { id: 'legal_rep', expr: 'enterprise_legal_rep', source: 'enterprise_registry', department: 'market_regulation' },
  {
    id: 'young_enterprise',
    expr: 'enterprise_age_months <= params.max_ent_months',
    source: 'enterprise_registry',
    department: 'market_regulation',
    params: { max_ent_months: { type: 'int', value: (v) => 24 + 6 * v } },
  },
  {
    id: 'priority_industry',
    expr: 'enterprise_industry in params.industries',
    source: 'enterprise_registry',
    department: 'market_regulation',
    params: {
      industries: {
        type: 'list<string>',
        value: (v) => ['digital_economy', 'new_energy', 'biomedicine', 'aviation', 'vr'].slice(0, 2 + (v % 4)),
      },
    },
  },
  {
    id: 'capital',
    expr: 'enterprise_registered_capital_wan >= params.min_capital',
    source: 'enterprise_registry',
    department: 'market_regulation',
    params: { min_capital: { type: 'double', value: (v) => 5 + 2.5 * v } },
  },
  {
    id: 'local_tie',
    expr: 'id_region_code.startsWith("36") || social_insurance_months >= 12',
    source: 'household_registration',
    department: 'public_security',
  },
  {
    id: 'high_earner_or_doctor',
    expr: 'monthly_wage_fen > 400000 || education_level == "doctorate"',
    source: 'social_insurance',
    department: 'social_insurance_centre',
  },
  {
    id: 'enterprise_here',
    expr: 'enterprise_city == "nanchang" && employer_city == "nanchang"',
    source: 'enterprise_registry',
    department: 'market_regulation',
  },
  {
    id: 'certified',
    expr: 'professional_titles.exists(q, q == "engineer_civil") || !(education_level == "high_school")',
    source: 'education_credentials',
    department: 'talent_centre',
  },
];

const label = (en: string): LocalisedText => ({ 'zh-CN': en, 'zh-TW': en, vi: en, en });

function variantPolicy(variant: number): PolicyDefinition {
  const clauseCount = 6 + ((variant * 5) % 7);
  const chosen: Template[] = [];
  // 5 is coprime with the template count (21), so the walk visits every template before repeating.
  for (let k = 0; chosen.length < clauseCount && k < templates.length; k++) {
    const t = templates[(variant * 7 + k * 5) % templates.length]!;
    if (!chosen.includes(t)) chosen.push(t);
  }
  const parameters: Record<string, ParameterDefinition> = {};
  const clauses: ClauseDefinition[] = chosen.map((t) => {
    for (const [name, p] of Object.entries(t.params ?? {}))
      parameters[name] = {
        type: p.type,
        label: label(name),
        values: [{ from: '2024-01-01', value: p.value(variant), legalRef: `bench variant ${variant}, ${name}` }],
      };
    return {
      id: t.id,
      expr: t.expr,
      label: label(t.id),
      legalRef: `bench variant ${variant}, ${t.id}`,
      source: t.source,
      department: t.department,
    };
  });
  return {
    id: `bench_variant_${variant}`,
    label: label(`Benchmark variant ${variant}`),
    parameters,
    versions: [{ id: `bench_variant_${variant}@2024`, effectiveFrom: '2024-01-01', legalRef: `bench variant ${variant}`, clauses }],
  };
}

export function benchPolicies(): PolicyDefinition[] {
  return [...examplePolicies, ...Array.from({ length: 7 }, (_, i) => variantPolicy(i + 1))];
}
