import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../contracts/vocab.js';

const LOCALES = ['zh-CN', 'zh-TW', 'vi', 'en'] as const;
type Tree = { [k: string]: string | Tree };
const catalogue = (l: string) => JSON.parse(readFileSync(new URL(`./locales/${l}.json`, import.meta.url), 'utf8')) as Tree;
const keys = (t: Tree, prefix = ''): string[] =>
  Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)));

describe('message catalogue', () => {
  it('has the same keys in every language', () => {
    const [first, ...rest] = LOCALES.map((l) => keys(catalogue(l)).sort());
    for (const other of rest) expect(other).toEqual(first);
  });

  it('names every audit action and entity the log can hold, in every language', () => {
    for (const l of LOCALES) {
      const audit = catalogue(l).audit as { actions: Tree; entities: Tree };
      expect(Object.keys(audit.actions).sort(), l).toEqual([...AUDIT_ACTIONS].sort());
      expect(Object.keys(audit.entities).sort(), l).toEqual([...AUDIT_ENTITIES].sort());
    }
  });
});
