// Parses and type-checks one clause with cel-js, then translates the checked AST into a JS
// expression through a whitelist: any node kind, function or identifier not listed here is refused
// with its position, so the generated code can only touch fact locals, parameter locals and helpers.
import { Environment } from '@marcbachmann/cel-js';
import type { ASTNode, ParseResult } from '@marcbachmann/cel-js';
import type { ClauseDefinition, FactSchema, ParameterDefinition } from './policy.js';

export type CompileIssue = {
  code: string;
  message: string;
  policyId?: string;
  versionId?: string;
  clauseId?: string;
  /** 0-based offset into the expression, 1-based line and column. */
  offset: number;
  line: number;
  column: number;
};

export class PolicyCompileError extends Error {
  readonly issues: readonly CompileIssue[];
  constructor(issues: readonly CompileIssue[]) {
    super(
      issues
        .map((i) => `${[i.policyId, i.versionId, i.clauseId].filter(Boolean).join('/')} ${i.line}:${i.column} ${i.code}: ${i.message}`)
        .join('\n'),
    );
    this.name = 'PolicyCompileError';
    this.issues = issues;
  }
}

/** Cost bounds: what a clause may be, whoever wrote it. */
export const clauseLimits = {
  maxExpressionLength: 2000,
  maxAstNodes: 300,
  maxDepth: 24,
  maxListElements: 200,
  maxCallArguments: 4,
} as const;

export type CompiledClause = {
  definition: ClauseDefinition;
  /** Facts the clause reads, in first-use order; a missing one makes the clause `missing`. */
  facts: readonly string[];
  params: readonly string[];
  /** JS expression over `f_<fact>`, `p$_<param>`, hoisted constants `k$_…` and `H` helpers; `$` is the policy placeholder. */
  js: string;
  /** Hoisted constant declarations (`const k… = …;`) the expression refers to. */
  constants: readonly string[];
  /** True when evaluation can throw (integer overflow, division by zero, conversions). */
  mayThrow: boolean;
  /** cel-js interpreter for the same expression: the reference the generated code is tested against. */
  reference: ParseResult;
};

