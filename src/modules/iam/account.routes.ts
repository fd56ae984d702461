import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccountCreateRequest,
  AccountItem,
  AccountListRequest,
  AccountListResponse,
  AccountUpdateRequest,
  AccountWithPassword,
  GrantsReplaceRequest,
} from '../../contracts/account.js';
import { requirePermission } from '../../server/context.js';
import { createAccount, getAccount, listAccounts, replaceGrants, resetPassword, unlockAccount, updateAccount } from './account.service.js';

const IdParams = z.object({ id: z.uuid() });

/** Account administration: every route needs account.manage; the service keeps each call inside its scope. */
export async function registerAccountRoutes(api: FastifyInstance): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { db } = api.ctx;
  const tags = ['accounts'];

  r.get('/accounts', { schema: { tags, querystring: AccountListRequest, response: { 200: AccountListResponse } } }, async (req) =>
    listAccounts(db, requirePermission(req.actor, 'account.manage'), req.query),
  );
  r.get('/accounts/:id', { schema: { tags, params: IdParams, response: { 200: AccountItem } } }, async (req) =>
    getAccount(db, requirePermission(req.actor, 'account.manage'), req.params.id),
  );
  r.post('/accounts', { schema: { tags, body: AccountCreateRequest, response: { 201: AccountWithPassword } } }, async (req, reply) => {
    const created = await createAccount(db, requirePermission(req.actor, 'account.manage'), req.body);
    void reply.header('cache-control', 'no-store');
    return reply.status(201).send(created);
  });
  r.patch(
    '/accounts/:id',
    { schema: { tags, params: IdParams, body: AccountUpdateRequest, response: { 200: AccountItem } } },
    async (req) => updateAccount(db, requirePermission(req.actor, 'account.manage'), req.params.id, req.body),
  );
  r.put(
    '/accounts/:id/grants',
    { schema: { tags, params: IdParams, body: GrantsReplaceRequest, response: { 200: AccountItem } } },
    async (req) => replaceGrants(db, requirePermission(req.actor, 'account.manage'), req.params.id, req.body),
  );
  r.post(
    '/accounts/:id/reset-password',
    { schema: { tags, params: IdParams, response: { 200: AccountWithPassword } } },
    async (req, reply) => {
      const result = await resetPassword(db, requirePermission(req.actor, 'account.manage'), req.params.id);
      void reply.header('cache-control', 'no-store');
      return result;
    },
  );
  r.post('/accounts/:id/unlock', { schema: { tags, params: IdParams, response: { 200: AccountItem } } }, async (req) =>
    unlockAccount(db, requirePermission(req.actor, 'account.manage'), req.params.id),
  );
}
