import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One batch of checked changes as the write statements take them: each field is the JSON text of one
 * statement's parameter (`[]` when the statement has nothing to do), in ASCII.
 */
export type SpooledBatch = {
  rows: number;
  person: Buffer;
  audit: Buffer;
  moves: Buffer;
  restarts: Buffer;
  opened: Buffer;
  statuses: Buffer;
};

const FIELDS = ['person', 'audit', 'moves', 'restarts', 'opened', 'statuses'] as const;
/** Row count, then the byte length of each field, as 32-bit integers. */
const HEADER_BYTES = 4 * (1 + FIELDS.length);

const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');
const COMMA = 0x2c;

/** A JSON array written item by item into a buffer that is reused from batch to batch. */
class JsonArrayBuilder {
  private buf = Buffer.allocUnsafe(16 * 1024);
  private length = 0;
  private items = 0;

  /** One item, as JSON text in ASCII (the bytes are the characters). */
  push(asciiJson: string): void {
    const needed = this.length + 1 + asciiJson.length;
    if (needed > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    if (this.items++) this.buf[this.length++] = COMMA;
    this.length += this.buf.write(asciiJson, this.length, 'latin1');
  }

  pieces(): Buffer[] {
    return [OPEN, this.buf.subarray(0, this.length), CLOSE];
  }

  clear(): void {
    this.length = 0;
    this.items = 0;
  }
}

/**
 * The batch being checked, built straight into the bytes the spool stores: a row's JSON is copied in
 * as soon as it is planned, so no row outlives its own check, as an object or as a buffer.
 */
export class BatchBuilder implements Record<(typeof FIELDS)[number], JsonArrayBuilder> {
  rows = 0;
  readonly person = new JsonArrayBuilder();
  readonly audit = new JsonArrayBuilder();
  readonly moves = new JsonArrayBuilder();
  readonly restarts = new JsonArrayBuilder();
  readonly opened = new JsonArrayBuilder();
  readonly statuses = new JsonArrayBuilder();

  clear(): void {
    this.rows = 0;
    for (const f of FIELDS) this[f].clear();
  }

  /** The batch as it stands, copied out of the builder's reused buffers. */
  copy(): SpooledBatch {
    const batch: Partial<SpooledBatch> = { rows: this.rows };
    for (const f of FIELDS) batch[f] = Buffer.concat(this[f].pieces());
    return batch as SpooledBatch;
  }
}

/** Where a commit puts each checked batch: the spool (written after the check), or a transaction already writing. */
export type PlanSink = {
  /** Rows appended so far. */
  readonly rows: number;
  /** Takes the batch as it stands; the builder can be cleared and reused once this has resolved. */
  append(batch: BatchBuilder): Promise<void>;
};

/**
 * The changes a commit has checked, kept on disk until the check of the whole file has passed and
 * the write can start: holding 100,000 planned rows in memory cost ~200 MiB of buffers and heap.
 * Batches are appended in order and read back in the same order, one at a time, as bytes: neither the
 * check nor the write turns a whole batch into one JS string (see `textParam`). The file sits
 * in a private temporary directory and is removed by `dispose`, whatever happened.
 */
export class PlanSpool implements PlanSink {
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

  /** Writes the batch as it stands; the builder can be cleared and reused once this has resolved. */
  async append(batch: BatchBuilder): Promise<void> {
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(batch.rows, 0);
    const fields = FIELDS.map((f) => batch[f].pieces());
    fields.forEach((parts, i) =>
      header.writeUInt32LE(
        parts.reduce((n, b) => n + b.length, 0),
        4 * (i + 1),
      ),
    );
    const pieces = [header, ...fields.flat()];
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
