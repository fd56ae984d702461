import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * National IDs are encrypted at rest with AES-256-GCM (random IV, auth tag) and found by a keyed
 * HMAC, so the database alone never reveals them and duplicates are still detectable.
 */
export type NationalIdCipher = {
  encrypt: (plain: string) => string;
  decrypt: (stored: string) => string;
  hash: (plain: string) => string;
  /** The key itself, for a worker thread to build the same cipher (the import's check). */
  key: Buffer;
};

/**
 * A fresh random 96-bit IV per value, cut from a pool filled 4 KiB at a time: the same CSPRNG, one
 * call per 341 values instead of one each (an import encrypts up to 100,000 in its check).
 */
const IV_BYTES = 12;
let ivPool = Buffer.alloc(0);
let ivAt = 0;
function nextIv(): Buffer {
  if (ivAt + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(4092);
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}

export function createNationalIdCipher(key: Buffer): NationalIdCipher {
  const hmacKey = createHmac('sha256', key).update('national-id-hash').digest();
  return {
    key,
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(normaliseNationalId(plain), 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    decrypt(stored) {
      const [v, iv, tag, body] = stored.split('.');
      if (v !== 'v1' || !iv || !tag || !body) throw new Error('unknown national id envelope');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
    hash(plain) {
      return createHmac('sha256', hmacKey).update(normaliseNationalId(plain)).digest('hex');
    },
  };
}

export function normaliseNationalId(id: string): string {
  return id.trim().toUpperCase();
}

/** Shows the first and last few characters only: '350203199001011234' → '3502**********1234'. */
export function maskNationalId(id: string): string {
  const n = normaliseNationalId(id);
  const keep = n.length >= 12 ? 4 : 2;
  return n.slice(0, keep) + '*'.repeat(Math.max(0, n.length - keep * 2)) + n.slice(-keep);
}

/** Chinese resident ID (GB 11643, ISO 7064 MOD 11-2 check digit) or Vietnamese 12-digit citizen ID / 9-digit old ID. */
export function isValidNationalId(id: string): boolean {
  const n = normaliseNationalId(id);
  if (/^\d{12}$/.test(n) || /^\d{9}$/.test(n)) return true;
  if (!/^\d{17}[\dX]$/.test(n)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(n[i]), 0);
  return '10X98765432'[sum % 11] === n[17];
}

/** Builds a valid Chinese resident ID from region, birth date and sequence; used by demo data and tests. */
export function makeChineseNationalId(region: string, birthDate: string, seq: number): string {
  const body = region.slice(0, 6) + birthDate.replace(/-/g, '') + String(seq % 1000).padStart(3, '0');
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}
