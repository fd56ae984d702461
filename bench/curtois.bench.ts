// Curtois & Qu shift scheduling instances: objective, feasibility and time to first feasible
// roster per instance, and the gap to the best published objective (best_known.tsv).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportResult } from './lib.js';
import { evaluateRoster, readCurtoisFile, solveRoster, defaultThreads } from '../src/engines/roster/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function readBestKnown(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const file = join(dir, 'best_known.tsv');
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/).slice(1)) {
    const [name, value] = line.split('\t');
    if (name && value && value !== 'NA' && Number.isFinite(Number(value))) out.set(name.trim(), Number(value));
  }
  return out;
}

const instanceNumber = (f: string): number => Number(/(\d+)/.exec(f)?.[1] ?? Infinity);

export default async function (flags: Record<string, string | true>): Promise<void> {
  const smoke = flags.smoke === true;
  const dir = resolve(repoRoot, typeof flags.dir === 'string' ? flags.dir : '../shared/data/curtois');
  const seconds = typeof flags.seconds === 'string' ? Number(flags.seconds) : smoke ? 2 : 60;
  const threads = typeof flags.threads === 'string' ? Number(flags.threads) : defaultThreads();
  const seed = typeof flags.seed === 'string' ? Number(flags.seed) : 1;
  let files = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort((a, b) => instanceNumber(a) - instanceNumber(b) || a.localeCompare(b));
  if (smoke) files = files.filter((f) => f === 'Instance1.txt' || f === 'Instance2.txt');
  if (typeof flags.only === 'string') {
    const only = new Set(flags.only.split(','));
    files = files.filter((f) => only.has(f.replace(/\.txt$/, '')));
  }
  const bestKnown = readBestKnown(dir);
  const metrics: Record<string, number | string | null> = {};
  const baseline: Record<string, number | string | null> = { source: 'best_known.tsv (published best objectives)' };
  let feasibleCount = 0;
  let mismatches = 0;
  console.log(`curtois: ${files.length} instances from ${dir}, ${seconds} s each, ${threads} thread(s), seed ${seed}`);
  console.log('instance      objective  best_known  gap_%  feasible  first_feasible_s');
  for (const f of files) {
    const name = f.replace(/\.txt$/, '');
    const instance = readCurtoisFile(join(dir, f));
    const res = await solveRoster(instance, { timeLimitMs: seconds * 1000, threads, seed });
    const check = evaluateRoster(instance, res.roster);
    if (check.hard !== res.score.hard || check.soft !== res.score.soft) mismatches++;
    const bk = bestKnown.get(name);
    const gap = bk !== undefined && res.feasible ? Math.round(((res.score.soft - bk) / bk) * 10000) / 100 : null;
    metrics[`${name}.objective`] = res.score.soft;
    metrics[`${name}.feasible`] = res.feasible ? 1 : 0;
    metrics[`${name}.first_feasible_s`] = res.firstFeasibleSeconds === null ? null : Math.round(res.firstFeasibleSeconds * 1000) / 1000;
    if (bk !== undefined) {
      metrics[`${name}.best_known`] = bk;
      metrics[`${name}.gap_pct`] = gap;
      baseline[`${name}.objective`] = bk;
    }
    if (res.feasible) feasibleCount++;
    console.log(
      `${name.padEnd(12)} ${String(res.score.soft).padStart(10)} ${String(bk ?? 'NA').padStart(11)} ${String(gap ?? '-').padStart(6)}` +
        ` ${String(res.feasible ? 1 : 0).padStart(9)} ${String(metrics[`${name}.first_feasible_s`] ?? '-').padStart(17)}` +
        (res.feasible ? '' : `  hard=${res.score.hard}`),
    );
  }
  metrics.instances = files.length;
  metrics.feasible_instances = feasibleCount;
  metrics.evaluator_mismatches = mismatches;
  metrics.seconds_per_instance = seconds;
  metrics.threads = threads;
  reportResult({ name: 'curtois', metrics, baseline }, { write: !smoke && flags.only === undefined });
}
