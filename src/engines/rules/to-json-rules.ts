// Converts a policy version (bound to a date) into json-rules-engine rules, so the benchmark's
// baseline runs the very same clauses. Covers the subset the benchmark policies use: comparisons of a
// fact with a literal, parameter or fact; && || !; `in` on lists; startsWith/endsWith/contains; and
// `list.exists(x, x == c)` / `list.exists(x, x.startsWith(c))`. Anything else is refused.
// json-rules-engine is a devDependency: keep this module out of the public index.
import { Engine } from 'json-rules-engine';
import type { RuleProperties, TopLevelCondition } from 'json-rules-engine';
import type { ASTNode } from '@marcbachmann/cel-js';
import type { ResolvedPolicy } from './compile-policy.js';
import type { ApplicantFacts } from './policy.js';
import type { ReferenceDecision } from './reference-evaluator.js';

type Leaf = { fact: string; operator: string; value: unknown };
type Condition = Leaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export class UnsupportedForJsonRules extends Error {
  constructor(what: string) {
    super(`cannot express in json-rules-engine: ${what}`);
    this.name = 'UnsupportedForJsonRules';
  }
}

const flipped: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };
const operatorNames: Record<string, string> = {
  '==': 'equal',
  '!=': 'notEqual',
  '<': 'lessThan',
  '<=': 'lessThanInclusive',
  '>': 'greaterThan',
  '>=': 'greaterThanInclusive',
};

type Operand = { kind: 'fact'; name: string } | { kind: 'value'; value: unknown } | { kind: 'var'; name: string };

function operand(node: ASTNode, params: ResolvedPolicy['params'], loopVar?: string): Operand {
  if (node.op === 'id') return node.args === loopVar ? { kind: 'var', name: node.args } : { kind: 'fact', name: node.args };
  if (node.op === 'value') return { kind: 'value', value: typeof node.args === 'bigint' ? Number(node.args) : node.args };
  if (node.op === 'list' && node.args.every((n) => n.op === 'value'))
    return { kind: 'value', value: node.args.map((n) => (typeof n.args === 'bigint' ? Number(n.args) : n.args)) };
  if (node.op === '-_' && node.args.op === 'value' && typeof node.args.args !== 'object')
    return { kind: 'value', value: -Number(node.args.args) };
  if (node.op === '.' && node.args[0].op === 'id' && node.args[0].args === 'params') {
    const p = params[node.args[1]];
    if (!p) throw new UnsupportedForJsonRules(`parameter ${node.args[1]}`);
    return { kind: 'value', value: p.value };
  }
  throw new UnsupportedForJsonRules(`operand '${node.op}'`);
}

function convert(node: ASTNode, params: ResolvedPolicy['params']): Condition {
  switch (node.op) {
    case '&&':
      return { all: node.args.flatMap((n) => flatten(convert(n, params), 'all')) };
    case '||':
      return { any: node.args.flatMap((n) => flatten(convert(n, params), 'any')) };
    case '!_':
      return { not: convert(node.args, params) };
    case 'id':
      return { fact: node.args, operator: 'equal', value: true };
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      let [l, r] = [operand(node.args[0], params), operand(node.args[1], params)];
      let op: string = node.op;
      if (l.kind !== 'fact') {
        [l, r] = [r, l];
        op = flipped[op]!;
      }
      if (l.kind !== 'fact') throw new UnsupportedForJsonRules('comparison without a fact');
      const value = r.kind === 'fact' ? { fact: r.name } : r.kind === 'value' ? r.value : undefined;
      if (r.kind === 'var') throw new UnsupportedForJsonRules('loop variable outside a macro');
      return { fact: l.name, operator: operatorNames[op]!, value };
    }
    case 'in': {
      const elem = operand(node.args[0], params);
      const list = operand(node.args[1], params);
      if (elem.kind === 'fact' && list.kind === 'value') return { fact: elem.name, operator: 'in', value: list.value };
      if (elem.kind === 'value' && list.kind === 'fact') return { fact: list.name, operator: 'contains', value: elem.value };
      throw new UnsupportedForJsonRules("'in' shape");
    }
    case 'rcall': {
      const [name, receiver, args] = node.args;
      if (name === 'startsWith' || name === 'endsWith' || name === 'contains') {
        const recv = operand(receiver, params);
        const arg = args[0] ? operand(args[0], params) : undefined;
        if (recv.kind !== 'fact' || arg?.kind !== 'value') throw new UnsupportedForJsonRules(`${name} shape`);
        return { fact: recv.name, operator: name === 'contains' ? 'stringContains' : name, value: arg.value };
      }
      if (name === 'exists') {
        const list = operand(receiver, params);
        const [v, pred] = args;
        if (list.kind !== 'fact' || v?.op !== 'id' || !pred) throw new UnsupportedForJsonRules('exists shape');
        if (pred.op === '==') {
          const a = operand(pred.args[0], params, v.args);
          const b = operand(pred.args[1], params, v.args);
          const value = a.kind === 'var' && b.kind === 'value' ? b.value : b.kind === 'var' && a.kind === 'value' ? a.value : undefined;
          if (value === undefined) throw new UnsupportedForJsonRules('exists predicate');
          return { fact: list.name, operator: 'contains', value };
        }
        if (pred.op === 'rcall' && pred.args[0] === 'startsWith') {
          const recv = operand(pred.args[1], params, v.args);
          const arg = pred.args[2][0] ? operand(pred.args[2][0], params, v.args) : undefined;
          if (recv.kind !== 'var' || arg?.kind !== 'value') throw new UnsupportedForJsonRules('exists predicate');
          return { fact: list.name, operator: 'someStartsWith', value: arg.value };
        }
      }
      throw new UnsupportedForJsonRules(`method ${name}`);
    }
    default:
      throw new UnsupportedForJsonRules(`'${node.op}'`);
  }
}

