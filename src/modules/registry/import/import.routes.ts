import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  IMPORT_FIELDS,
  ImportMapping,
  ImportRunRequest,
  ImportRunResponse,
  ImportUploadQuery,
  ImportUploadResponse,
  SavedMapping,
  SaveMappingRequest,
} from '../../../contracts/import.js';
import { LOCALES, type Locale } from '../../../contracts/vocab.js';
import { requirePermission } from '../../../server/context.js';
import { AppError, notFound } from '../../../server/errors.js';
import { translator } from '../../../server/i18n.js';
import { buildActor } from '../../iam/auth.service.js';
import { appUser } from '../../iam/schema.js';
import { getJob, type JobContext, type JobRow } from '../../jobs/job-runner.js';
import { writeReportXlsx } from './import-report.js';
import {
  deleteMapping,
  listMappings,
  loadUpload,
  loadUploadContent,
  localiseIssue,
  runImport,
  saveMapping,
  sheetForRun,
  storeUpload,
  uploadResponse,
  type ImportDeps,
  type ImportMode,
  type StoredReport,
} from './import.service.js';
import { resolveMapping } from './check-rows.js';
import { summariseSpreadsheet } from './read-spreadsheet.js';

const UploadParams = z.object({ uploadId: z.uuid() });
const IdParams = z.object({ id: z.uuid() });
const ReportQuery = z.object({ jobId: z.uuid(), lang: z.string().optional() });
const ImportField = z.object({
  key: z.string(),
  required: z.boolean(),
  vocab: z.string().optional(),
  list: z.boolean().optional(),
  label: z.string(),
});

/** What a job needs to act as the user who started it; the actor is rebuilt so scope holds inside the job too. */
const ImportJobPayload = z.object({
  uploadId: z.uuid(),
  mapping: ImportMapping,
  /** The worksheet, resolved when the job was queued (null for CSV; absent in jobs queued before sheets could be chosen). */
  sheet: z.string().nullish(),
  userId: z.uuid(),
  locale: z.enum(LOCALES),
  requestId: z.string().nullish(),
  ip: z.string().nullish(),
});
type ImportJobPayload = z.infer<typeof ImportJobPayload>;

export const IMPORT_JOB_KINDS = { dry_run: 'import.dry_run', commit: 'import.commit' } as const satisfies Record<ImportMode, string>;

