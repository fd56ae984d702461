import { describe, expect, it } from 'vitest';
import { ParameterNotInForceError, compilePolicy, findVersion, resolvePolicy } from './compile-policy.js';
import { compilePolicies, evaluateApplicants, evaluateBatch, planEvaluation, readDecision } from './evaluate-batch.js';
import { exampleFactSchema, examplePolicies, settlementBonusPolicy } from './examples.js';
import { monthsBetween, yearsBetween } from './policy.js';
import type { Applicant, ApplicantFacts, PolicyDefinition } from './policy.js';

const set = compilePolicies(exampleFactSchema, examplePolicies);

/** A 38-year-old master's graduate settled in Nanchang who qualifies for the bonus under the 2025 rules. */
const settled: ApplicantFacts = {
  age_years: 38,
  id_region_code: '360102',
  hukou_city: 'nanchang',
  education_level: 'master',
  years_since_graduation: 2,
  professional_titles: [],
  social_insurance_city: 'nanchang',
  social_insurance_months: 8,
  monthly_wage_fen: 600_000,
  employer_city: 'nanchang',
  owns_home_in_city: false,
  subsidies_received: [],
  enterprise_legal_rep: false,
  enterprise_city: 'nanchang',
  enterprise_age_months: 10,
  enterprise_industry: 'retail',
  enterprise_registered_capital_wan: 3,
};

function decide(facts: ApplicantFacts, on: string, policyId = 'settlement_bonus') {
  const all = evaluateApplicants(set, [{ id: 'a', facts }], { on });
  const d = all.find((x) => x.policyId === policyId);
  if (!d) throw new Error(`${policyId} not in force on ${on}`);
  return d;
}

describe('effective dates', () => {
  it('uses the version and parameters in force on the evaluation date', () => {
    // The 2025 version (effective 2025-07-01) raises the age limit from 35 to 40.
    const before = decide(settled, '2025-06-30');
    const on = decide(settled, '2025-07-01');
    const after = decide(settled, '2025-07-02');
    expect(before.versionId).toBe('settlement_bonus@2023');
    expect(before.decision).toBe('ineligible');
    expect(before.clauses.find((c) => c.clauseId === 'age')).toMatchObject({
      outcome: 'failed',
      values: { age_years: 38 },
      params: { max_age: 35 },
    });
    expect(on.versionId).toBe('settlement_bonus@2025');
    expect(on.decision).toBe('eligible');
    expect(on.clauses.find((c) => c.clauseId === 'age')).toMatchObject({ outcome: 'passed', params: { max_age: 40 } });
    expect(after.versionId).toBe('settlement_bonus@2025');
    expect(after.decision).toBe('eligible');
    // Two policies name a parameter max_age; each clause sees its own policy's value.
    const graduate = decide(settled, '2025-07-01', 'graduate_living_subsidy');
    expect(graduate.clauses.find((c) => c.clauseId === 'age')).toMatchObject({ outcome: 'failed', params: { max_age: 35 } });
  });

  it('applies a dated parameter change without a new version', () => {
    // Graduate subsidy: max years since graduation goes from 2 to 3 on 2024-01-01.
    const facts = { ...settled, age_years: 30, years_since_graduation: 3 };
    expect(decide(facts, '2023-12-31', 'graduate_living_subsidy').decision).toBe('ineligible');
    expect(decide(facts, '2024-01-01', 'graduate_living_subsidy').decision).toBe('eligible');
    expect(decide(facts, '2024-01-02', 'graduate_living_subsidy').decision).toBe('eligible');
    // The minimum wage rises to 3,800 yuan on 2025-01-01.
    const low = { ...facts, years_since_graduation: 1, monthly_wage_fen: 360_000 };
    expect(decide(low, '2024-12-31', 'graduate_living_subsidy').decision).toBe('eligible');
    const jan = decide(low, '2025-01-01', 'graduate_living_subsidy');
    expect(jan.decision).toBe('ineligible');
    expect(jan.clauses.find((c) => c.clauseId === 'wage')).toMatchObject({ outcome: 'failed', params: { min_wage_fen: 380_000 } });
  });

  it('resolves list parameters by date', () => {
    const founder = { ...settled, enterprise_legal_rep: true, enterprise_industry: 'aviation', enterprise_registered_capital_wan: 50 };
    expect(decide(founder, '2024-12-31', 'startup_support').decision).toBe('ineligible');
    expect(decide(founder, '2025-01-01', 'startup_support').decision).toBe('eligible');
  });

  it('leaves out policies not yet in force', () => {
    const plan = planEvaluation(set, '2022-12-31');
    expect(plan.policies).toHaveLength(0);
    expect(plan.notInForce).toEqual(['settlement_bonus', 'graduate_living_subsidy', 'startup_support']);
    expect(findVersion(set.policies[0]!, '2023-01-01')?.id).toBe('settlement_bonus@2023');
  });

  it('refuses to evaluate when a parameter has no value on that date', () => {
    const def: PolicyDefinition = {
      ...settlementBonusPolicy,
      parameters: {
        ...settlementBonusPolicy.parameters,
        max_age: { ...settlementBonusPolicy.parameters.max_age!, values: [{ from: '2024-01-01', value: 35, legalRef: 'r' }] },
      },
    };
    const compiled = compilePolicy(def, exampleFactSchema);
    expect(() => resolvePolicy(compiled, '2023-06-01')).toThrow(ParameterNotInForceError);
    expect(resolvePolicy(compiled, '2024-01-01')?.params.max_age).toEqual({ value: 35, from: '2024-01-01', legalRef: 'r' });
  });

  it('rejects malformed dates', () => {
    expect(() => planEvaluation(set, '2025-02-30')).toThrow(RangeError);
    const bad: PolicyDefinition = { ...settlementBonusPolicy, versions: [...settlementBonusPolicy.versions].reverse() };
    expect(() => compilePolicy(bad, exampleFactSchema)).toThrow(/increasing/);
  });
});

