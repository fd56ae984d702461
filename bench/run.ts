// `npm run bench -- <name> [flags]` runs bench/<name>.ts, whose default export takes the flags.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseFlags } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));

if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [--smoke] [flags]\navailable: ${available.join(', ')}`);
  process.exit(name ? 1 : 0);
}
const file = join(here, `${name}.bench.ts`);
if (!existsSync(file)) process.exit(1);
const mod = (await import(pathToFileURL(file).href)) as {
  default: (flags: Record<string, string | true>) => Promise<void>;
};
await mod.default(parseFlags(rest));
