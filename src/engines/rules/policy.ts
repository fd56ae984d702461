// Plain-data shapes of talent policies, their dated parameters and the applicant facts they read.
// Everything here is serialisable JSON so policies can live in the database and in fixtures.

export type Locale = 'zh-CN' | 'zh-TW' | 'vi' | 'en';
export type LocalisedText = Record<Locale, string>;

/** Registries the Nanchang model pulls facts from; `applicant` means self-declared. */
export type DataSource = 'household_registration' | 'social_insurance' | 'education_credentials' | 'enterprise_registry' | 'applicant';

/** The department that answers an objection (异议) about a clause. */
export type Department = 'public_security' | 'market_regulation' | 'talent_centre' | 'social_insurance_centre';

export type ScalarType = 'int' | 'double' | 'string' | 'bool';
export type ValueType = ScalarType | 'list<int>' | 'list<double>' | 'list<string>';

/**
 * Dates (birth, graduation, registration) are pre-normalised by the caller into integers such as
 * `age_years` or `enterprise_age_months`, computed on the evaluation date (see `yearsBetween`).
 * That keeps clauses free of time-zone arithmetic and lets the generated code compare plain numbers.
 */
export type FactDefinition = {
  type: ValueType;
  source: DataSource;
  label: LocalisedText;
};

export type FactSchema = Record<string, FactDefinition>;

export type FactValue = number | string | boolean | readonly number[] | readonly string[];
export type ApplicantFacts = Readonly<Record<string, FactValue | null | undefined>>;
export type Applicant = { id: string; facts: ApplicantFacts };

export type LegalReference = string;

/** One dated value of a parameter, in force from `from` (inclusive, YYYY-MM-DD) until the next one. */
export type ParameterValue = { from: string; value: FactValue; legalRef: LegalReference };

export type ParameterDefinition = {
  type: ValueType;
  label: LocalisedText;
  /** e.g. `CNY_fen`, `years`, `months`; money is in integer minor units. */
  unit?: string;
  values: readonly ParameterValue[];
};

export type ClauseDefinition = {
  id: string;
  /** A CEL expression of type bool over facts and `params.<name>`. */
  expr: string;
  label: LocalisedText;
  legalRef: LegalReference;
  source: DataSource;
  department: Department;
};

/** A version holds the clauses in force from `effectiveFrom` (inclusive) until the next version. */
export type PolicyVersion = {
  id: string;
  effectiveFrom: string;
  legalRef: LegalReference;
  clauses: readonly ClauseDefinition[];
};

export type PolicyDefinition = {
  id: string;
  label: LocalisedText;
  parameters: Readonly<Record<string, ParameterDefinition>>;
  versions: readonly PolicyVersion[];
};

export type Decision = 'eligible' | 'ineligible' | 'needs_review';
/** `error` covers a fact of the wrong type or a runtime error (e.g. division by zero); it needs review too. */
export type ClauseOutcome = 'passed' | 'failed' | 'missing' | 'error';

export const decisionCodes = ['eligible', 'ineligible', 'needs_review'] as const satisfies readonly Decision[];
export const outcomeCodes = ['passed', 'failed', 'missing', 'error'] as const satisfies readonly ClauseOutcome[];

const isoDate = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isIsoDate(s: string): boolean {
  if (!isoDate.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Whole years from `from` to `to` (both YYYY-MM-DD), as an age is counted on a birthday. */
export function yearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  let years = ty - fy;
  if (tm < fm || (tm === fm && td < fd)) years--;
  return years;
}

/** Whole months from `from` to `to` (both YYYY-MM-DD). */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  let months = (ty - fy) * 12 + (tm - fm);
  if (td < fd) months--;
  return months;
}
