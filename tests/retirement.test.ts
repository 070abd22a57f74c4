import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { getDb, rowsOf } from '@/lib/db';
import { teachers } from '@/lib/db/schema';
import mobility from '@/lib/reference/data/mobility.json';
import { describeAge, flexibleRetirementProblem, originalRetirementAge, statutoryRetirement } from '@/lib/mobility/retirement';
import { jyt1001StatusCodes, legacyStatusCodes, personnelStatusItems, statusGroupOf } from '@/lib/mobility/status';
import { createTeacher } from '@/lib/teachers/registration/service';
import { registration, school } from './support/factories';

describe('statutory retirement under the 2025 rules', () => {
  it.each(mobility.retirementAge2025.vectors)('$sex born $born, original age $originalAge: $retirementAge, retires $retires', (vector) => {
    const result = statutoryRetirement(vector.born, vector.originalAge);
    const [years, months] = vector.retirementAge.match(/^(\d+)y(\d+)m$/)!.slice(1).map(Number);
    expect(result.ageMonths).toBe(years * 12 + months);
    expect(result.month).toBe(vector.retires);
  });

  it('takes the original age from sex and post: 60 for men, 55 for women, 50 for women on support posts', () => {
    expect(originalRetirementAge('1', '4')).toBe(60);
    expect(originalRetirementAge('2', '1')).toBe(55);
    expect(originalRetirementAge('2', '3')).toBe(55);
    expect(originalRetirementAge('2', '4')).toBe(50);
    expect(describeAge(722)).toBe('60岁2个月');
    expect(describeAge(696)).toBe('58岁');
  });

  it('bounds the flexible option: three years either way, never below the original age', () => {
    // A woman born 1981-09 (original 55) retires 2039-09 at 58: earliest 2036-09 (55, also three years), latest 2042-09.
    expect(flexibleRetirementProblem('1981-09', 55, '2036-09')).toBeNull();
    expect(flexibleRetirementProblem('1981-09', 55, '2036-08')).toMatch(/不能早于 2036-09/);
    expect(flexibleRetirementProblem('1981-09', 55, '2042-10')).toMatch(/不能晚于 2042-09/);
    // Born 1970-01: statutory 2025-02 at 55y1m; never before the original age (2025-01).
    expect(flexibleRetirementProblem('1970-01', 55, '2024-12')).toMatch(/不能早于 2025-01/);
  });

  it('is the same rule in the database: statutory_retirement_month equals the TypeScript rule for every birth month 1950–2005', async () => {
    const db = await getDb();
    const rows = rowsOf<{ birth: string; gender: string; post: string; month: string }>(
      await db.execute(sql`
        select to_char(b, 'YYYY-MM') as birth, g as gender, p as post, to_char(statutory_retirement_month(b::date, g, p), 'YYYY-MM') as month
        from generate_series('1950-01-01'::date, '2005-12-01'::date, interval '1 month') b, unnest(array['1', '2']) g, unnest(array['1', '4']) p`),
    );
    expect(rows.length).toBe(672 * 4);
    const mismatches = rows.filter((row) => statutoryRetirement(row.birth, originalRetirementAge(row.gender, row.post)).month !== row.month);
    expect(mismatches).toEqual([]);
  });

  it('keeps each teacher’s retirement month on the row, the chosen flexible month first', async () => {
    const fixture = await school('330206');
    const { teacherId } = await createTeacher(fixture.sysadmin, registration({ gender: '2', birthDate: '1981-09-15', postCategory: '1' }));
    const db = await getDb();
    const read = async () => (await db.select({ month: teachers.retirementMonth }).from(teachers).where(eq(teachers.id, teacherId)))[0].month;
    expect(await read()).toBe('2039-09-01');
    await db.update(teachers).set({ retirementOverride: '2037-03-01' }).where(eq(teachers.id, teacherId));
    expect(await read()).toBe('2037-03-01');
  });
});

describe('人员状态, the national 3-digit list', () => {
  it('maps every earlier 2-digit code and every JY/T 1001 code to a national code', () => {
    const national = new Set(personnelStatusItems.map((item) => item.code));
    expect(Object.values(legacyStatusCodes).every((code) => national.has(code))).toBe(true);
    expect(Object.keys(legacyStatusCodes)).toHaveLength(16);
    expect(mobility.staffCurrentStatusJYT1001.items.every((item) => national.has(jyt1001StatusCodes[item.code]))).toBe(true);
    expect(jyt1001StatusCodes['01']).toBe('301');
    expect(jyt1001StatusCodes['03']).toBe('303');
    expect(jyt1001StatusCodes['11']).toBe('100');
    expect(jyt1001StatusCodes['13']).toBe('209');
    expect(statusGroupOf('100')).toBe('atPost');
    expect(statusGroupOf('205')).toBe('notAtPost');
    expect(statusGroupOf('301')).toBe('left');
  });
});

describe('人员状态 in imports', () => {
  it('reads JY/T 1001 codes and names as the national codes', async () => {
    const { cellToValue } = await import('@/lib/teacher-import/workbook');
    const { nationalCatalogue } = await import('@/lib/indicators/catalogue');
    const { resolveCatalogue, defaultProvinceSettings } = await import('@/lib/indicators/settings');
    const field = resolveCatalogue(defaultProvinceSettings(), 'primary_secondary').subsets.find((s) => s.key === 'basic')!.fields.find((f) => f.key === 'personnelStatus')!;
    expect(nationalCatalogue.length).toBeGreaterThan(0);
    expect(cellToValue(field, '在本单位任职')).toEqual({ value: '100' });
    expect(cellToValue(field, '11')).toEqual({ value: '100' });
    expect(cellToValue(field, '在职')).toEqual({ value: '100' });
    expect(cellToValue(field, '14')).toEqual({ value: '203' });
    expect(cellToValue(field, '长病假')).toEqual({ value: '203' });
    expect(cellToValue(field, '01')).toEqual({ value: '301' });
    expect(cellToValue(field, '火星')).toEqual({ error: expect.stringMatching(/不在代码表中/) });
  });
});
