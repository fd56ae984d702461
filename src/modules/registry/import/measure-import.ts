// Measures an n-row XLSX import end to end (upload → commit job) through the real API.
// Usage: npx tsx src/modules/registry/import/measure-import.ts [--rows 100000] [--db pglite|postgres]
// PostgreSQL: DATABASE_URL=postgres://… (a scratch database muster_bench_import is created and dropped).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { connectDatabase, type Database } from '../../../db/connection.js';
import { buildTestApp, newUser, seedSmallOrg, signIn } from '../../../../test/support/factories.js';
import { withDatabase } from '../../../../test/support/global-setup.js';
import { writePeopleXlsx } from './generate-people-xlsx.js';
import type { StoredReport } from './import.service.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const rows = Number(flag('rows', '100000'));
const kind = flag('db', process.env.DATABASE_URL ? 'postgres' : 'pglite');
/** --mode dry-run checks every row and writes nothing: separates the cost of checking from writing. */
const mode = flag('mode', 'commit') === 'dry-run' ? 'dry-run' : 'commit';

async function openDatabase(): Promise<Database> {
  if (kind === 'pglite') {
    const dir = join(tmpdir(), `muster-import-bench-${process.pid}`);
    const db = await connectDatabase({ dataDir: dir });
    await db.migrate();
    return {
      ...db,
      close: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required for --db postgres');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS muster_bench_import WITH (FORCE)');
  await admin.query('CREATE DATABASE muster_bench_import');
  await admin.end();
  const db = await connectDatabase({ databaseUrl: withDatabase(url, 'muster_bench_import'), poolSize: 4 });
  await db.migrate();
  return {
    ...db,
    close: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query('DROP DATABASE IF EXISTS muster_bench_import WITH (FORCE)');
      await a.end();
    },
  };
}

/** --all-invalid names a unit that does not exist on every row: the report's worst case (an error per row). */
const allInvalid = args.includes('--all-invalid');
const UNIT_CODES = allInvalid ? ['noSuchUnit'] : ['eastSec', 'eastPort', 'westSec', 'westPort', 'east', 'west'];
if (args.includes('--generate')) {
  await writePeopleXlsx(flag('generate', ''), rows, UNIT_CODES);
  process.exit(0);
}
// The file is written by a child process, so the writer's memory does not count in the import's peak RSS.
const file = join(tmpdir(), `people-${rows}-${process.pid}.xlsx`);
const tGen = Date.now();
const gen = spawnSync(
  process.execPath,
  [
    ...process.execArgv,
    fileURLToPath(import.meta.url),
    '--generate',
    file,
    '--rows',
    String(rows),
    ...(allInvalid ? ['--all-invalid'] : []),
  ],
  {
    stdio: 'inherit',
  },
);
if (gen.status !== 0) throw new Error('generation failed');
const genSeconds = (Date.now() - tGen) / 1000;
const content = readFileSync(file);
/** CPU seconds spent by this database's PostgreSQL backends (same host only): the server's share of the import. */
async function serverCpuSeconds(db: Database): Promise<number | null> {
  if (db.kind !== 'postgres') return null;
  const res = (await db.db.execute(sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)) as unknown as {
    rows: { pid: number }[];
  };
  const ticks = res.rows.map((r) => {
    const f = `/proc/${r.pid}/stat`;
    if (!existsSync(f)) return 0;
    const fields = readFileSync(f, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  });
  return ticks.length ? +(ticks.reduce((a, b) => a + b, 0) / 100).toFixed(2) : null;
}
const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return +((u.user + u.system) / 1e6).toFixed(2);
};

// Peak memory per phase, sampled: which step holds the memory matters more than the process-wide peak.
const peaks: Record<string, { rssMiB: number; heapMiB: number; externalMiB: number }> = {};
let phase = 'setup';
/**
 * The kernel's high-water mark of this process's own memory (VmHWM), which sampling can miss. Not
 * getrusage's maxRSS: Linux keeps that across fork and exec, so a child spawned by the registry bench
 * after it had held a 100k-person PGlite reported the bench's peak (1,173 MiB) instead of its own.
 */
function highWaterRssMiB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux: fall back to getrusage below
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
/** highWaterRssMiB() when each phase ended. */
const maxRssAtEnd: Record<string, number> = {};
/**
 * PGlite's WebAssembly memory when each phase ended. It only grows (memory.grow has no inverse), so the
 * figure at the end of a phase is that phase's high-water mark, which a 50 ms sampler cannot see while
 * a synchronous WASM call holds the thread.
 */
