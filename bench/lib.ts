// Shared helpers for benchmarks: argument parsing, percentiles, peak RSS and the RESULT line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type BenchResult = {
  name: string;
  metrics: Record<string, number | string | null>;
  baseline: Record<string, number | string | null>;
};

/** Parses `--flag value` and `--flag` (boolean) pairs after the benchmark name. */
export function parseFlags(argv: string[]): Record<string, string | true> {
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags[key] = next;
      i++;
    } else flags[key] = true;
  }
  return flags;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Samples RSS every few ms so short peaks are seen; call stop() for the peak in MiB. */
export function trackPeakRss(intervalMs = 20): { stop: () => number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return Math.round((peak / 1024 / 1024) * 10) / 10;
    },
  };
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** Prints the RESULT line (last line of output) and writes bench/results/<name>.json. */
export function reportResult(result: BenchResult, opts: { write?: boolean } = {}): void {
  const json = JSON.stringify(result);
  if (opts.write !== false) {
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, `${result.name}.json`), JSON.stringify(result, null, 2) + '\n');
  }
  console.log(`RESULT ${json}`);
}
