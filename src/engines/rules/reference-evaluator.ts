// The cel-js interpreter run over the same clauses, with the same missing/invalid-fact rules: the
// yardstick the generated code must agree with, and a fallback nobody needs to trust blindly.
import type { ResolvedPolicy } from './compile-policy.js';
import { isValueOfType } from './compile-policy.js';
import type { EvaluationPlan } from './evaluate-batch.js';
import type { ApplicantFacts, FactValue, ValueType } from './policy.js';

/** Outcome codes as in the generated code: 0 passed, 1 failed, 2 missing, 3 invalid fact, 4 runtime error. */
export type ReferenceDecision = { decision: number; outcomes: number[] };

function toCel(type: ValueType, v: FactValue): unknown {
  if (type === 'int') return BigInt(v as number);
  if (type === 'list<int>') return (v as readonly number[]).map((x) => BigInt(x));
  return v;
}

const paramCache = new WeakMap<ResolvedPolicy, Record<string, unknown>>();

function celParams(policy: ResolvedPolicy): Record<string, unknown> {
  let cached = paramCache.get(policy);
  if (!cached) {
    cached = {};
    for (const [name, p] of Object.entries(policy.params)) cached[name] = toCel(policy.policy.definition.parameters[name]!.type, p.value);
    paramCache.set(policy, cached);
  }
  return cached;
}

export function evaluateWithReference(policy: ResolvedPolicy, facts: ApplicantFacts): ReferenceDecision {
  const schema = policy.policy.schema;
  const version = policy.version;
  const status: Record<string, number> = {};
  const context: Record<string, unknown> = { params: celParams(policy) };
  for (const name of version.facts) {
    const def = schema[name]!;
    const v = Object.hasOwn(facts, name) ? facts[name] : undefined;
    if (v === undefined || v === null) status[name] = 2;
    else if (!isValueOfType(def.type, v)) status[name] = 3;
    else {
      status[name] = 0;
      context[name] = toCel(def.type, v);
    }
  }
  let failed = false;
  let review = false;
  const outcomes = version.clauses.map((clause) => {
    if (clause.facts.some((f) => status[f] === 2)) {
      review = true;
      return 2;
    }
    if (clause.facts.some((f) => status[f] === 3)) {
      review = true;
      return 3;
    }
    let r: unknown;
    try {
      r = clause.reference(context);
    } catch {
      review = true;
      return 4;
    }
    if (r === true) return 0;
    if (r === false) {
      failed = true;
      return 1;
    }
    review = true;
    return 4;
  });
  return { decision: failed ? 1 : review ? 2 : 0, outcomes };
}

export function evaluatePlanWithReference(plan: EvaluationPlan, facts: ApplicantFacts): ReferenceDecision[] {
  return plan.policies.map((p) => evaluateWithReference(p, facts));
}