const wasmMiBAtEnd: Record<string, number> = {};
let wasmMemory: () => number | null = () => null;
/** Seconds since the start when each phase began: lines up the figures above with a --trace-gc log. */
const phaseStartedAt: Record<string, number> = {};
const enterPhase = (next: string) => {
  phaseStartedAt[next] = +(performance.now() / 1000).toFixed(2);
  maxRssAtEnd[phase] = highWaterRssMiB();
  const wasm = wasmMemory();
  if (wasm !== null) wasmMiBAtEnd[phase] = Math.round(wasm / 1048576);
  phase = next;
};
/** The sample with the highest RSS in each phase, broken down: which part of the process holds the memory. */
type Breakdown = {
  rssMiB: number;
  heapTotalMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  wasmMiB?: number;
};
const atPeak: Record<string, Breakdown> = {};
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  const mib = (n: number) => Math.round(n / 1048576);
  const p = (peaks[phase] ??= { rssMiB: 0, heapMiB: 0, externalMiB: 0 });
  p.rssMiB = Math.max(p.rssMiB, mib(m.rss));
  p.heapMiB = Math.max(p.heapMiB, mib(m.heapUsed));
  // Outside the JS heap: buffers, and PGlite's WebAssembly memory (which grows and never shrinks).
  p.externalMiB = Math.max(p.externalMiB, mib(m.external));
  if (mib(m.rss) > (atPeak[phase]?.rssMiB ?? -1)) {
    const wasm = wasmMemory();
    atPeak[phase] = {
      rssMiB: mib(m.rss),
      heapTotalMiB: mib(m.heapTotal),
      heapUsedMiB: mib(m.heapUsed),
      externalMiB: mib(m.external),
      arrayBuffersMiB: mib(m.arrayBuffers),
      ...(wasm !== null ? { wasmMiB: mib(wasm) } : {}),
    };
  }
}, 50);
const database = await openDatabase();
const pgliteClient = (database.db as unknown as { $client?: { mod?: { HEAPU8?: Uint8Array } } }).$client;
if (database.kind === 'pglite') wasmMemory = () => pgliteClient?.mod?.HEAPU8?.byteLength ?? null;
// The commit's own phases, seen from outside: its one write transaction opens with the first checked
// batch (the write runs beside the check), so `write` is most of the check as well; what follows it
// (VACUUM on PGlite) is `after-write`.
const transaction = database.db.transaction.bind(database.db);
database.db.transaction = (async (...a: Parameters<typeof transaction>) => {
  const job = /^(commit|reimport)/.exec(phase)?.[1];
  if (!job) return transaction(...a);
  enterPhase(`${job}.write`);
  try {
    return await transaction(...a);
  } finally {
    enterPhase(`${job}.after-write`);
  }
}) as typeof transaction;
const harness = await buildTestApp(database);
try {
  const org = await seedSmallOrg(database.db);
  const user = await newUser(database.db, org.orgId, [{ role: 'admin', scopeUnitId: org.units.root!.id }]);
  const session = await signIn(harness.app, user.username);
  const boundary = '----musterbench';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const server0 = await serverCpuSeconds(database);
  enterPhase('upload');
  const up = await session.send('POST', '/api/imports', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
  if (up.statusCode !== 200) throw new Error(up.body);
  const { uploadId, suggestedMapping, rowCount } = up.json() as {
    uploadId: string;
    suggestedMapping: Record<string, string>;
    rowCount: number;
  };
  const t1 = performance.now();
  enterPhase('commit.check');
  const res = await session.send('POST', `/api/imports/${uploadId}/${mode}`, { mapping: suggestedMapping });
  const { jobId } = res.json() as { jobId: string };
  const job = await harness.ctx.jobs.waitFor(jobId, 900_000);
  const t2 = performance.now();
  const cpuImport = cpuSeconds(cpu0);
  const server1 = await serverCpuSeconds(database);
  // The high-water mark only grows, so read now it is the peak of setup, upload and commit, before the re-import and shutdown.
  const peakThroughCommit = highWaterRssMiB();
  const report = job.result as StoredReport;
  if (job.status !== 'succeeded' || (mode === 'commit' && !report.committed))
    throw new Error(`import failed: ${JSON.stringify(job.error ?? report.errors.slice(0, 5))}`);
  enterPhase('reimport.check');
  // A second run of the same file: every row compared, nothing written.
  const res2 = await session.send('POST', `/api/imports/${uploadId}/commit`, { mapping: suggestedMapping });
  const job2 = await harness.ctx.jobs.waitFor((res2.json() as { jobId: string }).jobId, 900_000);
  const t3 = performance.now();
  const report2 = job2.result as StoredReport;
  enterPhase('done');
  const result = {
    name: 'import',
    metrics: {
      database: database.kind,
      mode,
      rows: rowCount,
      fileMiB: +(content.length / 1048576).toFixed(1),
      uploadSeconds: +((t1 - t0) / 1000).toFixed(2),
      commitSeconds: +((t2 - t1) / 1000).toFixed(2),
      endToEndSeconds: +((t2 - t0) / 1000).toFixed(2),
      // Wall time on a shared machine includes waiting for the CPU; this is the import's own CPU time (API and job; PostgreSQL's server time is not in it).
      endToEndCpuSeconds: cpuImport,
      serverCpuSeconds: server0 !== null && server1 !== null ? +(server1 - server0).toFixed(2) : null,
      loadAverage: +(await import('node:os')).loadavg()[0]!.toFixed(1),
      reimportSeconds: +((t3 - t2) / 1000).toFixed(2),
      reimportUnchanged: report2.unchanged,
      created: report.toCreate,
      peakRssThroughCommitMiB: peakThroughCommit,
      peakRssMiB: highWaterRssMiB(),
      rssBeforeMiB: Math.round(rssBefore / 1048576),
      generateSeconds: genSeconds,
      peaks,
      maxRssAtEnd,
      atPeak,
      phaseStartedAt,
      ...(database.kind === 'pglite' ? { wasmMiBAtEnd } : {}),
    },
    baseline: { endToEndSeconds: 30, peakRssMiB: 1024 },
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
} finally {
  clearInterval(sampler);
  await harness.close();
  await database.close();
  rmSync(file, { force: true });
}
