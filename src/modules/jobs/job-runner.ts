import { and, desc, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import { queryRows } from '../../db/query-rows.js';
import { job } from './schema.js';

export type JobRow = typeof job.$inferSelect;
export type JobContext = {
  /**
   * Records progress; cheap to call often, it writes at most a few times a second, and tells this
   * process's watchers at once. `persist: false` only tells the watchers: for a job whose own
   * transaction holds the database's one connection (a PGlite import), where a write would wait for it.
   */
  progress: (done: number, total?: number, opts?: { persist?: boolean }) => Promise<void>;
};
/** What a watcher of a running job hears: its progress as it goes, then the finished row. */
export type JobEvent = { kind: 'progress'; progress: number; total: number } | { kind: 'finished'; job: JobRow };
/** A job that will not change again. */
export const isFinished = (row: Pick<JobRow, 'status'>): boolean => row.status === 'succeeded' || row.status === 'failed';
/** A handler must be safe to run again from the start: a job interrupted by a restart is re-run. */
export type JobHandler = (row: JobRow, ctx: JobContext) => Promise<unknown>;

export type JobRunner = {
  register: (kind: string, handler: JobHandler) => void;
  enqueue: (input: { orgId: string; kind: string; payload: unknown; createdBy?: string | null }) => Promise<string>;
  /** Resolves when the job finishes (tests and CLI tools). */
  waitFor: (id: string, timeoutMs?: number) => Promise<JobRow>;
  /**
   * Calls `listener` with each event of job `id` while this process runs it (nothing for a job run by
   * another process); returns the unsubscribe function.
   */
  watch: (id: string, listener: (event: JobEvent) => void) => () => void;
  start: () => void;
  stop: () => Promise<void>;
};

const STALE_SECONDS = 120;

/**
 * Jobs live in the `job` table and run in-process. Claiming uses FOR UPDATE SKIP LOCKED, so several
 * API processes on PostgreSQL share the queue; a job whose worker died (stale heartbeat) is queued again.
 */
export function createJobRunner(db: Db, log: Logger, opts: { pollMs?: number } = {}): JobRunner {
  const handlers = new Map<string, JobHandler>();
  const pollMs = opts.pollMs ?? 500;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  const waiters = new Map<string, ((row: JobRow) => void)[]>();
  const watchers = new Map<string, Set<(event: JobEvent) => void>>();
  const tell = (id: string, event: JobEvent) => {
    for (const w of watchers.get(id) ?? []) w(event);
  };

  async function claim(): Promise<JobRow | null> {
    await db.execute(sql`UPDATE job SET status = 'queued'
      WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => ${STALE_SECONDS})`);
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`UPDATE job SET status = 'running', started_at = now(), heartbeat_at = now(), attempts = attempts + 1
        WHERE id = (SELECT id FROM job WHERE status = 'queued' ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING id`,
    );
    if (!row) return null;
    const [full] = await db.select().from(job).where(eq(job.id, row.id));
    return full ?? null;
  }

  async function runOne(row: JobRow): Promise<void> {
    const handler = handlers.get(row.kind);
    let lastWrite = 0;
    let knownTotal = row.total;
    const ctx: JobContext = {
      progress: async (done, total, opts) => {
        if (total !== undefined) knownTotal = total;
        tell(row.id, { kind: 'progress', progress: done, total: knownTotal });
        if (opts?.persist === false) return;
        const now = Date.now();
        if (now - lastWrite < 250 && (total === undefined || done < total)) return;
        lastWrite = now;
        await db
          .update(job)
          .set({ progress: done, ...(total !== undefined ? { total } : {}), heartbeatAt: new Date() })
          .where(eq(job.id, row.id));
      },
    };
    try {
      if (!handler) throw new Error(`no handler for job kind ${row.kind}`);
      const result = await handler(row, ctx);
      await db
        .update(job)
        .set({ status: 'succeeded', result: (result ?? null) as object | null, finishedAt: new Date(), heartbeatAt: new Date() })
        .where(eq(job.id, row.id));
    } catch (err) {
      log.error({ err, jobId: row.id, kind: row.kind }, 'job failed');
      const error =
        err instanceof Error
          ? {
              message: err.message,
              ...((err as { code?: string }).code ? { code: (err as { code?: string }).code } : {}),
              details: (err as { details?: unknown }).details ?? [],
            }
          : { message: String(err) };
      await db.update(job).set({ status: 'failed', error, finishedAt: new Date() }).where(eq(job.id, row.id));
    }
    const [done] = await db.select().from(job).where(eq(job.id, row.id));
    tell(row.id, { kind: 'finished', job: done! });
    for (const w of waiters.get(row.id) ?? []) w(done!);
    waiters.delete(row.id);
  }

  async function drain(): Promise<void> {
    while (!stopped) {
      const row = await claim();
      if (!row) return;
      await runOne(row);
    }
  }

  const tick = () => {
    if (stopped || running) return;
    running = drain()
      .catch((err: unknown) => log.error({ err }, 'job loop failed'))
      .finally(() => {
        running = null;
      });
  };

  return {
    register: (kind, handler) => handlers.set(kind, handler),
    async enqueue({ orgId, kind, payload, createdBy }) {
      const [row] = await db
        .insert(job)
        .values({ orgId, kind, payload: payload as object, createdBy: createdBy ?? null })
        .returning({ id: job.id });
      setImmediate(tick);
      return row!.id;
    },
    waitFor(id, timeoutMs = 600_000) {
      return new Promise<JobRow>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`job ${id} did not finish in ${timeoutMs} ms`)), timeoutMs);
        const done = (row: JobRow) => {
          clearTimeout(t);
          resolve(row);
        };
        void db
          .select()
          .from(job)
          .where(eq(job.id, id))
          .then(([row]) => {
            if (row && isFinished(row)) done(row);
            else waiters.set(id, [...(waiters.get(id) ?? []), done]);
          });
      });
    },
    watch(id, listener) {
      const set = watchers.get(id) ?? new Set();
      watchers.set(id, set.add(listener));
      return () => {
        set.delete(listener);
        if (!set.size) watchers.delete(id);
      };
    },
    start() {
      stopped = false;
      timer = setInterval(tick, pollMs);
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

export async function listJobs(db: Db, orgId: string, createdBy: string | null, limit = 50) {
  return db
    .select({
      id: job.id,
      kind: job.kind,
      status: job.status,
      progress: job.progress,
      total: job.total,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
      error: job.error,
      result: job.result,
    })
    .from(job)
    .where(and(eq(job.orgId, orgId), createdBy ? eq(job.createdBy, createdBy) : undefined))
    .orderBy(desc(job.createdAt))
    .limit(limit);
}

export async function getJob(db: Db, orgId: string, id: string) {
  const [row] = await db
    .select()
    .from(job)
    .where(and(eq(job.orgId, orgId), eq(job.id, id)));
  return row ?? null;
}
