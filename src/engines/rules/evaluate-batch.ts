// Evaluates many applicants against many policies on one date. Bulk runs use the columnar form
// (typed arrays reused between batches, so memory stays flat); `evaluateApplicants` and
// `readDecision` give the same traces as plain objects.
import { compilePolicy, resolvePolicy } from './compile-policy.js';
import { generatePlanEvaluator } from './generate-evaluator.js';
import type { PlanEvaluator } from './generate-evaluator.js';
import type { CompiledPolicy, ResolvedPolicy } from './compile-policy.js';
import type { Applicant, ClauseOutcome, DataSource, Decision, Department, FactSchema, FactValue, PolicyDefinition } from './policy.js';
import { decisionCodes } from './policy.js';

export type CompiledPolicySet = { schema: FactSchema; policies: readonly CompiledPolicy[] };

export function compilePolicies(schema: FactSchema, definitions: readonly PolicyDefinition[]): CompiledPolicySet {
  const ids = new Set<string>();
  for (const d of definitions) {
    if (ids.has(d.id)) throw new Error(`policy '${d.id}' is defined twice`);
    ids.add(d.id);
  }
  return { schema, policies: definitions.map((d) => compilePolicy(d, schema)) };
}

/** The policies in force on one date, fused into one evaluator, with where each one's results sit in a row. */
export type EvaluationPlan = {
  on: string;
  policies: readonly ResolvedPolicy[];
  notInForce: readonly string[];
  clauseOffsets: readonly number[];
  clausesPerApplicant: number;
  /** Facts read by any policy; value slot k of a row holds facts[k]. */
  facts: readonly string[];
  /** For policy p, version fact k → index into `facts`. */
  factSlots: readonly (readonly number[])[];
  /** The generated source, kept for review and debugging. */
  source: string;
  evaluate: PlanEvaluator;
};

const planCache = new WeakMap<CompiledPolicySet, Map<string, EvaluationPlan>>();

/** Binds a policy set to a date; the result is cached per set and date. */
export function planEvaluation(set: CompiledPolicySet, on: string): EvaluationPlan {
  let byDate = planCache.get(set);
  const cached = byDate?.get(on);
  if (cached) return cached;
  const policies: ResolvedPolicy[] = [];
  const notInForce: string[] = [];
  for (const p of set.policies) {
    const r = resolvePolicy(p, on);
    if (r) policies.push(r);
    else notInForce.push(p.id);
  }
  const clauseOffsets: number[] = [];
  const facts: string[] = [];
  let c = 0;
  for (const p of policies) {
    clauseOffsets.push(c);
    c += p.version.clauses.length;
    for (const f of p.version.facts) if (!facts.includes(f)) facts.push(f);
  }
  const factSlots = policies.map((p) => p.version.facts.map((f) => facts.indexOf(f)));
  const { source, evaluate } = generatePlanEvaluator(set.schema, policies, facts);
  const plan: EvaluationPlan = { on, policies, notInForce, clauseOffsets, clausesPerApplicant: c, facts, factSlots, source, evaluate };
  if (!byDate) planCache.set(set, (byDate = new Map()));
  byDate.set(on, plan);
  return plan;
}

/**
 * Row i holds applicant i: `decisions[i * policies + p]`, `outcomes[i * clausesPerApplicant +
 * clauseOffsets[p] + c]`, `values[i * facts.length + k]`.
 */
export type BatchEvaluation = {
  plan: EvaluationPlan;
  applicants: readonly Applicant[];
  count: number;
  decisions: Uint8Array;
  outcomes: Uint8Array;
  values: unknown[];
};

/** Evaluates a batch; pass the previous result as `reuse` to recycle its buffers. */
export function evaluateBatch(plan: EvaluationPlan, applicants: readonly Applicant[], reuse?: BatchEvaluation): BatchEvaluation {
  const n = applicants.length;
  const np = plan.policies.length;
  const cpa = plan.clausesPerApplicant;
  const vpa = plan.facts.length;
  const fits = reuse && reuse.plan === plan && reuse.decisions.length >= n * np;
  const decisions = fits ? reuse.decisions : new Uint8Array(n * np);
  const outcomes = fits ? reuse.outcomes : new Uint8Array(n * cpa);
  const values = fits ? reuse.values : new Array<unknown>(n * vpa).fill(undefined);
  const evaluate = plan.evaluate;
  for (let i = 0; i < n; i++) evaluate(applicants[i]!.facts, decisions, i * np, outcomes, i * cpa, values, i * vpa);
  return { plan, applicants, count: n, decisions, outcomes, values };
}

export type ClauseTrace = {
  clauseId: string;
  outcome: ClauseOutcome;
  /** Present when outcome is `error`. */
  error?: 'invalid_fact' | 'runtime_error';
  /** The facts the clause read, null where missing. */
  values: Record<string, FactValue | null>;
  missing: readonly string[];
  params: Record<string, FactValue>;
  source: DataSource;
  department: Department;
  legalRef: string;
};

export type PolicyDecision = {
  applicantId: string;
  policyId: string;
  versionId: string;
  on: string;
  decision: Decision;
  clauses: ClauseTrace[];
};

const outcomeOf: readonly ClauseOutcome[] = ['passed', 'failed', 'missing', 'error', 'error'];

/** Materialises the trace of applicant `i` (row in the batch) for policy index `p` of the plan. */
export function readDecision(batch: BatchEvaluation, i: number, p: number): PolicyDecision {
  const { plan } = batch;
  const policy = plan.policies[p]!;
  const version = policy.version;
  const o = i * plan.clausesPerApplicant + plan.clauseOffsets[p]!;
  const v = i * plan.facts.length;
  const slots = plan.factSlots[p]!;
  const clauses = version.clauses.map((clause, c): ClauseTrace => {
    const code = batch.outcomes[o + c]!;
    const values: Record<string, FactValue | null> = {};
    const missing: string[] = [];
    for (const k of version.clauseFacts[c]!) {
      const name = version.facts[k]!;
      const value = batch.values[v + slots[k]!] as FactValue | null | undefined;
      values[name] = value ?? null;
      if (value === undefined || value === null) missing.push(name);
    }
    const params: Record<string, FactValue> = {};
    for (const name of clause.params) params[name] = policy.params[name]!.value;
    const trace: ClauseTrace = {
      clauseId: clause.definition.id,
      outcome: outcomeOf[code]!,
      values,
      missing,
      params,
      source: clause.definition.source,
      department: clause.definition.department,
      legalRef: clause.definition.legalRef,
    };
    if (code === 3) trace.error = 'invalid_fact';
    if (code === 4) trace.error = 'runtime_error';
    return trace;
  });
  return {
    applicantId: batch.applicants[i]!.id,
    policyId: policy.policy.id,
    versionId: version.id,
    on: plan.on,
    decision: decisionCodes[batch.decisions[i * plan.policies.length + p]!]!,
    clauses,
  };
}

/** Decides every applicant against every policy in force on `on`, each decision with its trace. */
export function evaluateApplicants(set: CompiledPolicySet, applicants: readonly Applicant[], options: { on: string }): PolicyDecision[] {
  const plan = planEvaluation(set, options.on);
  const batch = evaluateBatch(plan, applicants);
  const out: PolicyDecision[] = [];
  for (let i = 0; i < applicants.length; i++) for (let p = 0; p < plan.policies.length; p++) out.push(readDecision(batch, i, p));
  return out;
}