const namePattern = /^[a-z][a-z0-9_]{0,63}$/;
const reservedNames = new Set([
  'params',
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
  'dyn',
  'int',
  'uint',
  'double',
  'string',
  'bool',
  'bytes',
  'list',
  'map',
  'type',
  'size',
  'has',
  'timestamp',
  'duration',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** Fact and parameter names become JS identifiers and property keys, so only a plain shape is allowed. */
export function checkName(name: string): string | undefined {
  if (!namePattern.test(name)) return `name '${name}' must match ${namePattern.source}`;
  if (reservedNames.has(name)) return `name '${name}' is reserved`;
  return undefined;
}

export function positionOf(expr: string, offset: number): { offset: number; line: number; column: number } {
  const at = Math.max(0, Math.min(offset, expr.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (expr.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: at, line, column: at - lineStart + 1 };
}

/** Builds the cel-js environment a policy's clauses are checked in: every schema fact plus `params`. */
export function createClauseEnvironment(schema: FactSchema, parameters: Readonly<Record<string, ParameterDefinition>>): Environment {
  const env = new Environment({
    limits: {
      maxAstNodes: clauseLimits.maxAstNodes,
      maxDepth: clauseLimits.maxDepth,
      maxListElements: clauseLimits.maxListElements,
      maxMapEntries: 0,
      maxCallArguments: clauseLimits.maxCallArguments,
    },
  });
  for (const [name, def] of Object.entries(schema)) env.registerVariable(name, def.type);
  const paramSchema: Record<string, string> = {};
  for (const [name, def] of Object.entries(parameters)) paramSchema[name] = def.type;
  env.registerVariable({ name: 'params', schema: paramSchema });
  return env;
}

class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type ErrorWithRange = { code?: unknown; summary?: unknown; message?: unknown; range?: { start?: unknown } };

function issueFromCelError(expr: string, err: unknown): Omit<CompileIssue, 'policyId' | 'versionId' | 'clauseId'> {
  const e = (err ?? {}) as ErrorWithRange;
  const start = typeof e.range?.start === 'number' ? e.range.start : 0;
  const message = typeof e.summary === 'string' ? e.summary : String(e.message ?? err);
  return { code: typeof e.code === 'string' ? e.code : 'invalid_expression', message, ...positionOf(expr, start) };
}

/**
 * JSON string literals are valid JS literals; the two line separators are escaped for older parsers,
 * and `$` because generated names use it as the policy placeholder (see generate-evaluator.ts).
 */
export function jsString(s: string): string {
  return JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/\$/g, '\\u0024');
}

const numericTypes = new Set(['int', 'double']);
const scalarTypes = new Set(['int', 'double', 'string', 'bool']);

type Scope = ReadonlyMap<string, { js: string; type: string }>;

type Translator = {
  schema: FactSchema;
  parameters: Readonly<Record<string, ParameterDefinition>>;
  constPrefix: string;
  facts: string[];
  params: string[];
  constants: string[];
  mayThrow: boolean;
};

function typeOf(node: ASTNode): string {
  const t = (node as { checkedType?: { name?: unknown } }).checkedType;
  return typeof t?.name === 'string' ? t.name : 'unknown';
}

function isConstant(node: ASTNode): boolean {
  return node.op === 'value' || (node.op === 'list' && node.args.every(isConstant));
}

function literal(node: ASTNode): string {
  if (node.op !== 'value') throw new Refusal('unsupported', `expected a literal, got '${node.op}'`, node.start);
  const v = node.args;
  switch (typeof v) {
    case 'bigint':
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
        throw new Refusal('int_out_of_range', 'integer literal outside ±2^53 is not supported', node.start);
      return String(v);
    case 'number':
      if (!Number.isFinite(v)) throw new Refusal('unsupported', 'non-finite literal', node.start);
      return Object.is(v, -0) ? '-0' : String(v);
    case 'string':
      return jsString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      throw new Refusal('unsupported', `literal of type '${typeOf(node)}' is not supported`, node.start);
  }
}

function hoist(t: Translator, expression: string): string {
  const name = `${t.constPrefix}${t.constants.length}`;
  t.constants.push(`const ${name} = ${expression};`);
  return name;
}

function translate(t: Translator, node: ASTNode, scope: Scope, inMacro: boolean): string {
  const type = typeOf(node);
  switch (node.op) {
    case 'value':
      return literal(node);
    case 'id': {
      const local = scope.get(node.args);
      if (local) return local.js;
      const def = Object.hasOwn(t.schema, node.args) ? t.schema[node.args] : undefined;
      if (!def) throw new Refusal('unknown_identifier', `unknown identifier '${node.args}'`, node.start);
      if (!t.facts.includes(node.args)) t.facts.push(node.args);
      return `f_${node.args}`;
    }
    case '.': {
      const [target, field] = node.args;
      if (target.op !== 'id' || target.args !== 'params' || scope.has('params'))
        throw new Refusal('unsupported', 'field selection is only allowed on params', node.start);
      if (!Object.hasOwn(t.parameters, field) || checkName(field))
        throw new Refusal('unknown_parameter', `unknown parameter '${field}'`, node.start);
      if (!t.params.includes(field)) t.params.push(field);
      return `p$_${field}`;
    }
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const [l, r] = node.args;
      if (!scalarTypes.has(typeOf(l)) || !scalarTypes.has(typeOf(r)))
        throw new Refusal('unsupported', `'${node.op}' is supported on int, double, string and bool only`, node.start);
      const op = node.op === '==' ? '===' : node.op === '!=' ? '!==' : node.op;
      return `(${translate(t, l, scope, inMacro)} ${op} ${translate(t, r, scope, inMacro)})`;
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      const [l, r] = node.args;
      const a = translate(t, l, scope, inMacro);
      const b = translate(t, r, scope, inMacro);
      if (type === 'int') {
        t.mayThrow = true;
        const fn = { '+': 'iadd', '-': 'isub', '*': 'imul', '/': 'idiv', '%': 'imod' }[node.op];
        return `H.${fn}(${a}, ${b})`;
      }
      if (type === 'double' && node.op !== '%') return `(${a} ${node.op} ${b})`;
      if (type === 'string' && node.op === '+') return `(${a} + ${b})`;
      throw new Refusal('unsupported', `'${node.op}' on '${type}' is not supported`, node.start);
    }
    case '-_': {
      if (!numericTypes.has(type)) throw new Refusal('unsupported', `unary minus on '${type}'`, node.start);
      const inner = node.args;
      // Fold negative literals so -9007199254740991 stays a literal rather than an overflow check.
      if (inner.op === 'value' && (typeof inner.args === 'bigint' || typeof inner.args === 'number')) return `(-${literal(inner)})`;
      return `(-${translate(t, inner, scope, inMacro)})`;
    }
    case '!_':
      return `(!${translate(t, node.args, scope, inMacro)})`;
    case '&&':
    case '||': {
      const [l, r] = node.args;
      const before = t.mayThrow;
      t.mayThrow = false;
      const a = translate(t, l, scope, inMacro);
      const b = translate(t, r, scope, inMacro);
      const throws = t.mayThrow;
      t.mayThrow = before || throws;
      // CEL's && and || are commutative over errors (`error || true` is true); plain JS is kept
      // when neither side can throw, which is the common case.
      if (!throws) return `(${a} ${node.op} ${b})`;
      return `H.${node.op === '&&' ? 'land' : 'lor'}(() => ${a}, () => ${b})`;
    }
    case '?:': {
      const [c, a, b] = node.args;
      return `(${translate(t, c, scope, inMacro)} ? ${translate(t, a, scope, inMacro)} : ${translate(t, b, scope, inMacro)})`;
    }
    case 'in': {
      const [elem, list] = node.args;
      const elemType = typeOf(elem);
      if (!scalarTypes.has(elemType) || !typeOf(list).startsWith('list<'))
        throw new Refusal('unsupported', "'in' is supported on lists of int, double, string and bool only", node.start);
      const e = translate(t, elem, scope, inMacro);
      // A Set treats NaN as equal to itself, CEL does not, so doubles keep indexOf.
      if (isConstant(list) && elemType !== 'double') {
        const set = hoist(t, `new Set(${translate(t, list, scope, inMacro)})`);
        return `${set}.has(${e})`;
      }
      return `(${translate(t, list, scope, inMacro)}.indexOf(${e}) !== -1)`;
    }
    case 'list': {
      if (node.args.length > clauseLimits.maxListElements) throw new Refusal('limit_exceeded', 'list literal too long', node.start);
      const items = node.args.map((n) => translate(t, n, scope, inMacro));
      const js = `[${items.join(', ')}]`;
      return isConstant(node) ? hoist(t, `Object.freeze(${js})`) : js;
    }
    case 'call': {
      const [name, args] = node.args;
      const arg = args[0];
      if (args.length !== 1 || !arg) throw new Refusal('unsupported_function', `function '${name}' is not allowed`, node.start);
      const argType = typeOf(arg);
      const a = translate(t, arg, scope, inMacro);
      if (name === 'size') return sizeOf(argType, a, node);
      if (name === 'int' && argType === 'int') return a;
      if (name === 'int' && argType === 'double') {
        t.mayThrow = true;
        return `H.toInt(${a})`;
      }
      if (name === 'double' && (argType === 'int' || argType === 'double')) return `(+${a})`;
      throw new Refusal('unsupported_function', `function '${name}(${argType})' is not allowed`, node.start);
    }
    case 'rcall': {
      const [name, receiver, args] = node.args;
      const recvType = typeOf(receiver);
      if (name === 'exists' || name === 'all' || name === 'exists_one') return macro(t, node, name, receiver, args, scope, inMacro);
      const r = translate(t, receiver, scope, inMacro);
      if (name === 'size' && args.length === 0) return sizeOf(recvType, r, node);
      if ((name === 'startsWith' || name === 'endsWith' || name === 'contains') && recvType === 'string' && args.length === 1) {
        const arg = args[0]!;
        if (typeOf(arg) !== 'string') throw new Refusal('unsupported', `${name} needs a string`, arg.start);
        const method = name === 'contains' ? 'includes' : name;
        return `${r}.${method}(${translate(t, arg, scope, inMacro)})`;
      }
      throw new Refusal('unsupported_function', `method '${recvType}.${name}' is not allowed`, node.start);
    }
    default:
      throw new Refusal('unsupported', `'${node.op}' is not supported`, node.start);
  }
}

function sizeOf(argType: string, js: string, node: ASTNode): string {
  if (argType === 'string') return `H.strSize(${js})`;
  if (argType.startsWith('list<')) return `${js}.length`;
  throw new Refusal('unsupported_function', `size(${argType}) is not allowed`, node.start);
}

function macro(
  t: Translator,
  node: ASTNode,
  name: string,
  receiver: ASTNode,
  args: readonly ASTNode[],
  scope: Scope,
  inMacro: boolean,
): string {
  // One level of macros keeps every clause linear in the size of its list facts.
  if (inMacro) throw new Refusal('limit_exceeded', 'nested list macros are not allowed', node.start);
  const [variable, predicate] = args;
  if (args.length !== 2 || !variable || !predicate || variable.op !== 'id')
    throw new Refusal('unsupported', `${name} takes a variable and a predicate`, node.start);
  const listType = typeOf(receiver);
  const elemType = /^list<(int|double|string|bool)>$/.exec(listType)?.[1];
  if (!elemType) throw new Refusal('unsupported', `${name} over '${listType}'`, node.start);
  const varName = variable.args;
  if (Object.hasOwn(t.schema, varName) || varName === 'params')
    throw new Refusal('shadowing', `macro variable '${varName}' hides a fact or params`, variable.start);
  const list = translate(t, receiver, scope, inMacro);
  const inner = new Map(scope);
  inner.set(varName, { js: 'm_0', type: elemType });
  const before = t.mayThrow;
  t.mayThrow = false;
  const body = translate(t, predicate, inner, true);
  const throws = t.mayThrow;
  t.mayThrow = before || throws;
  if (!throws) {
    if (name === 'exists') return `${list}.some((m_0) => ${body})`;
    if (name === 'all') return `${list}.every((m_0) => ${body})`;
    return `(H.count(${list}, (m_0) => ${body}) === 1)`;
  }
  // With a predicate that can throw, CEL lets a decisive element win over an erroring one.
  return `H.${name === 'exists' ? 'exists' : name === 'all' ? 'all' : 'existsOne'}(${list}, (m_0) => ${body})`;
}

/**
 * Parses, type-checks and translates a clause. Throws PolicyCompileError with the position of the
 * first problem; the clause must be of type bool.
 */
export function compileClause(
  env: Environment,
  schema: FactSchema,
  parameters: Readonly<Record<string, ParameterDefinition>>,
  clause: ClauseDefinition,
  constPrefix: string,
): CompiledClause {
  const expr = clause.expr;
  const fail = (issue: Omit<CompileIssue, 'clauseId'>): never => {
    throw new PolicyCompileError([{ ...issue, clauseId: clause.id }]);
  };
  if (typeof expr !== 'string' || expr.trim() === '')
    fail({ code: 'empty_expression', message: 'expression is empty', ...positionOf('', 0) });
  if (expr.length > clauseLimits.maxExpressionLength)
    fail({
      code: 'limit_exceeded',
      message: `expression longer than ${clauseLimits.maxExpressionLength} characters`,
      ...positionOf(expr, clauseLimits.maxExpressionLength),
    });
  let parsed: ParseResult;
  try {
    parsed = env.parse(expr);
  } catch (err) {
    return fail(issueFromCelError(expr, err));
  }
  let checked: ReturnType<ParseResult['check']>;
  try {
    checked = parsed.check();
  } catch (err) {
    return fail(issueFromCelError(expr, err));
  }
  if (!checked.valid) return fail(issueFromCelError(expr, checked.error));
  if (checked.type !== 'bool')
    fail({ code: 'not_boolean', message: `clause must be bool, got '${checked.type ?? 'unknown'}'`, ...positionOf(expr, 0) });
  const t: Translator = { schema, parameters, constPrefix, facts: [], params: [], constants: [], mayThrow: false };
  let js: string;
  try {
    js = translate(t, parsed.ast, new Map(), false);
  } catch (err) {
    if (err instanceof Refusal) return fail({ code: err.code, message: err.message, ...positionOf(expr, err.offset) });
    throw err;
  }
  return {
    definition: clause,
    facts: t.facts,
    params: t.params,
    js,
    constants: t.constants,
    mayThrow: t.mayThrow,
    reference: parsed,
  };
}
