// Seeds the demo customs agency into an empty database.
//   tsx scripts/seed.ts --people 100000 --seed 42
// Uses DATABASE_URL when set, otherwise embedded PGlite in $MUSTER_DATA_DIR/pgdata (./data/pgdata).
// --memory seeds a throwaway in-memory PGlite instead: a timing run of the seeder, nothing kept.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectDatabase } from '../src/db/connection.js';
import { hasDemoData, seedDemo } from '../src/modules/registry/demo/seed-demo.js';
import { loadConfig } from '../src/server/config.js';

const USAGE = 'usage: tsx scripts/seed.ts [--people N] [--seed N] [--today YYYY-MM-DD] [--memory]';

function readInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${value}'\n${USAGE}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string' },
      seed: { type: 'string' },
      today: { type: 'string' },
      memory: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const people = readInteger(values.people, 'people', 5_000);
  const seed = readInteger(values.seed, 'seed', 42);

  // The same config the server reads, so the national-ID key in the data folder is shared with it.
  const config = loadConfig();
  const memory = values.memory === true;
  const dataDir = memory ? 'memory://' : join(config.dataDir, 'pgdata');
  const databaseUrl = memory ? undefined : config.databaseUrl;
  const target = databaseUrl ? 'PostgreSQL (DATABASE_URL)' : memory ? 'in-memory PGlite' : `PGlite at ${dataDir}`;
  const connectStarted = performance.now();
  const database = await connectDatabase({ databaseUrl, dataDir });
  try {
    await database.migrate();
    console.log(`Connected to ${target} and migrated in ${((performance.now() - connectStarted) / 1000).toFixed(1)} s.`);
    if (await hasDemoData(database.db)) {
      console.error(
        `Refusing to seed: ${target} already holds an organisation. ` +
          'Seed only an empty database (drop it, or remove the PGlite data folder, and run again).',
      );
      return 1;
    }
    const started = performance.now();
    const summary = await seedDemo(database.db, {
      people,
      seed,
      secretKey: config.secretKey,
      ...(values.today ? { today: values.today } : {}),
      log: (m) => console.log(m),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Seeded ${summary.people} people in ${summary.units} units into ${target} in ${seconds} s (seed ${seed}).`);
    console.log('Demo accounts (demo only, change before real use):');
    for (const a of summary.accounts) {
      console.log(`  ${a.username.padEnd(12)} ${a.password}  ${a.role.padEnd(11)} ${a.scopeUnitName}`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
