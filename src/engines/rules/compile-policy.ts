// Compiles a policy once: every clause of every version is parsed, type-checked and translated, and
// each version becomes one generated JS function. Parameters are bound per evaluation date by a cheap
// factory call, so a change of date never recompiles.
import { clauseRuntime } from './clause-runtime.js';
import type { ClauseRuntime } from './clause-runtime.js';
import {
  PolicyCompileError,
  checkName,
  compileClause,
  createClauseEnvironment,
  positionOf,
} from './compile-clause.js';
import type { CompileIssue, CompiledClause } from './compile-clause.js';
import { isIsoDate } from './policy.js';
import type {
  DataSource,
  Department,
  FactSchema,
  FactValue,
  ParameterDefinition,
  PolicyDefinition,
  PolicyVersion,
  ValueType,
} from './policy.js';

/**
 * Writes one outcome code per clause into `out[o + c]` (0 passed, 1 failed, 2 missing, 3 invalid
 * fact, 4 runtime error) and the value of each fact the version reads into `vals[v + k]`; returns
 * the decision code (0 eligible, 1 ineligible, 2 needs review).
 */
export type VersionEvaluator = (
  facts: Readonly<Record<string, unknown>>,
  out: Uint8Array,
  o: number,
  vals: unknown[],
  v: number,
) => number;

type EvaluatorFactory = (H: ClauseRuntime, P: Readonly<Record<string, unknown>>) => VersionEvaluator;

export type CompiledVersion = {
  id: string;
  effectiveFrom: string;
  legalRef: string;
  clauses: readonly CompiledClause[];
  /** Union of facts read by the clauses; `vals` slots follow this order. */
  facts: readonly string[];
  /** For each clause, the indexes into `facts` it reads. */
  clauseFacts: readonly (readonly number[])[];
  params: readonly string[];
  /** The generated source, kept for review and debugging. */
  source: string;
  factory: EvaluatorFactory;
};

export type CompiledPolicy = {
  id: string;
  definition: PolicyDefinition;
  schema: FactSchema;
  versions: readonly CompiledVersion[];
};

const dataSources = new Set<DataSource>([
  'household_registration',
  'social_insurance',
  'education_credentials',
  'enterprise_registry',
  'applicant',
]);
const departments = new Set<Department>([
  'public_security',
  'market_regulation',
  'talent_centre',
  'social_insurance_centre',
]);

export function isValueOfType(type: ValueType, v: unknown): boolean {
  switch (type) {
    case 'int':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'double':
      return typeof v === 'number';
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'list<int>':
      return clauseRuntime.isList(v, 'int');
    case 'list<double>':
      return clauseRuntime.isList(v, 'double');
    case 'list<string>':
      return clauseRuntime.isList(v, 'string');
  }
}

const valueTypes = new Set<ValueType>(['int', 'double', 'string', 'bool', 'list<int>', 'list<double>', 'list<string>']);

function issue(code: string, message: string, where: Partial<CompileIssue> = {}): CompileIssue {
  return { code, message, ...positionOf('', 0), ...where };
}

export function validateSchema(schema: FactSchema): CompileIssue[] {
  const issues: CompileIssue[] = [];
  for (const [name, def] of Object.entries(schema)) {
    const bad = checkName(name);
    if (bad) issues.push(issue('invalid_fact_name', bad));
    if (!valueTypes.has(def.type)) issues.push(issue('invalid_fact_type', `fact '${name}' has unknown type '${String(def.type)}'`));
    if (!dataSources.has(def.source)) issues.push(issue('invalid_source', `fact '${name}' has unknown source '${String(def.source)}'`));
  }
  return issues;
}

