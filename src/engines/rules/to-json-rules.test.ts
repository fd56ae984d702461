import { describe, expect, it } from 'vitest';
import { resolvePolicy } from './compile-policy.js';
import { compilePolicies } from './evaluate-batch.js';
import { exampleFactSchema, startupSupportPolicy } from './examples.js';
import type { PolicyDefinition } from './policy.js';
import { UnsupportedForJsonRules, convertToJsonRules } from './to-json-rules.js';

describe('conversion to json-rules-engine', () => {
  it('turns each clause into a rule with parameters resolved', () => {
    const set = compilePolicies(exampleFactSchema, [startupSupportPolicy]);
    const rules = convertToJsonRules(resolvePolicy(set.policies[0]!, '2025-01-01')!);
    expect(rules).toHaveLength(7);
    expect(rules[3]).toMatchObject({
      name: '0:3',
      conditions: {
        all: [{ fact: 'enterprise_industry', operator: 'in', value: ['digital_economy', 'new_energy', 'biomedicine', 'aviation', 'vr'] }],
      },
    });
    expect(rules[6]!.conditions).toEqual({
      any: [
        { fact: 'id_region_code', operator: 'startsWith', value: '36' },
        { fact: 'social_insurance_months', operator: 'greaterThanInclusive', value: 12 },
      ],
    });
  });

  it('refuses what json-rules-engine cannot express, such as arithmetic', () => {
    const l = startupSupportPolicy.label;
    const def: PolicyDefinition = {
      id: 'x',
      label: l,
      parameters: {},
      versions: [
        {
          id: 'x1',
          effectiveFrom: '2024-01-01',
          legalRef: 'r',
          clauses: [{ id: 'c', expr: 'age_years + 1 > 30', label: l, legalRef: 'r', source: 'applicant', department: 'talent_centre' }],
        },
      ],
    };
    const set = compilePolicies(exampleFactSchema, [def]);
    expect(() => convertToJsonRules(resolvePolicy(set.policies[0]!, '2024-01-01')!)).toThrow(UnsupportedForJsonRules);
  });
});
