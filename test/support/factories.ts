import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Database, Db } from '../../src/db/connection.js';
import type { Role } from '../../src/contracts/vocab.js';
import { createUser } from '../../src/modules/iam/auth.service.js';
import { organisation } from '../../src/modules/iam/schema.js';
import { createJobRunner } from '../../src/modules/jobs/job-runner.js';
import { buildSearchText } from '../../src/modules/registry/name-search.js';
import { createNationalIdCipher, makeChineseNationalId, maskNationalId } from '../../src/modules/registry/national-id.js';
import { assignment, orgUnit, person, position } from '../../src/modules/registry/schema.js';
import { buildApp, type RoutePlugin } from '../../src/server/app.js';
import type { Config } from '../../src/server/config.js';
import type { AppContext } from '../../src/server/context.js';

export const TEST_PASSWORD = 'correct horse battery';
export const testSecretKey = Buffer.alloc(32, 7);

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    dataDir: './data/test',
    secretKey: testSecretKey,
    sessionTtlHours: 8,
    cookieSecure: false,
    logLevel: 'silent',
    seedDemo: false,
    demoPeople: 0,
    importRetentionDays: 30,
    webDist: 'web/dist',
    ...overrides,
  };
}

/**
 * A small organisation with two districts, each with a site and a section, built with factories
 * (valid rows with defaults) rather than fixtures; returns the graph so tests can name what they use.
 */
export async function seedSmallOrg(db: Db) {
  const [org] = await db
    .insert(organisation)
    .values({ code: `T${randomBytes(3).toString('hex')}`, name: '测试海关', timeZone: 'Asia/Shanghai' })
    .returning();
  const orgId = org!.id;
  const units: Record<string, { id: string; path: string }> = {};
  async function unit(key: string, parentKey: string | null, name: string, kind: string) {
    const id = crypto.randomUUID();
    const parent = parentKey ? units[parentKey]! : null;
    const path = `${parent?.path ?? '/'}${id}/`;
    await db
      .insert(orgUnit)
      .values({ id, orgId, parentId: parent?.id ?? null, path, depth: path.split('/').length - 3, code: key, name, kind });
    units[key] = { id, path };
    return id;
  }
  await unit('root', null, '测试海关', 'administration');
  await unit('east', 'root', '东区海关', 'district');
  await unit('eastPort', 'east', '东港', 'site');
  await unit('eastSec', 'eastPort', '旅检一科', 'section');
  await unit('west', 'root', '西区海关', 'district');
  await unit('westPort', 'west', '西港', 'site');
  await unit('westSec', 'westPort', '查验二科', 'section');
  const [pos] = await db.insert(position).values({ orgId, code: 'INSP', name: '查验员', category: 'professional' }).returning();
  return { orgId, units, positionId: pos!.id };
}

let seq = 0;
export async function newPerson(
  db: Db,
  orgId: string,
  unitId: string,
  overrides: Partial<typeof person.$inferInsert> & { nationalId?: string } = {},
) {
  seq++;
  const cipher = createNationalIdCipher(testSecretKey);
  const { nationalId: natIdOverride, ...rest } = overrides;
  const nationalId = natIdOverride ?? makeChineseNationalId('350203', overrides.birthDate ?? '1985-06-15', seq);
  const fullName = overrides.fullName ?? `测试${seq}`;
  const postSince = overrides.postSince ?? '2020-01-01';
  const [p] = await db
    .insert(person)
    .values({
      orgId,
      personNo: `P${String(seq).padStart(6, '0')}${randomBytes(2).toString('hex')}`,
      fullName,
      searchText: buildSearchText(fullName, overrides.nameLatin ?? null),
      unitId,
      homeUnitId: unitId,
      birthDate: '1985-06-15',
      gender: 'male',
      educationLevel: 'bachelor',
      specialties: ['health_quarantine'],
      status: 'active',
      postSince,
      nationalIdEnc: cipher.encrypt(nationalId),
      nationalIdHash: cipher.hash(nationalId),
      nationalIdMasked: maskNationalId(nationalId),
      ...rest,
      ...(overrides.fullName ? { searchText: buildSearchText(fullName, overrides.nameLatin ?? null) } : {}),
    })
    .returning();
  await db.insert(assignment).values({ orgId, personId: p!.id, unitId, positionId: p!.positionId, startDate: postSince });
  return p!;
}

export async function newUser(db: Db, orgId: string, grants: { role: Role; scopeUnitId: string }[], personId?: string) {
  const username = `u${randomBytes(4).toString('hex')}`;
  const id = await createUser(db, {
    orgId,
    username,
    displayName: username,
    password: TEST_PASSWORD,
    grants,
    personId: personId ?? null,
    locale: 'en',
  });
  return { id, username };
}

/** An app over the test database, driven with inject(): real routes, hooks and SQL, no network. */
export async function buildTestApp(database: Database, extraRoutes: RoutePlugin[] = []) {
  const log = pino({ level: 'silent' });
  const ctx: AppContext = {
    database,
    db: database.db,
    config: testConfig(),
    cipher: createNationalIdCipher(testSecretKey),
    jobs: createJobRunner(database.db, log, { pollMs: 50 }),
  };
  const app = await buildApp(ctx, { logger: log, extraRoutes });
  ctx.jobs.start();
  return {
    app,
    ctx,
    close: async () => {
      await app.close();
      await ctx.jobs.stop();
    },
  };
}

type InjectResponse = Awaited<ReturnType<FastifyInstance['inject']>>;
export type Session = {
  get: (url: string, headers?: Record<string, string>) => Promise<InjectResponse>;
  send: (
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<InjectResponse>;
  csrf: string;
  cookie: string;
};

export async function signIn(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'muster_session')!;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  const cookieHeader = `muster_session=${cookie.value}`;
  return {
    csrf,
    cookie: cookieHeader,
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers: { cookie: cookieHeader, ...headers } }),
    send: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { cookie: cookieHeader, 'x-csrf-token': csrf, ...headers },
        ...(body !== undefined ? { payload: body as object } : {}),
      }),
  };
}

export async function countAudit(db: Db, where: { action?: string; entityId?: string }): Promise<number> {
  const res = (await db.execute(
    sql`SELECT count(*)::int AS n FROM audit_log WHERE (${where.action ?? null}::text IS NULL OR action = ${where.action ?? null})
      AND (${where.entityId ?? null}::uuid IS NULL OR entity_id = ${where.entityId ?? null}::uuid)`,
  )) as unknown as { rows: { n: number }[] };
  return res.rows[0]!.n;
}
