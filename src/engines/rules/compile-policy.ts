// Compiles a policy once: every clause of every version is parsed, type-checked and translated to JS.
// Binding to a date only picks a version and parameter values; generate-evaluator.ts then fuses the
// translated clauses of all policies in force into one function.
import { clauseRuntime } from './clause-runtime.js';
import { PolicyCompileError, checkName, compileClause, createClauseEnvironment, positionOf } from './compile-clause.js';
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
const departments = new Set<Department>(['public_security', 'market_regulation', 'talent_centre', 'social_insurance_centre']);

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
        issues.push(
          issue('invalid_parameter_date', `parameter '${name}': dates must be YYYY-MM-DD and increasing (${value.from})`, { policyId }),
        );
      if (!isValueOfType(def.type, value.value))
        issues.push(issue('invalid_parameter_value', `parameter '${name}' from ${value.from} is not a ${def.type}`, { policyId }));
      if (!value.legalRef)
        issues.push(issue('missing_legal_ref', `parameter '${name}' from ${value.from} has no legal reference`, { policyId }));
      last = value.from;
    }
  }
  return issues;
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
    if (!departments.has(clause.department))
      issues.push(issue('invalid_department', `unknown department '${String(clause.department)}'`, where));
    if (!clause.legalRef) issues.push(issue('missing_legal_ref', 'clause has no legal reference', where));
    try {
      clauses.push(compileClause(env, schema, policy.parameters, clause, `k$_${i}_`));
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
  return {
    id: version.id,
    effectiveFrom: version.effectiveFrom,
    legalRef: version.legalRef,
    clauses,
    facts,
    clauseFacts: clauses.map((c) => c.facts.map((f) => facts.indexOf(f))),
    params,
  };
}

const fatalCodes = new Set(['invalid_fact_name', 'invalid_fact_type', 'invalid_parameter_name', 'invalid_parameter_type']);

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
    // cel-js cannot even register a bad name or type, so clauses are only compiled on a sound schema.
    if (issues.some((i) => fatalCodes.has(i.code))) break;
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
  for (const name of version.params) {
    const def = policy.definition.parameters[name]!;
    let found: ResolvedParameter | undefined;
    for (const pv of def.values) if (pv.from <= on) found = { value: pv.value, from: pv.from, legalRef: pv.legalRef };
    if (!found) throw new ParameterNotInForceError(policy.id, name, on);
    params[name] = found;
  }
  return { policy, version, on, params };
}
