import { describe, expect, it } from 'vitest';
import { PolicyCompileError, clauseLimits } from './compile-clause.js';
import { compilePolicy, resolvePolicy } from './compile-policy.js';
import { evaluateApplicants, compilePolicies } from './evaluate-batch.js';
import { evaluateWithReference } from './reference-evaluator.js';
import type { ApplicantFacts, FactSchema, PolicyDefinition } from './policy.js';

const l = { 'zh-CN': 'x', 'zh-TW': 'x', vi: 'x', en: 'x' };

export const testSchema: FactSchema = {
  n: { type: 'int', source: 'applicant', label: l },
  m: { type: 'int', source: 'applicant', label: l },
  d: { type: 'double', source: 'applicant', label: l },
  s: { type: 'string', source: 'applicant', label: l },
  b: { type: 'bool', source: 'applicant', label: l },
  ns: { type: 'list<int>', source: 'applicant', label: l },
  ds: { type: 'list<double>', source: 'applicant', label: l },
  ss: { type: 'list<string>', source: 'applicant', label: l },
};

export const testFacts: ApplicantFacts = {
  n: 7,
  m: -3,
  d: 2.5,
  s: 'nanchang-东湖',
  b: true,
  ns: [1, 2, 3],
  ds: [0.5, 1.5],
  ss: ['senior_technician_cnc', 'nurse'],
};

function policyFor(expr: string, extra: Partial<PolicyDefinition> = {}): PolicyDefinition {
  return {
    id: 'p',
    label: l,
    parameters: {
      limit: { type: 'int', label: l, values: [{ from: '2024-01-01', value: 10, legalRef: 'ref' }] },
      rate: { type: 'double', label: l, values: [{ from: '2024-01-01', value: 1.25, legalRef: 'ref' }] },
      cities: { type: 'list<string>', label: l, values: [{ from: '2024-01-01', value: ['nanchang', 'ganzhou'], legalRef: 'ref' }] },
    },
    versions: [
      {
        id: 'v1',
        effectiveFrom: '2024-01-01',
        legalRef: 'ref',
        clauses: [{ id: 'c', expr, label: l, legalRef: 'ref', source: 'applicant', department: 'talent_centre' }],
      },
    ],
    ...extra,
  };
}

/** Evaluates one clause with the generated code and with the cel-js interpreter. */
function run(expr: string, facts: ApplicantFacts = testFacts): { engine: string; reference: string } {
  const set = compilePolicies(testSchema, [policyFor(expr)]);
  const [decision] = evaluateApplicants(set, [{ id: 'a', facts }], { on: '2024-06-01' });
  const resolved = resolvePolicy(set.policies[0]!, '2024-06-01')!;
  const ref = evaluateWithReference(resolved, facts);
  const names = ['passed', 'failed', 'missing', 'error', 'error'];
  return { engine: decision!.clauses[0]!.outcome, reference: names[ref.outcomes[0]!]! };
}

function compileError(expr: string): PolicyCompileError {
  try {
    compilePolicy(policyFor(expr), testSchema);
  } catch (err) {
    if (err instanceof PolicyCompileError) return err;
    throw err;
  }
  throw new Error(`expected '${expr}' to be refused`);
}

