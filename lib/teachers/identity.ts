import 'server-only';
import { decryptText, encryptText, keyedHash } from '@/lib/crypto/envelope';
import { maskIdNumber, normalizeIdNumber } from '@/lib/reference/id-number';

/**
 * How an ID number is kept at rest: never in clear. The teacher row holds it encrypted (AES-256-GCM,
 * with its key id), a keyed hash for uniqueness and exact search, and the masked form that lists
 * show; the record JSON, versions and diffs hold the masked form only; the teacher's login name is
 * derived from the keyed hash, so signing in with the ID number still finds the account.
 */
export interface StoredIdNumber {
  idNumberHash: string;
  idNumberEnc: string;
  idNumberMasked: string;
}

/** The lookup key of an ID number as typed: normalised (upper-case X, no spaces) first. */
export function idNumberHash(idNumber: string): string {
  return keyedHash(`id:${normalizeIdNumber(idNumber).toUpperCase()}`);
}

export function storeIdNumber(idNumber: string): StoredIdNumber {
  const normalized = normalizeIdNumber(idNumber).toUpperCase();
  return { idNumberHash: idNumberHash(normalized), idNumberEnc: encryptText(normalized), idNumberMasked: maskIdNumber(normalized) };
}

export function revealStoredIdNumber(idNumberEnc: string): string {
  return decryptText(idNumberEnc);
}

/** Staff log in as "<unit code>.<suffix>"; a teacher types an ID number, which is looked up by its hash. */
const teacherLoginPrefix = 'id.';

export function teacherLoginName(idNumber: string): string {
  return `${teacherLoginPrefix}${idNumberHash(idNumber)}`;
}

/** The account name to look up for what was typed on the sign-in page. */
export function loginNameFor(typed: string): string {
  const trimmed = typed.trim();
  return trimmed.includes('.') ? trimmed : teacherLoginName(trimmed);
}

export function isTeacherLoginName(username: string): boolean {
  return username.startsWith(teacherLoginPrefix);
}
