import type { Randomizer } from '@faker-js/faker';

/**
 * A small seeded PRNG (sfc32, seeded through splitmix32). Hand-rolled rather than faker's Mersenne
 * Twister because the generator draws tens of millions of numbers for 100k people and sfc32 is
 * several times faster; faker is driven from the same stream so one seed fixes everything.
 */
export type Random = {
  /** Uniform in [0, 1). */
  next: () => number;
  /** Integer in [min, max], both inclusive. */
  int: (min: number, max: number) => number;
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
  /** Draws from a pre-built weighted table (see `buildWeighted`). */
  weighted: <T>(table: WeightedTable<T>) => T;
  /** RFC 4122 version-4 layout, filled from the stream so ids are reproducible. */
  uuid: () => string;
  /** Exposes the same stream to faker, so faker's picks are reproducible too. */
  randomizer: Randomizer;
};

export type WeightedTable<T> = { items: readonly T[]; cumulative: Float64Array; total: number };

export function buildWeighted<T>(pairs: readonly (readonly [T, number])[]): WeightedTable<T> {
  const cumulative = new Float64Array(pairs.length);
  let total = 0;
  pairs.forEach(([, w], i) => {
    total += w;
    cumulative[i] = total;
  });
  return { items: pairs.map(([item]) => item), cumulative, total };
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
const HEX_VARIANT = ['8', '9', 'a', 'b'] as const;

export function createRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  // Warm-up: the first outputs of sfc32 after seeding are weakly mixed.
  for (let i = 0; i < 12; i++) u32();

  const next = (): number => u32() / 4294967296;
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));

  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: <T>(table: WeightedTable<T>): T => {
      const r = next() * table.total;
      let lo = 0;
      let hi = table.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (table.cumulative[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      return table.items[lo]!;
    },
    uuid: () => {
      const a = hex8(u32());
      const b = hex8(u32());
      const c = hex8(u32());
      const d = hex8(u32());
      // Version nibble 4 and variant bits 10xx, as randomUUID() would set them.
      const variant = HEX_VARIANT[Number.parseInt(c[0]!, 16) & 3]!;
      return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
    },
    randomizer: {
      next,
      // The stream is seeded once by createRandom; faker must not reseed it behind our back.
      seed: () => undefined,
    },
  };
}
