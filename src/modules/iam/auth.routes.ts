import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ChangeOwnPasswordRequest } from '../../contracts/account.js';
import { LocaleRequest, LoginRequest, MeResponse } from '../../contracts/auth.js';
import { PERMISSIONS } from '../../contracts/vocab.js';
import { requireActor } from '../../server/context.js';
import { translator } from '../../server/i18n.js';
import type { Actor } from './actor.js';
import { can } from './actor.js';
import { changeOwnPassword } from './account.service.js';
import { loadActor, login, logout, setUserLocale } from './auth.service.js';
import { getOrgContext } from './organisation.service.js';

const COOKIE = 'muster_session';

export async function registerAuthRoutes(api: FastifyInstance): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { ctx } = api;

  async function me(actor: Actor) {
    const org = await getOrgContext(ctx.db, actor.orgId);
    return {
      userId: actor.userId,
      username: actor.username,
      displayName: actor.displayName,
      personId: actor.personId,
      locale: actor.locale,
      orgId: actor.orgId,
      orgName: org.name,
      timeZone: org.timeZone,
      rotationYears: org.rotationYears,
      csrfToken: actor.csrfToken,
      roles: actor.roles.map(({ role, scopeUnitId }) => ({ role, scopeUnitId })),
      permissions: PERMISSIONS.filter((p) => can(actor, p)),
      mustChangePassword: actor.mustChangePassword ?? false,
    };
  }

  r.post(
    '/auth/login',
    {
      schema: { tags: ['auth'], body: LoginRequest, response: { 200: MeResponse } },
      // Per-address limit on top of the per-account lockout: slows spraying one password over many accounts.
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const result = await login(ctx.db, { ...req.body, ip: req.ip }, ctx.config.sessionTtlHours);
      void reply.setCookie(COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.config.cookieSecure,
        expires: result.expiresAt,
      });
      const actor = await loadActor(ctx.db, result.token, ctx.config.sessionTtlHours);
      req.t = translator(actor!.locale);
      return me(actor!);
    },
  );

  r.post('/auth/logout', { schema: { tags: ['auth'] } }, async (req: FastifyRequest, reply) => {
    const token = req.cookies[COOKIE];
    if (token) await logout(ctx.db, token);
    void reply.clearCookie(COOKIE, { path: '/' });
    return { ok: true };
  });

  r.get('/auth/me', { schema: { tags: ['auth'], response: { 200: MeResponse } } }, async (req) => me(requireActor(req.actor)));

  r.put('/auth/me/locale', { schema: { tags: ['auth'], body: LocaleRequest } }, async (req) => {
    const actor = requireActor(req.actor);
    await setUserLocale(ctx.db, actor.userId, req.body.locale);
    return { locale: req.body.locale };
  });

  r.post(
    '/auth/me/password',
    {
      schema: { tags: ['auth'], body: ChangeOwnPasswordRequest },
      // The current password is checked here too: limit guessing through a session left open.
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req) => {
      await changeOwnPassword(ctx.db, requireActor(req.actor), req.body);
      return { ok: true };
    },
  );
}
