import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One batch of checked changes as the write statements take them: each field is the JSON text of one
 * statement's parameter (`[]` when the statement has nothing to do), in ASCII.
 */
export type SpooledBatch<T = Buffer> = {
  rows: number;
  person: T;
  audit: T;
  moves: T;
  restarts: T;
  opened: T;
  statuses: T;
};

const FIELDS = ['person', 'audit', 'moves', 'restarts', 'opened', 'statuses'] as const;
/** Row count, then the byte length of each field, as 32-bit integers. */
const HEADER_BYTES = 4 * (1 + FIELDS.length);

/**
 * The changes a commit has checked, kept on disk until the check of the whole file has passed and
 * the write can start: holding 100,000 planned rows in memory cost ~200 MiB of buffers and heap.
 * Batches are appended in order and read back in the same order, one at a time, as bytes: neither the
 * check nor the write turns a whole batch into one JS string (see `textParam`). The file sits
 * in a private temporary directory and is removed by `dispose`, whatever happened.
 */
export class PlanSpool {
  private constructor(
    private readonly dir: string,
    private readonly file: FileHandle,
  ) {}

  /** Rows appended so far. */
  rows = 0;
  private size = 0;
  private disposed = false;

  static async open(): Promise<PlanSpool> {
    // mkdtemp creates the directory for its owner only; the file holds encrypted national IDs and their hashes.
    const dir = await mkdtemp(join(tmpdir(), 'muster-import-plan-'));
    return new PlanSpool(dir, await open(join(dir, 'plan.bin'), 'w+', 0o600));
  }

  /** Each field is given as the pieces of its text, written one after another without being joined first. */
  async append(batch: SpooledBatch<Buffer[]>): Promise<void> {
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(batch.rows, 0);
    FIELDS.forEach((f, i) =>
      header.writeUInt32LE(
        batch[f].reduce((n, b) => n + b.length, 0),
        4 * (i + 1),
      ),
    );
    const pieces = [header, ...FIELDS.flatMap((f) => batch[f])];
    const { bytesWritten } = await this.file.writev(pieces, this.size);
    const expected = pieces.reduce((n, b) => n + b.length, 0);
    if (bytesWritten !== expected) throw new Error(`plan spool: wrote ${bytesWritten} of ${expected} bytes`);
    this.size += expected;
    this.rows += batch.rows;
  }

  /**
   * The batches in the order they were appended. Their fields share one buffer, reused for the next
   * batch: use a batch before asking for the next one.
   */
  async *read(): AsyncGenerator<SpooledBatch> {
    const header = Buffer.alloc(HEADER_BYTES);
    let scratch = Buffer.alloc(0);
    for (let at = 0; at < this.size;) {
      await this.readExactly(header, at);
      at += HEADER_BYTES;
      const lengths = FIELDS.map((_, i) => header.readUInt32LE(4 * (i + 1)));
      const total = lengths.reduce((a, b) => a + b, 0);
      if (scratch.length < total) scratch = Buffer.allocUnsafe(Math.max(total, scratch.length * 2));
      await this.readExactly(scratch.subarray(0, total), at);
      at += total;
      const batch: Partial<SpooledBatch> = { rows: header.readUInt32LE(0) };
      let offset = 0;
      FIELDS.forEach((f, i) => {
        batch[f] = scratch.subarray(offset, offset + lengths[i]!);
        offset += lengths[i]!;
      });
      yield batch as SpooledBatch;
    }
  }

  private async readExactly(into: Buffer, position: number): Promise<void> {
    for (let done = 0; done < into.length;) {
      const { bytesRead } = await this.file.read(into, done, into.length - done, position + done);
      if (bytesRead === 0) throw new Error('plan spool ends inside a batch');
      done += bytesRead;
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.file.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
