import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** `scrypt$N$r$p$salt$hash`, all parameters stored so they can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algo, n, r, p, saltB64, hashB64] = stored.split('$');
  if (algo !== 'scrypt' || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password: compared against when the user does not exist, so timing does not reveal it. */
export const DUMMY_HASH_PROMISE = hashPassword(randomBytes(12).toString('base64'));

/**
 * A password an administrator issued (a new account, a reset) is stored with a `$temp` suffix on its
 * hash record: it signs in, but the session may only change the password. verifyPassword ignores the
 * suffix; setting a new password writes a plain record and so clears it.
 */
const TEMP_SUFFIX = '$temp';
export const isTemporaryHash = (stored: string): boolean => stored.endsWith(TEMP_SUFFIX);
export async function hashTemporaryPassword(password: string): Promise<string> {
  return (await hashPassword(password)) + TEMP_SUFFIX;
}

/** 4 groups of 4 from an alphabet without look-alikes (0/O, 1/l/I): ~80 bits, easy to read out or type. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let s = '';
    // 248 = 8 × 31: bytes at or above it are skipped so every character is equally likely.
    while (s.length < 4) for (const b of randomBytes(8)) if (b < 248 && s.length < 4) s += alphabet[b % alphabet.length];
    groups.push(s);
  }
  return groups.join('-');
}
