/** Resident ID numbers per GB 11643-1999 (ISO 7064 MOD 11-2 check character). Client-safe. */
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChars = '10X98765432';

// Mainland province codes (GB/T 2260) plus 81/82/83 for Hong Kong, Macao and Taiwan residence permits.
const provinceCodes = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '81', '82', '83',
]);

export function idCheckCharacter(first17: string): string {
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * weights[i], 0);
  return checkChars[sum % 11];
}

/** A trailing lower-case x is the same number as X. */
export function normalizeIdNumber(raw: string): string {
  return raw.trim().replace(/x$/, 'X');
}

export type IdNumberCheck =
  | { ok: true; idNumber: string; birthDate: string; gender: 'male' | 'female' }
  | { ok: false; message: string };

/**
 * Validates an 18-character resident ID number. Only the province part of the region code is
 * checked: cards issued in abolished counties stay valid.
 */
export function checkResidentIdNumber(raw: string, today: Date = new Date()): IdNumberCheck {
  const id = normalizeIdNumber(raw);
  if (id.length !== 18) return { ok: false, message: `身份证号码应为 18 位，当前为 ${id.length} 位` };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, message: '身份证号码前 17 位应为数字，最后一位为数字或 X' };
  if (!provinceCodes.has(id.slice(0, 2))) return { ok: false, message: '身份证号码的地区码不是有效的省级代码' };
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || year < 1900) {
    return { ok: false, message: '身份证号码中的出生日期不存在' };
  }
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const todayIso = today.toISOString().slice(0, 10);
  if (birthDate > todayIso) return { ok: false, message: '身份证号码中的出生日期晚于今天' };
  if (idCheckCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, message: '身份证号码校验位不正确，请核对' };
  return { ok: true, idNumber: id, birthDate, gender: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

/** Masks all but the first 4 and last 4 characters, as lists and viewers show it. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/**
 * Account names of staff are "<unit code>.<suffix>"; a teacher's is their ID number (of any document
 * type). Anything without the dot is treated as personal and masked.
 */
export function maskLoginName(name: string): string {
  return name.includes('.') ? name : maskIdNumber(name);
}
