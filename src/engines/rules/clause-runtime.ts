// The only functions generated clause code may call (as `H.<name>`). CEL ints are int64; here they
// are JS numbers, exact within ±2^53, and a result outside that range is an error rather than a
// silently rounded value.

export class ClauseRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClauseRuntimeError';
  }
}

function checked(x: number): number {
  if (!Number.isSafeInteger(x)) throw new ClauseRuntimeError('integer overflow');
  // CEL has no negative zero.
  return x + 0;
}

type Thunk<T> = () => T;

function attempt(fn: Thunk<boolean>): boolean | Error {
  try {
    return fn();
  } catch (err) {
    return err instanceof Error ? err : new ClauseRuntimeError(String(err));
  }
}

function isIntValue(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

export const clauseRuntime = Object.freeze({
  isInt: isIntValue,
  isArray: (v: unknown): v is readonly unknown[] => Array.isArray(v),
  /** Validates every element, so a list fact is checked once per read, linear in its length. */
  isList: (v: unknown, elem: 'int' | 'double' | 'string' | 'bool'): boolean => {
    if (!Array.isArray(v)) return false;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const ok = elem === 'int' ? isIntValue(x) : elem === 'double' ? typeof x === 'number' : typeof x === elem;
      if (!ok) return false;
    }
    return true;
  },
  iadd: (a: number, b: number): number => checked(a + b),
  isub: (a: number, b: number): number => checked(a - b),
  imul: (a: number, b: number): number => checked(a * b),
  idiv: (a: number, b: number): number => {
    if (b === 0) throw new ClauseRuntimeError('division by zero');
    // (a - a % b) / b is exact where Math.trunc(a / b) can round up for large a.
    return checked((a - (a % b)) / b);
  },
  imod: (a: number, b: number): number => {
    if (b === 0) throw new ClauseRuntimeError('modulus by zero');
    return (a % b) + 0;
  },
  toInt: (x: number): number => {
    if (!Number.isFinite(x)) throw new ClauseRuntimeError('int() of a non-finite double');
    return checked(Math.trunc(x));
  },
  /** CEL counts Unicode code points, JS strings count UTF-16 units. */
  strSize: (s: string): number => {
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
        const p = s.charCodeAt(i - 1);
        if (p >= 0xd800 && p <= 0xdbff) n--;
      }
    }
    return n;
  },
  count: <T>(list: readonly T[], pred: (x: T) => boolean): number => {
    let n = 0;
    for (let i = 0; i < list.length; i++) if (pred(list[i]!)) n++;
    return n;
  },
  /** CEL `a && b`: false wins over an error on either side. */
  land: (a: Thunk<boolean>, b: Thunk<boolean>): boolean => {
    const x = attempt(a);
    if (x === false) return false;
    const y = attempt(b);
    if (y === false) return false;
    if (x instanceof Error) throw x;
    if (y instanceof Error) throw y;
    return true;
  },
  /** CEL `a || b`: true wins over an error on either side. */
  lor: (a: Thunk<boolean>, b: Thunk<boolean>): boolean => {
    const x = attempt(a);
    if (x === true) return true;
    const y = attempt(b);
    if (y === true) return true;
    if (x instanceof Error) throw x;
    if (y instanceof Error) throw y;
    return false;
  },
  exists: <T>(list: readonly T[], pred: (x: T) => boolean): boolean => {
    let error: Error | undefined;
    for (let i = 0; i < list.length; i++) {
      const r = attempt(() => pred(list[i]!));
      if (r === true) return true;
      if (r instanceof Error) error ??= r;
    }
    if (error) throw error;
    return false;
  },
  all: <T>(list: readonly T[], pred: (x: T) => boolean): boolean => {
    let error: Error | undefined;
    for (let i = 0; i < list.length; i++) {
      const r = attempt(() => pred(list[i]!));
      if (r === false) return false;
      if (r instanceof Error) error ??= r;
    }
    if (error) throw error;
    return true;
  },
  existsOne: <T>(list: readonly T[], pred: (x: T) => boolean): boolean => {
    let n = 0;
    for (let i = 0; i < list.length; i++) if (pred(list[i]!)) n++;
    return n === 1;
  },
});

export type ClauseRuntime = typeof clauseRuntime;