describe('operators and types', () => {
  const cases: [string, 'passed' | 'failed' | 'error'][] = [
    // int comparisons and arithmetic
    ['n == 7', 'passed'],
    ['n != 7', 'failed'],
    ['n < 8 && n <= 7 && n > 6 && n >= 7', 'passed'],
    ['n + m == 4', 'passed'],
    ['n - m == 10', 'passed'],
    ['n * m == -21', 'passed'],
    ['n / 2 == 3', 'passed'],
    ['m / 2 == -1', 'passed'],
    ['n % 4 == 3', 'passed'],
    ['m % 2 == -1', 'passed'],
    ['-n == -7', 'passed'],
    ['n / (m + 3) == 1', 'error'],
    ['n % (m + 3) == 1', 'error'],
    ['n <= params.limit', 'passed'],
    // double
    ['d > 2.0 && d < 3.0', 'passed'],
    ['d * 2.0 == 5.0', 'passed'],
    ['d / 0.0 > 1000.0', 'passed'],
    ['d - 0.5 == 2.0 && d + 0.5 == 3.0', 'passed'],
    ['-d < 0.0', 'passed'],
    ['n > 6.5', 'passed'],
    ['d < params.rate', 'failed'],
    ['int(d) == 2', 'passed'],
    ['double(n) == 7.0', 'passed'],
    ['int(d / 0.0) == 1', 'error'],
    // bool
    ['b', 'passed'],
    ['!b', 'failed'],
    ['b == true', 'passed'],
    ['b != false && (false || b)', 'passed'],
    // string
    ['s == "nanchang-东湖"', 'passed'],
    ['s.startsWith("nanchang")', 'passed'],
    ['s.endsWith("东湖")', 'passed'],
    ['s.contains("ng-东")', 'passed'],
    ['size(s) == 11 && s.size() == 11', 'passed'],
    ['size("🙂") == 1', 'passed'],
    ['s + "!" == "nanchang-东湖!"', 'passed'],
    ['s + "$p$_limit" == "nanchang-东湖$p$_limit"', 'passed'],
    ['s < "o" && s > "m"', 'passed'],
    // ternary
    ['(n > 5 ? "big" : "small") == "big"', 'passed'],
    ['(b ? n : m) == -3', 'failed'],
    // lists and in
    ['2 in ns', 'passed'],
    ['4 in ns', 'failed'],
    ['n in [5, 6, 7]', 'passed'],
    ['s in ["a", "b"]', 'failed'],
    ['"nanchang" in params.cities', 'passed'],
    ['1.5 in ds', 'passed'],
    ['size(ns) == 3 && ss.size() == 2', 'passed'],
    ['ns.exists(x, x > 2)', 'passed'],
    ['ns.all(x, x > 0)', 'passed'],
    ['ns.all(x, x > 1)', 'failed'],
    ['ns.exists_one(x, x > 2)', 'passed'],
    ['ss.exists(q, q.startsWith("senior_technician"))', 'passed'],
    ['ds.exists(x, x > 1.0)', 'passed'],
    ['ns.exists(x, 6 / (x - 1) == 3)', 'passed'],
    ['ns.all(x, 6 / (x - 1) > 0)', 'error'],
    // CEL's commutative && / || absorb errors where the other side decides
    ['n / 0 == 1 || true', 'passed'],
    ['n / 0 == 1 && false', 'failed'],
    ['false && n / 0 == 1', 'failed'],
    ['n / 0 == 1 || false', 'error'],
  ];
  for (const [expr, expected] of cases) {
    it(`${expr} → ${expected}, as cel-js says`, () => {
      const r = run(expr);
      expect(r.engine).toBe(expected);
      expect(r.reference).toBe(expected);
    });
  }
});

describe('documented deviations from int64', () => {
  it('treats an int result beyond ±2^53 as an error where CEL (int64) would still compute it', () => {
    const r = run('n * 9007199254740991 > 0');
    expect(r.engine).toBe('error');
    expect(r.reference).toBe('passed');
  });
});

describe('missing and malformed facts', () => {
  it('reports a clause as missing when a fact it reads is absent or null', () => {
    expect(run('n > 1', { ...testFacts, n: undefined }).engine).toBe('missing');
    expect(run('n > 1 || b', { ...testFacts, n: null }).engine).toBe('missing');
    expect(run('ns.exists(x, x == 1)', { ...testFacts, ns: null }).reference).toBe('missing');
  });
  it('reports a fact of the wrong type as an error, not a failure', () => {
    expect(run('n > 1', { ...testFacts, n: '7' }).engine).toBe('error');
    expect(run('n > 1', { ...testFacts, n: 7.5 }).engine).toBe('error');
    // Registry data is untyped at the boundary; the cast stands in for a bad row.
    const mixed = { ...testFacts, ns: [1, '2'] as unknown as readonly number[] };
    expect(run('2 in ns', mixed).engine).toBe('error');
    expect(run('2 in ns', mixed).reference).toBe('error');
  });
});

describe('compile errors carry positions', () => {
  it('refuses a syntax error with its line and column', () => {
    const err = compileError('n > 1 &&\n  (m < ');
    const issue = err.issues[0]!;
    expect(issue.clauseId).toBe('c');
    expect(issue.policyId).toBe('p');
    expect(issue.line).toBe(2);
    expect(issue.column).toBeGreaterThan(1);
    expect(issue.offset).toBeGreaterThan(8);
  });
  it('refuses a type error at the offending operator', () => {
    const issue = compileError('b && n + "x" == "y"').issues[0]!;
    expect(issue.code).toBe('no_such_overload');
    expect(issue.offset).toBe(5);
    expect(issue.column).toBe(6);
  });
  it('refuses an unknown identifier at its position', () => {
    const issue = compileError('n > 1 && salary > 3').issues[0]!;
    expect(issue.code).toBe('unknown_variable');
    expect(issue.offset).toBe(9);
  });
  it('refuses an unknown parameter', () => {
    expect(compileError('n < params.nope').issues[0]!.message).toMatch(/nope/);
  });
  it('refuses a clause that is not boolean', () => {
    expect(compileError('n + 1').issues[0]!.code).toBe('not_boolean');
  });
  it('lists every bad clause of a policy, not only the first', () => {
    const def = policyFor('n >');
    const v = def.versions[0]!;
    const bad: PolicyDefinition = { ...def, versions: [{ ...v, clauses: [...v.clauses, { ...v.clauses[0]!, id: 'c2', expr: 'zzz' }] }] };
    try {
      compilePolicy(bad, testSchema);
      expect.unreachable();
    } catch (err) {
      expect((err as PolicyCompileError).issues.map((i) => i.clauseId)).toEqual(['c', 'c2']);
    }
  });
});

