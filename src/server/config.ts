import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** 32-byte key for national-ID encryption and keyed hashes. */
  secretKey: Buffer;
  sessionTtlHours: number;
  cookieSecure: boolean;
  logLevel: string;
  seedDemo: boolean;
  demoPeople: number;
  /** Days an uploaded import file is kept before it is deleted (the job reports stay). */
  importRetentionDays: number;
  /** The built console; served with a single-page-app fallback when present. */
  webDist: string;
};

/**
 * Reads settings from the environment. In embedded mode a secret key is generated once into
 * the data folder so a fresh machine needs no setup; on PostgreSQL MUSTER_SECRET_KEY is expected.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = env.MUSTER_DATA_DIR ?? './data';
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    secretKey: resolveSecretKey(env.MUSTER_SECRET_KEY, dataDir, Boolean(env.DATABASE_URL)),
    sessionTtlHours: Number(env.MUSTER_SESSION_TTL_HOURS ?? 8),
    cookieSecure: env.MUSTER_COOKIE_SECURE === 'true',
    logLevel: env.LOG_LEVEL ?? 'info',
    seedDemo: env.MUSTER_SEED_DEMO !== 'false',
    demoPeople: Number(env.MUSTER_DEMO_PEOPLE ?? 5000),
    importRetentionDays: positiveInteger(env.MUSTER_IMPORT_RETENTION_DAYS, 'MUSTER_IMPORT_RETENTION_DAYS', 30),
    webDist: env.MUSTER_WEB_DIST ?? 'web/dist',
  };
}

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, got '${value}'`);
  return n;
}

function resolveSecretKey(fromEnv: string | undefined, dataDir: string, sharedDatabase: boolean): Buffer {
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('MUSTER_SECRET_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  // A PostgreSQL database outlives any one server folder: a key generated beside one process would
  // leave the national IDs it wrote unreadable to every other. So the key must be given explicitly.
  if (sharedDatabase) {
    throw new Error('MUSTER_SECRET_KEY is required with DATABASE_URL (32 random bytes, base64: openssl rand -base64 32)');
  }
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  return key;
}