function validateParameters(policyId: string, parameters: Readonly<Record<string, ParameterDefinition>>): CompileIssue[] {
  const issues: CompileIssue[] = [];
  for (const [name, def] of Object.entries(parameters)) {
    const bad = checkName(name);
    if (bad) issues.push(issue('invalid_parameter_name', bad, { policyId }));
    if (!valueTypes.has(def.type)) issues.push(issue('invalid_parameter_type', `parameter '${name}' has unknown type`, { policyId }));
    let last = '';
    for (const value of def.values) {
      if (!isIsoDate(value.from) || value.from <= last)
        issues.push(issue('invalid_parameter_date', `parameter '${name}': dates must be YYYY-MM-DD and increasing (${value.from})`, { policyId }));
      if (!isValueOfType(def.type, value.value))
        issues.push(issue('invalid_parameter_value', `parameter '${name}' from ${value.from} is not a ${def.type}`, { policyId }));
      if (!value.legalRef) issues.push(issue('missing_legal_ref', `parameter '${name}' from ${value.from} has no legal reference`, { policyId }));
      last = value.from;
    }
  }
  return issues;
}

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

function generateVersionSource(schema: FactSchema, clauses: readonly CompiledClause[], facts: readonly string[], params: readonly string[]): string {
  const lines: string[] = ['"use strict";'];
  for (const p of params) lines.push(`const p_${p} = P[${JSON.stringify(p)}];`);
  for (const c of clauses) lines.push(...c.constants);
  lines.push('return function evaluateVersion(x, out, o, vals, v) {');
  facts.forEach((f, k) => {
    const def = schema[f]!;
    lines.push(`  const f_${f} = x[${JSON.stringify(f)}];`);
    lines.push(`  const s_${f} = (f_${f} === undefined || f_${f} === null) ? 2 : (${factCheck(def.type, `f_${f}`)}) ? 0 : 3;`);
    lines.push(`  vals[v + ${k}] = f_${f};`);
  });
  lines.push('  let failed = false, review = false, r;');
  clauses.forEach((c, i) => {
    const slot = `out[o + ${i}]`;
    lines.push(`  // ${c.definition.id.replace(/[^\w.-]/g, '_')}`);
    if (c.facts.length > 0) {
      lines.push(`  if (${c.facts.map((f) => `s_${f} === 2`).join(' || ')}) { ${slot} = 2; review = true; }`);
      lines.push(`  else if (${c.facts.map((f) => `s_${f} === 3`).join(' || ')}) { ${slot} = 3; review = true; }`);
      lines.push('  else {');
    } else lines.push('  {');
    if (c.mayThrow) {
      lines.push(`    try { r = ${c.js}; } catch (e) { r = undefined; }`);
      lines.push(`    if (r === true) ${slot} = 0; else if (r === false) { ${slot} = 1; failed = true; } else { ${slot} = 4; review = true; }`);
    } else {
      lines.push(`    if (${c.js}) ${slot} = 0; else { ${slot} = 1; failed = true; }`);
    }
    lines.push('  }');
  });
  lines.push('  return failed ? 1 : review ? 2 : 0;');
  lines.push('};');
  return lines.join('\n');
}

function compileVersion(
  policy: PolicyDefinition,
  schema: FactSchema,
  version: PolicyVersion,
  issues: CompileIssue[],
): CompiledVersion | undefined {
  const env = createClauseEnvironment(schema, policy.parameters);
  const clauses: CompiledClause[] = [];
  const seen = new Set<string>();
  version.clauses.forEach((clause, i) => {
    const where = { policyId: policy.id, versionId: version.id, clauseId: clause.id };
    if (seen.has(clause.id)) issues.push(issue('duplicate_clause', `clause '${clause.id}' appears twice`, where));
    seen.add(clause.id);
    if (!dataSources.has(clause.source)) issues.push(issue('invalid_source', `unknown data source '${String(clause.source)}'`, where));
    if (!departments.has(clause.department)) issues.push(issue('invalid_department', `unknown department '${String(clause.department)}'`, where));
    if (!clause.legalRef) issues.push(issue('missing_legal_ref', 'clause has no legal reference', where));
    try {
      clauses.push(compileClause(env, schema, policy.parameters, clause, `k${i}_`));
    } catch (err) {
      if (!(err instanceof PolicyCompileError)) throw err;
      for (const i2 of err.issues) issues.push({ ...i2, policyId: policy.id, versionId: version.id });
    }
  });
  if (clauses.length !== version.clauses.length) return undefined;
  if (clauses.length === 0) {
    issues.push(issue('empty_version', 'a version needs at least one clause', { policyId: policy.id, versionId: version.id }));
    return undefined;
  }
  const facts: string[] = [];
  const params: string[] = [];
  for (const c of clauses) {
    for (const f of c.facts) if (!facts.includes(f)) facts.push(f);
    for (const p of c.params) if (!params.includes(p)) params.push(p);
  }
  const source = generateVersionSource(schema, clauses, facts, params);
  // Safe to hand to the Function constructor: every identifier in `source` is generated from names
  // that passed checkName, and every literal went through jsString or a number check.
  const factory = new Function('H', 'P', source) as EvaluatorFactory;
  return {
    id: version.id,
    effectiveFrom: version.effectiveFrom,
    legalRef: version.legalRef,
    clauses,
    facts,
    clauseFacts: clauses.map((c) => c.facts.map((f) => facts.indexOf(f))),
    params,
    source,
    factory,
  };
}