describe('sandbox', () => {
  const hostile: [string, string][] = [
    ['__proto__ == null', 'prototype identifier'],
    ['s.__proto__ == null', 'prototype of a string'],
    ['s.constructor == s', 'constructor access'],
    ['params.constructor == 1', 'constructor on params'],
    ['params.__proto__.polluted == 1', 'prototype of params'],
    ['params == params', 'params as a value'],
    ['globalThis.process.exit(1)', 'globals'],
    ['process.exit(1) == null', 'process'],
    ['this == this', 'this'],
    ['eval("1") == 1', 'eval'],
    ['Function("return 1")() == 1', 'Function'],
    ['s.matches("(a+)+$")', 'regular expressions (ReDoS)'],
    ['ns.map(x, x * 2) == [2]', 'map macro'],
    ['ns.exists(x, ns.exists(y, ns.exists(z, x + y + z == 0)))', 'nested loops'],
    ['ns[0] == 1', 'indexing'],
    ['{"a": 1}["a"] == 1', 'map literals'],
    ['has(params.limit)', 'has()'],
    ['dyn(n) == 1', 'dyn'],
    ['type(n) == int', 'type()'],
    ['1u == 1u', 'unsigned ints'],
    ['b"abc" == b"abc"', 'bytes'],
    ['timestamp("2024-01-01T00:00:00Z") == timestamp("2024-01-01T00:00:00Z")', 'timestamps (facts are pre-normalised)'],
    ['n > 9223372036854775807', 'int literal beyond 2^53'],
    ['ns == [1, 2, 3]', 'list equality'],
    ['ns.exists(n, n > 1)', 'macro variable shadowing a fact'],
    ['s.lowerAscii() == "x"', 'unlisted string method'],
  ];
  for (const [expr, what] of hostile) {
    it(`refuses ${what}: ${expr}`, () => {
      const err = compileError(expr);
      expect(err.issues.length).toBeGreaterThan(0);
      expect(err.issues[0]!.line).toBeGreaterThanOrEqual(1);
    });
  }

  it('refuses a huge expression before parsing it', () => {
    const expr = Array.from({ length: 400 }, (_, i) => `n != ${i}`).join(' && ');
    expect(expr.length).toBeGreaterThan(clauseLimits.maxExpressionLength);
    expect(compileError(expr).issues[0]!.code).toBe('limit_exceeded');
  });
  it('refuses an expression with too many nodes', () => {
    const expr = Array.from({ length: 200 }, () => 'n').join('+') + ' > 0';
    expect(compileError(expr).issues[0]!.code).toBe('limit_exceeded');
  });
  it('refuses deep nesting', () => {
    const expr = '('.repeat(40) + 'n > 1' + ')'.repeat(40);
    expect(compileError(expr).issues[0]!.code).toBe('limit_exceeded');
    const unary = '!'.repeat(1000) + 'b';
    expect(compileError(unary).issues[0]!.code).toBe('limit_exceeded');
  });
  it('keeps string literals inert in the generated code', () => {
    // A single-quoted CEL string holding a double quote, JS code, line separators and a backslash.
    const expr = `s != '"); globalThis.pwned = 1; ("\\u2028\\u2029\u2028\`\${1}\`\\\\'`;
    const compiled = compilePolicy(policyFor(expr), testSchema);
    expect(run(expr).engine).toBe('passed');
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    const literal = compiled.versions[0]!.clauses[0]!.js;
    expect(literal.startsWith('(f_s !== "\\"); globalThis.pwned')).toBe(true);
    // The literal round-trips exactly: a fact equal to it makes the clause fail in both engines.
    const value = '"); globalThis.pwned = 1; ("\u2028\u2029\u2028`${1}`\\';
    expect(run(expr, { ...testFacts, s: value })).toEqual({ engine: 'failed', reference: 'failed' });
    expect(run('s == "nanchang-\\u4e1c\\u6e56"').engine).toBe('passed');
  });
  it('refuses fact and parameter names that would reach the prototype or JS syntax', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'params', 'in', 'Bad-Name', 'x"y']) {
      const schema: FactSchema = { ...testSchema, [name]: { type: 'int', source: 'applicant', label: l } };
      expect(() => compilePolicy(policyFor('n > 1'), schema), name).toThrow(PolicyCompileError);
    }
    const def = policyFor('n > 1');
    const badParam: PolicyDefinition = {
      ...def,
      parameters: {
        ...def.parameters,
        hasOwnProperty: { type: 'int' as const, label: l, values: [{ from: '2024-01-01', value: 1, legalRef: 'r' }] },
      },
    };
    expect(() => compilePolicy(badParam, testSchema)).toThrow(PolicyCompileError);
    const badType = { ...testSchema, t: { type: 'timestamp', source: 'applicant', label: l } } as unknown as FactSchema;
    expect(() => compilePolicy(policyFor('n > 1'), badType)).toThrow(PolicyCompileError);
  });
});
