// Fuses the compiled clauses of every policy in force on a date into one JS function, so each fact
// is read and type-checked once per applicant and no call site has to dispatch over ten evaluators.
import { clauseRuntime } from './clause-runtime.js';
import type { ClauseRuntime } from './clause-runtime.js';
import type { CompiledClause } from './compile-clause.js';
import type { ResolvedPolicy } from './compile-policy.js';
import type { FactSchema, ValueType } from './policy.js';

/**
 * For one applicant's facts `x`: writes the decision code of policy p to `dec[d + p]` (0 eligible,
 * 1 ineligible, 2 needs review), one outcome code per clause to `out[o + …]` (0 passed, 1 failed,
 * 2 missing, 3 invalid fact, 4 runtime error) and the value of each fact read to `vals[v + k]`.
 */
export type PlanEvaluator = (
  x: Readonly<Record<string, unknown>>,
  dec: Uint8Array,
  d: number,
  out: Uint8Array,
  o: number,
  vals: unknown[],
  v: number,
) => void;

function factCheck(type: ValueType, local: string): string {
  switch (type) {
    case 'int':
      return `H.isInt(${local})`;
    case 'double':
      return `typeof ${local} === "number"`;
    case 'string':
      return `typeof ${local} === "string"`;
    case 'bool':
      return `typeof ${local} === "boolean"`;
    case 'list<int>':
      return `H.isList(${local}, "int")`;
    case 'list<double>':
      return `H.isList(${local}, "double")`;
    case 'list<string>':
      return `H.isList(${local}, "string")`;
  }
}

/**
 * Clause JS names its parameter locals and constants with a `$` placeholder (`p$_max_age`); `$`
 * appears nowhere else because string literals escape it, so replacing it with the policy index
 * gives every policy its own names.
 */
function namespaced(js: string, policyIndex: number): string {
  return js.replaceAll('$', String(policyIndex));
}

function clauseBlock(c: CompiledClause, slot: string, pi: number): string[] {
  const lines: string[] = [`  // ${c.definition.id.replace(/[^\w.-]/g, '_')}`];
  if (c.facts.length > 0) {
    lines.push(`  if (${c.facts.map((f) => `s_${f} === 2`).join(' || ')}) { ${slot} = 2; review = true; }`);
    lines.push(`  else if (${c.facts.map((f) => `s_${f} === 3`).join(' || ')}) { ${slot} = 3; review = true; }`);
    lines.push('  else {');
  } else lines.push('  {');
  const js = namespaced(c.js, pi);
  if (c.mayThrow) {
    lines.push(`    try { r = ${js}; } catch (e) { r = undefined; }`);
    lines.push(
      `    if (r === true) ${slot} = 0; else if (r === false) { ${slot} = 1; failed = true; } else { ${slot} = 4; review = true; }`,
    );
  } else {
    lines.push(`    if (${js}) ${slot} = 0; else { ${slot} = 1; failed = true; }`);
  }
  lines.push('  }');
  return lines;
}

export function generatePlanSource(schema: FactSchema, policies: readonly ResolvedPolicy[], facts: readonly string[]): string {
  const lines: string[] = ['"use strict";'];
  policies.forEach((p, pi) => {
    for (const name of p.version.params) lines.push(`const p${pi}_${name} = P[${pi}][${JSON.stringify(name)}];`);
    for (const c of p.version.clauses) lines.push(...c.constants.map((k) => namespaced(k, pi)));
  });
  lines.push('return function evaluatePlan(x, dec, d, out, o, vals, v) {');
  facts.forEach((f, k) => {
    lines.push(`  const f_${f} = x[${JSON.stringify(f)}];`);
    lines.push(`  const s_${f} = (f_${f} === undefined || f_${f} === null) ? 2 : (${factCheck(schema[f]!.type, `f_${f}`)}) ? 0 : 3;`);
    lines.push(`  vals[v + ${k}] = f_${f};`);
  });
  lines.push('  let failed = false, review = false, r;');
  let offset = 0;
  policies.forEach((p, pi) => {
    lines.push(`  // policy ${pi}: ${p.version.id.replace(/[^\w.@-]/g, '_')}`);
    lines.push('  failed = false; review = false;');
    p.version.clauses.forEach((c, ci) => lines.push(...clauseBlock(c, `out[o + ${offset + ci}]`, pi)));
    lines.push(`  dec[d + ${pi}] = failed ? 1 : review ? 2 : 0;`);
    offset += p.version.clauses.length;
  });
  lines.push('};');
  return lines.join('\n');
}

/** Builds the fused evaluator; parameter values are bound as closure constants. */
export function generatePlanEvaluator(
  schema: FactSchema,
  policies: readonly ResolvedPolicy[],
  facts: readonly string[],
): { source: string; evaluate: PlanEvaluator } {
  const source = generatePlanSource(schema, policies, facts);
  const params = policies.map((p) => {
    const values: Record<string, unknown> = {};
    for (const [name, r] of Object.entries(p.params))
      values[name] = Array.isArray(r.value) ? Object.freeze([...(r.value as unknown[])]) : r.value;
    return Object.freeze(values);
  });
  // Safe to hand to the Function constructor: every identifier in `source` is built from names that
  // passed checkName, and every literal went through jsString or a finite-number check.
  const factory = new Function('H', 'P', source) as (H: ClauseRuntime, P: readonly Readonly<Record<string, unknown>>[]) => PlanEvaluator;
  return { source, evaluate: factory(clauseRuntime, Object.freeze(params)) };
}
