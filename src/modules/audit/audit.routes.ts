import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../../contracts/vocab.js';
import { requirePermission } from '../../server/context.js';
import { listAudit } from './audit.repository.js';

export const AuditQuery = z.object({
  personId: z.uuid().optional(),
  actorUserId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  entity: z.enum(AUDIT_ENTITIES).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function registerAuditRoutes(api: FastifyInstance): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/audit', { schema: { tags: ['audit'], querystring: AuditQuery } }, async (req) => {
    const actor = requirePermission(req.actor, 'audit.read');
    const { cursor, to, ...rest } = req.query;
    // A bare end date means "through the end of that day".
    const toBound = to && to.length === 10 ? `${to}T23:59:59.999Z` : to;
    const rows = await listAudit(api.ctx.db, actor, { ...rest, to: toBound, beforeId: cursor, limit: req.query.limit + 1 });
    const page = rows.slice(0, req.query.limit);
    return {
      items: page.map((e) => ({ ...e, at: e.at.toISOString() })),
      nextCursor: rows.length > req.query.limit ? page[page.length - 1]!.id : null,
    };
  });
}
