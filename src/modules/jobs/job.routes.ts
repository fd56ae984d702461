import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../server/context.js';
import { can } from '../iam/actor.js';
import { AppError } from '../../server/errors.js';
import { getJob, listJobs } from './job-runner.js';

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
}
