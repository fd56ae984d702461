import type { TFunction } from 'i18next';
import type { Database, Db } from '../db/connection.js';
import type { Locale, Permission } from '../contracts/vocab.js';
import type { Actor } from '../modules/iam/actor.js';
import { can } from '../modules/iam/actor.js';
import type { JobRunner } from '../modules/jobs/job-runner.js';
import type { NationalIdCipher } from '../modules/registry/national-id.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';

/** What every route needs, built once at start-up and passed explicitly rather than through globals. */
export type AppContext = {
  database: Database;
  db: Db;
  config: Config;
  cipher: NationalIdCipher;
  jobs: JobRunner;
};

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    actor: Actor | null;
    locale: Locale;
    t: TFunction;
  }
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new AppError('unauthenticated');
  return actor;
}

export function requirePermission(actor: Actor | null, permission: Permission): Actor {
  const a = requireActor(actor);
  if (!can(a, permission)) throw new AppError('forbidden');
  return a;
}