/** Compiles every version of a policy; throws PolicyCompileError listing every problem found. */
export function compilePolicy(policy: PolicyDefinition, schema: FactSchema): CompiledPolicy {
  const issues: CompileIssue[] = [...validateSchema(schema), ...validateParameters(policy.id, policy.parameters)];
  if (policy.versions.length === 0) issues.push(issue('no_versions', 'a policy needs at least one version', { policyId: policy.id }));
  let last = '';
  const versions: CompiledVersion[] = [];
  for (const version of policy.versions) {
    if (!isIsoDate(version.effectiveFrom) || version.effectiveFrom <= last)
      issues.push(
        issue('invalid_version_date', `versions need increasing YYYY-MM-DD dates (${version.effectiveFrom})`, {
          policyId: policy.id,
          versionId: version.id,
        }),
      );
    last = version.effectiveFrom;
    if (issues.some((i) => i.code === 'invalid_fact_name')) break;
    const compiled = compileVersion(policy, schema, version, issues);
    if (compiled) versions.push(compiled);
  }
  if (issues.length > 0) throw new PolicyCompileError(issues);
  return { id: policy.id, definition: policy, schema, versions };
}

export type ResolvedParameter = { value: FactValue; from: string; legalRef: string };

export type ResolvedPolicy = {
  policy: CompiledPolicy;
  version: CompiledVersion;
  on: string;
  params: Readonly<Record<string, ResolvedParameter>>;
  evaluate: VersionEvaluator;
};

export class ParameterNotInForceError extends Error {
  constructor(policyId: string, name: string, on: string) {
    super(`policy '${policyId}': parameter '${name}' has no value in force on ${on}`);
    this.name = 'ParameterNotInForceError';
  }
}

/** The version in force on `on` (the last one whose effectiveFrom ≤ on), or undefined. */
export function findVersion(policy: CompiledPolicy, on: string): CompiledVersion | undefined {
  let found: CompiledVersion | undefined;
  for (const v of policy.versions) if (v.effectiveFrom <= on) found = v;
  return found;
}

/** Binds a policy to a date: picks the version and the parameter values in force on that day. */
export function resolvePolicy(policy: CompiledPolicy, on: string): ResolvedPolicy | undefined {
  if (!isIsoDate(on)) throw new RangeError(`evaluation date must be YYYY-MM-DD, got '${on}'`);
  const version = findVersion(policy, on);
  if (!version) return undefined;
  const params: Record<string, ResolvedParameter> = {};
  const values: Record<string, unknown> = {};
  for (const name of version.params) {
    const def = policy.definition.parameters[name]!;
    let found: ResolvedParameter | undefined;
    for (const pv of def.values) if (pv.from <= on) found = { value: pv.value, from: pv.from, legalRef: pv.legalRef };
    if (!found) throw new ParameterNotInForceError(policy.id, name, on);
    params[name] = found;
    values[name] = Array.isArray(found.value) ? Object.freeze([...(found.value as unknown[])]) : found.value;
  }
  return { policy, version, on, params, evaluate: version.factory(clauseRuntime, Object.freeze(values)) };
}
