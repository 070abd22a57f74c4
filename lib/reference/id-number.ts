/** Resident ID numbers per GB 11643-1999 (ISO 7064 MOD 11-2 check character). Client-safe. */
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChars = '10X98765432';

export function idCheckCharacter(first17: string): string {
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * weights[i], 0);
  return checkChars[sum % 11];
}

export function normalizeIdNumber(raw: string): string {
  return raw.trim().replace(/x$/, 'X');
}
