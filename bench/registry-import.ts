// The import half of `npm run bench -- registry`: a generated n-row XLSX uploaded and committed through
// the real API, a few times per database, each in its own process so peak RSS is the import's alone.
import { spawnSync } from 'node:child_process';
import { median } from './lib.js';

type Flags = Record<string, string | true>;
type ImportMetrics = {
  endToEndSeconds: number;
  peakRssMiB: number;
  peakRssThroughCommitMiB: number;
  reimportSeconds: number;
  reimportUnchanged: number;
  endToEndCpuSeconds: number;
};

function measure(rows: number, db: 'pglite' | 'postgres', pgUrl: string | undefined): ImportMetrics {
  const env = { ...process.env, ...(db === 'postgres' && pgUrl ? { DATABASE_URL: pgUrl } : {}) };
  if (db === 'pglite') delete env.DATABASE_URL;
  const run = spawnSync(
    process.execPath,
    [...process.execArgv, 'src/modules/registry/import/measure-import.ts', '--rows', String(rows), '--db', db],
    { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (run.status !== 0 || !line) throw new Error(`import measurement on ${db} failed:\n${run.stderr.slice(-4000)}`);
  return (JSON.parse(line.slice(7)) as { metrics: ImportMetrics }).metrics;
}

/**
 * `--import-runs N` (default 3) measures each database N times, alternating between them so a noisy
 * minute falls on both: times are the median run, memory the highest peak of any run.
 */
export async function benchImport(rows: number, pgUrl: string | undefined, flags: Flags): Promise<Record<string, number>> {
  const out: Record<string, number> = { 'import.rows': rows };
  const targets: ('pglite' | 'postgres')[] = [];
  if (flags['skip-pglite'] !== true) targets.push('pglite');
  if (pgUrl && flags['skip-pg'] !== true) targets.push('postgres');
  const runs = Math.max(1, Number(flags['import-runs'] ?? 3) || 3);
  const measured = new Map<string, ImportMetrics[]>(targets.map((db) => [db, []]));
  for (let i = 0; i < runs; i++) {
    for (const db of targets) {
      const m = measure(rows, db, pgUrl);
      measured.get(db)!.push(m);
      console.log(
        `[import/${db}] run ${i + 1}/${runs}: ${rows} rows end to end ${m.endToEndSeconds} s (CPU ${m.endToEndCpuSeconds} s), peak RSS ${m.peakRssMiB} MiB (${m.peakRssThroughCommitMiB} through the commit), re-import ${m.reimportSeconds} s with ${m.reimportUnchanged} unchanged`,
      );
    }
  }
  for (const db of targets) {
    const ms = measured.get(db)!;
    const prefix = db === 'postgres' ? 'import.pg' : 'import.pglite';
    const seconds = ms.map((m) => m.endToEndSeconds);
    out[`${prefix}.seconds`] = median(seconds);
    out[`${prefix}.seconds_min`] = Math.min(...seconds);
    out[`${prefix}.seconds_max`] = Math.max(...seconds);
    out[`${prefix}.runs`] = ms.length;
    // The process's high-water mark over upload, commit and the re-import of the same file; through the commit alone beside it.
    out[`${prefix}.peak_rss_mb`] = Math.max(...ms.map((m) => m.peakRssMiB));
    out[`${prefix}.peak_rss_commit_mb`] = Math.max(...ms.map((m) => m.peakRssThroughCommitMiB));
    out[`${prefix}.cpu_seconds`] = median(ms.map((m) => m.endToEndCpuSeconds));
    out[`${prefix}.reimport_seconds`] = median(ms.map((m) => m.reimportSeconds));
    out[`${prefix}.reimport_unchanged`] = Math.min(...ms.map((m) => m.reimportUnchanged));
  }
  // The headline figures are the embedded default's, as a new user meets them; PostgreSQL's sit beside.
  const head = out['import.pglite.seconds'] !== undefined ? 'import.pglite' : 'import.pg';
  if (out[`${head}.seconds`] !== undefined) {
    out['import.seconds'] = out[`${head}.seconds`]!;
    out['import.peak_rss_mb'] = out[`${head}.peak_rss_mb`]!;
  }
  return out;
}
