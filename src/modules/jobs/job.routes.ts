import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../server/context.js';
import { can } from '../iam/actor.js';
import { AppError } from '../../server/errors.js';
import { getJob, isFinished, listJobs, type JobEvent, type JobRow } from './job-runner.js';

export async function registerJobRoutes(api: FastifyInstance): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/jobs', { schema: { tags: ['jobs'] } }, async (req) => {
    const actor = requireActor(req.actor);
    // Everyone sees their own jobs; auditors and administrators see the organisation's.
    return { items: await listJobs(api.ctx.db, actor.orgId, can(actor, 'audit.read') ? null : actor.userId) };
  });
  r.get('/jobs/:id', { schema: { tags: ['jobs'], params: z.object({ id: z.uuid() }) } }, async (req) => {
    const actor = requireActor(req.actor);
    const job = await getJob(api.ctx.db, actor.orgId, req.params.id);
    if (!job || (job.createdBy !== actor.userId && !can(actor, 'audit.read'))) throw new AppError('not_found');
    return job;
  });

  /**
   * The job as server-sent events: the row as `GET /jobs/:id` returns it, then `{ id, status, progress,
   * total }` as it advances, then the finished row, and the stream ends. Progress comes from this
   * process's memory, not the database: a PGlite import's transaction holds the one connection, and
   * its progress cannot be written until it ends. A job run by another process sends only the first
   * event (and keep-alives); the job's URL still answers as it goes.
   */
  r.get(
    '/jobs/:id/events',
    {
      schema: {
        tags: ['jobs'],
        params: z.object({ id: z.uuid() }),
        produces: ['text/event-stream'],
        description: 'Server-sent events of one job: its row, its progress as it runs, and its finished row.',
      },
    },
    async (req, reply) => {
      const actor = requireActor(req.actor);
      const id = req.params.id;
      // Listening starts first: the visibility check below may wait for a PGlite import's transaction,
      // and what the import reports meanwhile is kept for after it.
      const early: JobEvent[] = [];
      let send: ((e: JobEvent) => void) | null = null;
      const stop = api.ctx.jobs.watch(id, (e) => (send ? send(e) : early.push(e)));
      let job: JobRow | null;
      try {
        job = await getJob(api.ctx.db, actor.orgId, id);
      } catch (err) {
        stop();
        throw err;
      }
      if (!job || (job.createdBy !== actor.userId && !can(actor, 'audit.read'))) {
        stop();
        throw new AppError('not_found');
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
      });
      const event = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      const close = () => {
        stop();
        clearInterval(keepAlive);
        if (!res.writableEnded) res.end();
      };
      req.raw.on('close', close);
      event(job);
      if (isFinished(job)) return close();
      send = (e) => {
        if (res.writableEnded) return;
        if (e.kind === 'progress') return void event({ id, status: 'running', progress: e.progress, total: e.total });
        event(e.job);
        close();
      };
      for (const e of early.splice(0)) send(e);
    },
  );
}

/** Proxies close idle connections; a comment line now and then keeps the stream open. */
const KEEP_ALIVE_MS = 15_000;
