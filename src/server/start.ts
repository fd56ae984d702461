import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { connectDatabase } from '../db/connection.js';
import { createJobRunner } from '../modules/jobs/job-runner.js';
import { createNationalIdCipher } from '../modules/registry/national-id.js';
import { hasDemoData, seedDemo } from '../modules/registry/demo/seed-demo.js';
import { purgeExpiredUploads } from '../modules/registry/import/upload-retention.js';
import { buildApp, type RoutePlugin } from './app.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';

const UPLOAD_PURGE_INTERVAL_MS = 6 * 3600 * 1000;

export type RunningServer = { app: FastifyInstance; ctx: AppContext; url: string; close: () => Promise<void> };

/** Connects, migrates, seeds demo data on an empty database, starts jobs and listens. */
export async function startServer(
  config: Config,
  opts: {
    logger?: Logger;
    extraRoutes?: RoutePlugin[];
    listen?: boolean;
    onSeeded?: (summary: Awaited<ReturnType<typeof seedDemo>>) => void;
  } = {},
): Promise<RunningServer> {
  const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pgdata` });
  await database.migrate();
  const log = opts.logger ?? pino({ level: 'silent' });
  const ctx: AppContext = {
    database,
    db: database.db,
    config,
    cipher: createNationalIdCipher(config.secretKey),
    jobs: createJobRunner(database.db, log),
  };
  const app = await buildApp(ctx, { logger: log, extraRoutes: opts.extraRoutes ?? [] });
  if (config.seedDemo && !(await hasDemoData(database.db))) {
    const summary = await seedDemo(database.db, {
      people: config.demoPeople,
      seed: 42,
      secretKey: config.secretKey,
      log: (m: string) => app.log.info(m),
    });
    opts.onSeeded?.(summary);
  }
  ctx.jobs.start();
  const purgeUploads = async () => {
    try {
      const purged = await purgeExpiredUploads(database.db, config.importRetentionDays);
      if (purged.length)
        app.log.info({ uploads: purged.length, retentionDays: config.importRetentionDays }, 'deleted expired import uploads');
    } catch (err) {
      app.log.error({ err }, 'could not delete expired import uploads');
    }
  };
  await purgeUploads();
  const purgeTimer = setInterval(() => void purgeUploads(), UPLOAD_PURGE_INTERVAL_MS);
  purgeTimer.unref();
  let url = '';
  if (opts.listen !== false) url = await app.listen({ port: config.port, host: config.host });
  let closing: Promise<void> | null = null;
  return {
    app,
    ctx,
    url,
    // Order matters: stop taking requests, let jobs finish their step, then close the database
    // (an open PGlite keeps the process alive).
    close: () =>
      (closing ??= (async () => {
        clearInterval(purgeTimer);
        await app.close();
        await ctx.jobs.stop();
        await database.close();
      })()),
  };
}
