import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  PositionCreateRequest,
  PositionItem,
  PositionUpdateRequest,
  UnitCreateRequest,
  UnitItem,
  UnitMoveRequest,
  UnitUpdateRequest,
} from '../../contracts/unit.js';
import { requireActor, requirePermission } from '../../server/context.js';
import { createPosition, listPositions, updatePosition } from './position.service.js';
import { createUnit, deleteUnit, listUnits, moveUnit, updateUnit } from './unit.service.js';

const IdParams = z.object({ id: z.uuid() });

export async function registerUnitRoutes(api: FastifyInstance): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { db } = api.ctx;

  r.get('/units', { schema: { tags: ['units'], response: { 200: z.object({ items: z.array(UnitItem) }) } } }, async (req) => ({
    items: await listUnits(db, requireActor(req.actor)),
  }));
  r.post('/units', { schema: { tags: ['units'], body: UnitCreateRequest } }, async (req, reply) => {
    const unit = await createUnit(db, requirePermission(req.actor, 'unit.write'), req.body);
    return reply.status(201).send(unit);
  });
  r.patch('/units/:id', { schema: { tags: ['units'], params: IdParams, body: UnitUpdateRequest } }, async (req) =>
    updateUnit(db, requirePermission(req.actor, 'unit.write'), req.params.id, req.body),
  );
  r.post('/units/:id/move', { schema: { tags: ['units'], params: IdParams, body: UnitMoveRequest } }, async (req) =>
    moveUnit(db, requirePermission(req.actor, 'unit.write'), req.params.id, req.body),
  );
  r.delete('/units/:id', { schema: { tags: ['units'], params: IdParams } }, async (req, reply) => {
    await deleteUnit(db, requirePermission(req.actor, 'unit.write'), req.params.id);
    return reply.status(204).send();
  });

  r.get('/positions', { schema: { tags: ['positions'], response: { 200: z.object({ items: z.array(PositionItem) }) } } }, async (req) => ({
    items: await listPositions(db, requireActor(req.actor).orgId),
  }));
  r.post('/positions', { schema: { tags: ['positions'], body: PositionCreateRequest } }, async (req, reply) => {
    const p = await createPosition(db, requirePermission(req.actor, 'position.write'), req.body);
    return reply.status(201).send(p);
  });
  r.patch('/positions/:id', { schema: { tags: ['positions'], params: IdParams, body: PositionUpdateRequest } }, async (req) =>
    updatePosition(db, requirePermission(req.actor, 'position.write'), req.params.id, req.body),
  );
}
