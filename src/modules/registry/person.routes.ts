import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CertificationInput,
  CertificationTypesResponse,
  EducationInput,
  EndSecondmentRequest,
  PersonCreateRequest,
  PersonDetail,
  PersonFilter,
  PersonSearchRequest,
  PersonSearchResponse,
  PersonUpdateRequest,
  SecondmentRequest,
  SelfChangeRequest,
  StatusChangeRequest,
} from '../../contracts/person.js';
import { requireActor, requirePermission } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { orgToday } from '../iam/organisation.service.js';
import { streamCsv, streamXlsx } from './person-export.js';
import { iteratePeople, listCertificationTypes, searchPeople } from './person-search.repository.js';
import {
  addCertification,
  addEducation,
  changePersonStatus,
  createPerson,
  decideChangeRequest,
  endSecondment,
  getPersonDetail,
  listChangeRequests,
  proposeSelfChange,
  removeCertification,
  removeEducation,
  revealNationalId,
  startSecondment,
  updatePerson,
  type RegistryDeps,
} from './person.service.js';

const IdParams = z.object({ id: z.uuid() });
const SubParams = z.object({ id: z.uuid(), subId: z.uuid() });
const Version = z.object({ id: z.uuid(), version: z.number() });
const ExportQuery = PersonFilter.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') });

export async function registerPersonRoutes(api: FastifyInstance): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { db, cipher } = api.ctx;
  const deps: RegistryDeps = { db, cipher };
  const versionOf = (p: { id: string; version: number }) => ({ id: p.id, version: p.version });

  r.get('/certification-types', { schema: { tags: ['people'], response: { 200: CertificationTypesResponse } } }, async (req) => {
    const actor = requirePermission(req.actor, 'person.read');
    return { items: await listCertificationTypes(db, { actor, today: await orgToday(db, actor.orgId) }) };
  });

  r.get(
    '/people',
    { schema: { tags: ['people'], querystring: PersonSearchRequest, response: { 200: PersonSearchResponse } } },
    async (req) => {
      const actor = requireActor(req.actor);
      return searchPeople(db, { actor, today: await orgToday(db, actor.orgId) }, req.query);
    },
  );

  r.get('/people/export', { schema: { tags: ['people'], querystring: ExportQuery } }, async (req, reply) => {
    const actor = requirePermission(req.actor, 'person.export');
    const { format, ...filter } = req.query;
    // Exports use the export permission's scope, which may be narrower than what the actor can read.
    const pages = iteratePeople(db, { actor, today: await orgToday(db, actor.orgId), permission: 'person.export' }, filter);
    const stamp = new Date().toISOString().slice(0, 10);
    void reply.header('content-disposition', `attachment; filename="people-${stamp}.${format}"`);
    if (format === 'csv') {
      void reply.type('text/csv; charset=utf-8');
      return reply.send(Readable.from(streamCsv(pages, req.t)));
    }
    void reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return reply.send(streamXlsx(pages, req.t));
  });

  r.get('/people/:id', { schema: { tags: ['people'], params: IdParams, response: { 200: PersonDetail } } }, async (req) =>
    getPersonDetail(deps, requireActor(req.actor), req.params.id),
  );
  r.post('/people', { schema: { tags: ['people'], body: PersonCreateRequest, response: { 201: Version } } }, async (req, reply) => {
    const p = await createPerson(deps, requirePermission(req.actor, 'person.write'), req.body);
    return reply.status(201).send(versionOf(p));
  });
  r.patch(
    '/people/:id',
    { schema: { tags: ['people'], params: IdParams, body: PersonUpdateRequest, response: { 200: Version } } },
    async (req) => versionOf(await updatePerson(deps, requirePermission(req.actor, 'person.write'), req.params.id, req.body)),
  );
  r.post(
    '/people/:id/status',
    { schema: { tags: ['people'], params: IdParams, body: StatusChangeRequest, response: { 200: Version } } },
    async (req) => versionOf(await changePersonStatus(deps, requirePermission(req.actor, 'person.write'), req.params.id, req.body)),
  );
  r.post(
    '/people/:id/secondment',
    { schema: { tags: ['people'], params: IdParams, body: SecondmentRequest, response: { 200: Version } } },
    async (req) => versionOf(await startSecondment(deps, requirePermission(req.actor, 'person.write'), req.params.id, req.body)),
  );
  r.post(
    '/people/:id/secondment/end',
    { schema: { tags: ['people'], params: IdParams, body: EndSecondmentRequest, response: { 200: Version } } },
    async (req) => versionOf(await endSecondment(deps, requirePermission(req.actor, 'person.write'), req.params.id, req.body)),
  );
  // POST, not GET: revealing is an audited act, and must not be prefetched or cached.
  r.post(
    '/people/:id/national-id',
    { schema: { tags: ['people'], params: IdParams, response: { 200: z.object({ nationalId: z.string().nullable() }) } } },
    async (req) => ({
      nationalId: await revealNationalId(deps, requireActor(req.actor), req.params.id),
    }),
  );
  r.post('/people/:id/education', { schema: { tags: ['people'], params: IdParams, body: EducationInput } }, async (req, reply) =>
    reply.status(201).send(await addEducation(deps, requirePermission(req.actor, 'person.write'), req.params.id, req.body)),
  );
  r.delete('/people/:id/education/:subId', { schema: { tags: ['people'], params: SubParams } }, async (req, reply) => {
    await removeEducation(deps, requirePermission(req.actor, 'person.write'), req.params.id, req.params.subId);
    return reply.status(204).send();
  });
  r.post('/people/:id/certifications', { schema: { tags: ['people'], params: IdParams, body: CertificationInput } }, async (req, reply) =>
    reply.status(201).send(await addCertification(deps, requirePermission(req.actor, 'person.write'), req.params.id, req.body)),
  );
  r.delete('/people/:id/certifications/:subId', { schema: { tags: ['people'], params: SubParams } }, async (req, reply) => {
    await removeCertification(deps, requirePermission(req.actor, 'person.write'), req.params.id, req.params.subId);
    return reply.status(204).send();
  });

  r.get('/me/person', { schema: { tags: ['self-service'], response: { 200: PersonDetail } } }, async (req) => {
    const actor = requireActor(req.actor);
    if (!actor.personId) throw new AppError('not_found');
    return getPersonDetail(deps, actor, actor.personId);
  });
  r.post('/me/change-requests', { schema: { tags: ['self-service'], body: SelfChangeRequest } }, async (req, reply) => {
    const row = await proposeSelfChange(deps, requireActor(req.actor), req.body);
    return reply.status(201).send({ id: row.id, status: row.status });
  });
  r.get(
    '/change-requests',
    {
      schema: { tags: ['self-service'], querystring: z.object({ status: z.enum(['pending', 'approved', 'rejected']).default('pending') }) },
    },
    async (req) => ({ items: await listChangeRequests(db, requireActor(req.actor), req.query.status) }),
  );
  const Decision = z.object({ note: z.string().max(500).optional() });
  r.post('/change-requests/:id/approve', { schema: { tags: ['self-service'], params: IdParams, body: Decision } }, async (req) => {
    await decideChangeRequest(deps, requirePermission(req.actor, 'change.approve'), req.params.id, true, req.body.note);
    return { ok: true };
  });
  r.post('/change-requests/:id/reject', { schema: { tags: ['self-service'], params: IdParams, body: Decision } }, async (req) => {
    await decideChangeRequest(deps, requirePermission(req.actor, 'change.approve'), req.params.id, false, req.body.note);
    return { ok: true };
  });
}