export async function registerImportRoutes(api: FastifyInstance): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const { db, cipher, jobs } = api.ctx;
  const deps: ImportDeps = { db, cipher, databaseKind: api.ctx.database.kind };

  const runJob = (mode: ImportMode) => async (row: JobRow, jctx: JobContext) => {
    const payload = ImportJobPayload.parse(row.payload);
    const [user] = await db.select().from(appUser).where(eq(appUser.id, payload.userId));
    if (!user || user.disabled || user.orgId !== row.orgId) throw new AppError('forbidden');
    const actor = {
      ...(await buildActor(db, user, `job:${row.id}`, '')),
      requestId: payload.requestId ?? undefined,
      ip: payload.ip ?? undefined,
    };
    requirePermission(actor, 'person.import');
    return runImport(deps, {
      uploadId: payload.uploadId,
      mapping: payload.mapping,
      sheet: payload.sheet ?? null,
      mode,
      actor,
      t: translator(payload.locale as Locale),
      jobId: row.id,
      progress: jctx.progress,
    });
  };
  jobs.register(IMPORT_JOB_KINDS.dry_run, runJob('dry_run'));
  jobs.register(IMPORT_JOB_KINDS.commit, runJob('commit'));

  r.get('/imports/fields', { schema: { tags: ['imports'], response: { 200: z.array(ImportField) } } }, async (req) => {
    requirePermission(req.actor, 'person.import');
    return IMPORT_FIELDS.map((f) => ({
      key: f.key,
      required: f.required,
      ...('vocab' in f ? { vocab: f.vocab } : {}),
      ...('list' in f ? { list: f.list } : {}),
      label: req.t(`fields.${f.key}`),
    }));
  });

  r.post(
    '/imports',
    { schema: { tags: ['imports'], consumes: ['multipart/form-data'], response: { 200: ImportUploadResponse } } },
    async (req) => {
      const actor = requirePermission(req.actor, 'person.import');
      if (!req.isMultipart()) throw new AppError('validation', [{ field: 'file', reason: 'required' }]);
      const file = await req.file();
      if (!file || file.fieldname !== 'file') throw new AppError('validation', [{ field: 'file', reason: 'required' }]);
      let content: Buffer;
      try {
        content = await file.toBuffer();
      } catch (err) {
        throw new AppError('import_unreadable', [], { reason: (err as Error).message });
      }
      return storeUpload(db, actor, { fileName: file.filename || 'upload', content });
    },
  );

  r.get(
    '/imports/:uploadId',
    { schema: { tags: ['imports'], params: UploadParams, querystring: ImportUploadQuery, response: { 200: ImportUploadResponse } } },
    async (req) => {
      const actor = requirePermission(req.actor, 'person.import');
      const upload = await loadUpload(db, actor.orgId, req.params.uploadId, actor.userId);
      return uploadResponse(
        upload.id,
        upload.fileName,
        await summariseSpreadsheet(await loadUploadContent(db, upload.id), upload.fileName, req.query.sheet),
      );
    },
  );

  const enqueue = (mode: ImportMode) =>
    r.post(
      `/imports/:uploadId/${mode === 'dry_run' ? 'dry-run' : 'commit'}`,
      { schema: { tags: ['imports'], params: UploadParams, body: ImportRunRequest, response: { 200: ImportRunResponse } } },
      async (req) => {
        const actor = requirePermission(req.actor, 'person.import');
        const upload = await loadUpload(db, actor.orgId, req.params.uploadId, actor.userId);
        // An unknown sheet, or a mapping without the required fields, is refused here, before a job is queued.
        const { sheet, headers } = await sheetForRun(db, upload, req.body.sheet);
        resolveMapping(headers, req.body.mapping);
        const payload: ImportJobPayload = {
          uploadId: upload.id,
          mapping: req.body.mapping,
          sheet,
          userId: actor.userId,
          locale: req.locale,
          requestId: actor.requestId ?? null,
          ip: actor.ip ?? null,
        };
        const jobId = await jobs.enqueue({ orgId: actor.orgId, kind: IMPORT_JOB_KINDS[mode], payload, createdBy: actor.userId });
        return { jobId };
      },
    );
  enqueue('dry_run');
  enqueue('commit');

  r.get(
    '/imports/:uploadId/report',
    { schema: { tags: ['imports'], params: UploadParams, querystring: ReportQuery } },
    async (req, reply) => {
      const actor = requirePermission(req.actor, 'person.import');
      const job = await getJob(db, actor.orgId, req.query.jobId);
      const payload = ImportJobPayload.safeParse(job?.payload);
      if (!job || !payload.success || payload.data.uploadId !== req.params.uploadId || job.createdBy !== actor.userId) throw notFound();
      if (!Object.values(IMPORT_JOB_KINDS).includes(job.kind as never)) throw notFound();
      if (job.status !== 'succeeded') throw new AppError('job_not_finished');
      const report = job.result as StoredReport;
      const errors = report.errors.map((e) => localiseIssue(e, req.t));
      const xlsx = await writeReportXlsx(errors, req.t);
      void reply.header('content-disposition', `attachment; filename="import-report-${req.params.uploadId.slice(0, 8)}.xlsx"`);
      void reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      return reply.send(xlsx);
    },
  );

  r.get(
    '/import-mappings',
    { schema: { tags: ['imports'], response: { 200: z.object({ items: z.array(SavedMapping) }) } } },
    async (req) => {
      const actor = requirePermission(req.actor, 'person.import');
      return { items: await listMappings(db, actor.orgId) };
    },
  );
  r.post(
    '/import-mappings',
    { schema: { tags: ['imports'], body: SaveMappingRequest, response: { 201: SavedMapping } } },
    async (req, reply) => {
      const actor = requirePermission(req.actor, 'person.import');
      return reply.status(201).send(await saveMapping(db, actor, req.body));
    },
  );
  r.delete('/import-mappings/:id', { schema: { tags: ['imports'], params: IdParams } }, async (req, reply) => {
    const actor = requirePermission(req.actor, 'person.import');
    await deleteMapping(db, actor, req.params.id);
    return reply.status(204).send();
  });
}