function flatten(c: Condition, kind: 'all' | 'any'): Condition[] {
  if (kind === 'all' && 'all' in c) return c.all;
  if (kind === 'any' && 'any' in c) return c.any;
  return [c];
}

function topLevel(c: Condition): TopLevelCondition {
  return ('all' in c || 'any' in c || 'not' in c ? c : { all: [c] }) as TopLevelCondition;
}

/**
 * One rule per clause, named `<policy>:<clause>` by index. Whether the clause's facts are present is
 * checked in plain JS beside the engine (see decideWithJsonRules), which is cheaper than a second
 * rule and so kinder to the baseline.
 */
export function convertToJsonRules(policy: ResolvedPolicy, policyIndex = 0): RuleProperties[] {
  return policy.version.clauses.map((clause, i) => ({
    name: `${policyIndex}:${i}`,
    conditions: topLevel(convert(clause.reference.ast, policy.params)),
    event: { type: 'pass', params: { policy: policyIndex, clause: i } },
  }));
}

function addOperators(engine: Engine): Engine {
  engine.addOperator('startsWith', (a: unknown, b: string) => typeof a === 'string' && a.startsWith(b));
  engine.addOperator('endsWith', (a: unknown, b: string) => typeof a === 'string' && a.endsWith(b));
  engine.addOperator('stringContains', (a: unknown, b: string) => typeof a === 'string' && a.includes(b));
  engine.addOperator(
    'someStartsWith',
    (a: unknown, b: string) => Array.isArray(a) && a.some((x) => typeof x === 'string' && x.startsWith(b)),
  );
  return engine;
}

/** One engine for one policy. */
export function createJsonRulesEngine(policy: ResolvedPolicy): Engine {
  return addOperators(new Engine(convertToJsonRules(policy), { allowUndefinedFacts: true }));
}

/** One engine holding every policy of a plan, so one run decides an applicant on all of them. */
export function createJsonRulesEngineForPlan(policies: readonly ResolvedPolicy[]): Engine {
  return addOperators(
    new Engine(
      policies.flatMap((p, i) => convertToJsonRules(p, i)),
      { allowUndefinedFacts: true },
    ),
  );
}

function present(facts: ApplicantFacts, names: readonly string[]): boolean {
  for (const n of names) {
    const v = Object.hasOwn(facts, n) ? facts[n] : undefined;
    if (v === undefined || v === null) return false;
  }
  return true;
}

function toDecision(policy: ResolvedPolicy, facts: ApplicantFacts, pass: readonly boolean[]): ReferenceDecision {
  let failed = false;
  let review = false;
  const outcomes = policy.version.clauses.map((clause, i) => {
    if (!present(facts, clause.facts)) {
      review = true;
      return 2;
    }
    if (pass[i]) return 0;
    failed = true;
    return 1;
  });
  return { decision: failed ? 1 : review ? 2 : 0, outcomes };
}

/** Runs a one-policy engine and reads its rule results back into outcome and decision codes. */
export async function decideWithJsonRules(engine: Engine, policy: ResolvedPolicy, facts: ApplicantFacts): Promise<ReferenceDecision> {
  return (await decideAllWithJsonRules(engine, [policy], facts))[0]!;
}

/** Runs a plan-wide engine once for an applicant; one decision per policy. */
export async function decideAllWithJsonRules(
  engine: Engine,
  policies: readonly ResolvedPolicy[],
  facts: ApplicantFacts,
): Promise<ReferenceDecision[]> {
  const result = await engine.run(facts);
  const pass = policies.map((p) => new Array<boolean>(p.version.clauses.length).fill(false));
  for (const r of result.results) {
    const colon = r.name.indexOf(':');
    pass[Number(r.name.slice(0, colon))]![Number(r.name.slice(colon + 1))] = true;
  }
  return policies.map((p, i) => toDecision(p, facts, pass[i]!));
}
