import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

const hashOptions = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, hashOptions);
}

/**
 * Hashes many passwords a few at a time, so that a long run leaves the thread pool to other requests;
 * `onHashed` hears how many are done after each few.
 */
export async function hashPasswords(passwords: string[], onHashed?: (done: number) => Promise<void>): Promise<string[]> {
  const hashes: string[] = [];
  for (let start = 0; start < passwords.length; start += 8) {
    hashes.push(...(await Promise.all(passwords.slice(start, start + 8).map(hashPassword))));
    await onHashed?.(hashes.length);
  }
  return hashes;
}

export async function verifyPassword(storedHash: string | null, plain: string): Promise<boolean> {
  if (!storedHash) {
    // Spend the same time as a real check so that unknown accounts cannot be told apart by timing.
    await hash(plain, hashOptions);
    return false;
  }
  try {
    return await verify(storedHash, plain);
  } catch {
    return false;
  }
}

// No 0/O, 1/l/I: initial passwords are read off a printed sheet.
const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const lower = 'abcdefghijkmnpqrstuvwxyz';
const digits = '23456789';
const symbols = '@#%+=?';

/** A 12-character initial password that satisfies the policy, from a CSPRNG. */
export function generateInitialPassword(): string {
  const pick = (set: string) => set[randomInt(set.length)];
  const all = upper + lower + digits + symbols;
  const chars = [pick(upper), pick(lower), pick(digits), pick(symbols)];
  while (chars.length < 12) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  // A leading symbol (=, +, @) would make a spreadsheet read the printed sheet's cell as a formula.
  const firstLetter = chars.findIndex((c) => /[A-Za-z]/.test(c));
  [chars[0], chars[firstLetter]] = [chars[firstLetter], chars[0]];
  return chars.join('');
}
