import { describe, expect, it } from 'vitest';
import vectors from './fixtures/id-number-vectors.json';
import { checkResidentIdNumber, maskIdNumber, normalizeIdNumber } from '@/lib/reference/id-number';

const today = new Date('2026-11-28T00:00:00Z');

describe('GB 11643-1999 resident ID numbers', () => {
  it.each(vectors.valid)('accepts $id', (vector) => {
    expect(checkResidentIdNumber(vector.id, today)).toEqual({ ok: true, idNumber: vector.id, birthDate: vector.birthDate, gender: vector.gender });
  });

  it.each(vectors.invalid)('rejects $id ($reason)', (vector) => {
    const result = checkResidentIdNumber(vector.id, today);
    expect(result.ok).toBe(false);
  });

  it('treats a trailing lower-case x as X', () => {
    const { id, normalized } = vectors.normalization.lowercaseX;
    expect(normalizeIdNumber(id)).toBe(normalized);
    const result = checkResidentIdNumber(id, today);
    expect(result.ok && result.idNumber).toBe(normalized);
  });

  it('gives a reason a user can act on', () => {
    expect(checkResidentIdNumber('110105198001011230', today)).toEqual({ ok: false, message: '身份证号码校验位不正确，请核对' });
    expect(checkResidentIdNumber('11010519800101123', today)).toEqual({ ok: false, message: '身份证号码应为 18 位，当前为 17 位' });
  });

  it('masks all but the ends', () => {
    expect(maskIdNumber('11010519880808001X')).toBe('1101**********001X');
  });
});