describe('missing facts', () => {
  it('sends an applicant with a missing fact to review, never to rejection', () => {
    const { hukou_city: _omit, ...rest } = settled;
    const d = decide(rest, '2025-07-01');
    expect(d.decision).toBe('needs_review');
    const hukou = d.clauses.find((c) => c.clauseId === 'hukou')!;
    expect(hukou).toMatchObject({
      outcome: 'missing',
      missing: ['hukou_city'],
      values: { hukou_city: null },
      source: 'household_registration',
      department: 'public_security',
    });
    expect(d.clauses.filter((c) => c.outcome === 'passed')).toHaveLength(6);
  });

  it('treats null from a registry as missing', () => {
    expect(decide({ ...settled, social_insurance_months: null }, '2025-07-01').decision).toBe('needs_review');
  });

  it('still rejects on a clause that fails with complete data, whatever else is missing', () => {
    const d = decide({ ...settled, hukou_city: null, owns_home_in_city: true }, '2025-07-01');
    expect(d.decision).toBe('ineligible');
    expect(d.clauses.map((c) => c.outcome)).toContain('missing');
  });

  it('sends a fact of the wrong type to review with the reason', () => {
    const d = decide({ ...settled, age_years: '38' }, '2025-07-01');
    expect(d.decision).toBe('needs_review');
    expect(d.clauses[0]).toMatchObject({ clauseId: 'age', outcome: 'error', error: 'invalid_fact' });
  });
});

describe('traces', () => {
  it('records every clause with the values read, its legal reference, source and department', () => {
    const d = decide(settled, '2025-07-01');
    expect(d.clauses.map((c) => c.clauseId)).toEqual(['age', 'degree', 'hukou', 'social_insurance', 'employer', 'no_home', 'first_time']);
    expect(d.clauses[3]).toEqual({
      clauseId: 'social_insurance',
      outcome: 'passed',
      values: { social_insurance_city: 'nanchang', social_insurance_months: 8 },
      missing: [],
      params: { min_social_insurance_months: 6 },
      source: 'social_insurance',
      department: 'social_insurance_centre',
      legalRef: '示例·洪人才〔2025〕4号 第三条',
    });
  });

  it('gives the same traces from recycled batch buffers', () => {
    const plan = planEvaluation(set, '2025-07-01');
    const people: Applicant[] = [
      { id: 'x', facts: settled },
      { id: 'y', facts: { ...settled, owns_home_in_city: true } },
    ];
    const first = evaluateBatch(plan, people);
    const expected = [readDecision(first, 0, 0), readDecision(first, 1, 0)];
    const second = evaluateBatch(plan, [...people].reverse(), first);
    expect(second.decisions).toBe(first.decisions);
    expect(readDecision(second, 1, 0)).toEqual(expected[0]);
    expect(readDecision(second, 0, 0)).toEqual(expected[1]);
  });

  it('decides every applicant against every policy in force', () => {
    const people = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, facts: { ...settled, age_years: 30 + i * 3 } }));
    const out = evaluateApplicants(set, people, { on: '2025-07-01' });
    expect(out).toHaveLength(15);
    expect(new Set(out.map((d) => d.decision))).toEqual(new Set(['eligible', 'ineligible']));
  });
});

describe('date helpers', () => {
  it('counts whole years and months as on a birthday', () => {
    expect(yearsBetween('1990-07-01', '2025-06-30')).toBe(34);
    expect(yearsBetween('1990-07-01', '2025-07-01')).toBe(35);
    expect(monthsBetween('2024-01-31', '2024-02-29')).toBe(0);
    expect(monthsBetween('2024-01-15', '2025-01-15')).toBe(12);
  });
});
