import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { ZodType } from 'zod';
import { registerAuditRoutes } from '../modules/audit/audit.routes.js';
import { registerAccountRoutes } from '../modules/iam/account.routes.js';
import { loadActor } from '../modules/iam/auth.service.js';
import { registerAuthRoutes } from '../modules/iam/auth.routes.js';
import { registerJobRoutes } from '../modules/jobs/job.routes.js';
import { registerDashboardRoutes } from '../modules/registry/dashboard.routes.js';
import { registerImportRoutes } from '../modules/registry/import/import.routes.js';
import { registerPersonRoutes } from '../modules/registry/person.routes.js';
import { registerUnitRoutes } from '../modules/registry/unit.routes.js';
import type { AppContext } from './context.js';
import { AppError, detailsFromZod, renderError } from './errors.js';
import { resolveLocale, translator } from './i18n.js';

export const SESSION_COOKIE = 'muster_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PASSWORD_CHANGE_ALLOWED = new Set([
  'GET /api/auth/me',
  'POST /api/auth/logout',
  'POST /api/auth/me/password',
  'PUT /api/auth/me/locale',
]);
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Optional extra route plugins (import, later modules) registered under the same hooks. */
export type RoutePlugin = (app: FastifyInstance) => Promise<void> | void;

export async function buildApp(
  ctx: AppContext,
  opts: { logger?: FastifyBaseLogger; extraRoutes?: RoutePlugin[] } = {},
): Promise<FastifyInstance> {
  const webDist = resolve(projectRoot, ctx.config.webDist);
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    trustProxy: true,
    bodyLimit: 50 * 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.decorate('ctx', ctx);
  app.decorateRequest('actor', null);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('t', null as never);

  // Requests are validated by the same zod schemas that type the handlers and feed the OpenAPI document.
  app.setValidatorCompiler<ZodType>(({ schema, httpPart }) => (data) => {
    const r = schema.safeParse(data);
    if (r.success) return { value: r.data };
    return { error: new AppError('validation', detailsFromZod(r.error, httpPart === 'body' ? '' : '')) };
  });
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1 } });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Muster API', version: '0.1.0', description: 'Talent and workforce platform for public agencies' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const httpDuration = new Histogram({
    name: 'muster_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [metrics],
  });
  const httpErrors = new Counter({ name: 'muster_http_errors_total', help: 'Error responses', labelNames: ['code'], registers: [metrics] });

  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.actor = await loadActor(ctx.db, token, ctx.config.sessionTtlHours);
    if (req.actor) {
      req.actor.requestId = String(req.id);
      req.actor.ip = req.ip;
    }
    const lang = (req.query as Record<string, unknown> | undefined)?.lang;
    req.locale = resolveLocale(typeof lang === 'string' ? lang : req.actor?.locale, req.headers['accept-language']);
    req.t = translator(req.locale);
    // Cookie-authenticated writes must echo the session's CSRF token in a header a foreign site cannot set.
    if (req.actor && !SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== req.actor.csrfToken) {
      throw new AppError('csrf');
    }
    // A password an administrator issued opens only the way to replace it.
    if (
      req.actor?.mustChangePassword &&
      req.url.startsWith('/api/') &&
      !PASSWORD_CHANGE_ALLOWED.has(`${req.method} ${req.url.split('?')[0]}`)
    ) {
      throw new AppError('password_change_required');
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    httpDuration.labels(req.method, req.routeOptions.url ?? 'unmatched', String(reply.statusCode)).observe(reply.elapsedTime / 1000);
  });

  app.setErrorHandler((err, req, reply) => {
    let appErr: AppError;
    if (err instanceof AppError) appErr = err;
    else if ((err as { statusCode?: number }).statusCode === 429) appErr = new AppError('rate_limited');
    else if (
      (err as { code?: string }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
      (err as { code?: string }).code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
    ) {
      appErr = new AppError('validation', [{ field: 'body', reason: 'invalid_format' }]);
    } else if ((err as { validation?: unknown }).validation) {
      appErr = new AppError('validation', detailsFromZod({ issues: [] }));
    } else if ((err as { code?: string }).code === '23505') {
      appErr = new AppError('duplicate', [], { field: 'code' });
    } else {
      req.log.error({ err }, 'unhandled error');
      appErr = new AppError('internal');
    }
    httpErrors.labels(appErr.code).inc();
    const t = req.t ?? translator('en');
    void reply.status(appErr.status).send(renderError(appErr, t));
  });

  app.get('/api/health', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await ctx.db.execute(sql`SELECT 1`);
      return { status: 'ok', database: ctx.database.kind };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: ctx.database.kind });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    void reply.header('content-type', metrics.contentType);
    return metrics.metrics();
  });

  await app.register(
    async (api) => {
      await registerAuthRoutes(api);
      await registerUnitRoutes(api);
      await registerPersonRoutes(api);
      await registerDashboardRoutes(api);
      await registerAuditRoutes(api);
      await registerAccountRoutes(api);
      await registerJobRoutes(api);
      await registerImportRoutes(api);
      for (const plugin of opts.extraRoutes ?? []) await plugin(api);
    },
    { prefix: '/api' },
  );

  if (existsSync(join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false });
  }
  app.setNotFoundHandler((req, reply) => {
    // The console is a single-page app: unknown non-API paths get index.html and route client-side.
    if (!req.url.startsWith('/api') && req.method === 'GET' && existsSync(join(webDist, 'index.html'))) {
      return reply.sendFile('index.html');
    }
    return reply.status(404).send(renderError(new AppError('not_found'), req.t ?? translator('en')));
  });
  return app;
}
