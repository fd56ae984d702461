/**
 * One batch of checked changes as the write statements take them: each field is the JSON text of one
 * statement's parameter (`[]` when the statement has nothing to do), in ASCII.
 */
export type CheckedBatch = {
  rows: number;
  person: Buffer;
  audit: Buffer;
  moves: Buffer;
  restarts: Buffer;
  opened: Buffer;
  statuses: Buffer;
};

export const BATCH_FIELDS = ['person', 'audit', 'moves', 'restarts', 'opened', 'statuses'] as const;
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
 * The batch being checked, built straight into the bytes the write statements take: a row's JSON is copied in
 * as soon as it is planned, so no row outlives its own check as an object.
 */
export class BatchBuilder implements Record<(typeof BATCH_FIELDS)[number], JsonArrayBuilder> {
  rows = 0;
  readonly person = new JsonArrayBuilder();
  readonly audit = new JsonArrayBuilder();
  readonly moves = new JsonArrayBuilder();
  readonly restarts = new JsonArrayBuilder();
  readonly opened = new JsonArrayBuilder();
  readonly statuses = new JsonArrayBuilder();

  clear(): void {
    this.rows = 0;
    for (const f of BATCH_FIELDS) this[f].clear();
  }

  /** The batch as it stands, copied out of the builder's reused buffers. */
  copy(): CheckedBatch {
    const batch: Partial<CheckedBatch> = { rows: this.rows };
    for (const f of BATCH_FIELDS) batch[f] = Buffer.concat(this[f].pieces());
    return batch as CheckedBatch;
  }
}
