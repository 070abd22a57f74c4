import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { indicatorSettings, teachers } from '@/lib/db/schema';
import { ConflictError, ForbiddenError, ValidationError } from '@/lib/errors';
import { nationalCatalogue } from '@/lib/indicators/catalogue';
import { getProvinceSettings } from '@/lib/indicators/queries';
import { saveIndicatorSettings } from '@/lib/indicators/service';
import { defaultProvinceSettings, resolveCatalogue, teacherMayEverFill } from '@/lib/indicators/settings';
import { settingsToForm, type SaveIndicatorSettingsInput } from '@/lib/indicators/schemas';
import { createTeacher } from '@/lib/teachers/registration/service';
import { saveSection } from '@/lib/teachers/editing/service';
import { getTeacherRecord } from '@/lib/teachers/queries';
import { actorFor, registration, seedSchool } from './support/factories';

function formFrom(version: number, settings = defaultProvinceSettings()): SaveIndicatorSettingsInput {
  return settingsToForm(version, settings);
}

describe('the national catalogue', () => {
  it('covers every subset of DOMAIN.md and keeps the four school-only subsets closed to teachers', () => {
    expect(nationalCatalogue.map((s) => s.label)).toEqual(
      expect.arrayContaining(['基本信息', '学习经历', '工作经历', '岗位聘任', '专业技术职务聘任', '基本待遇', '年度考核', '教师资格', '师德信息', '教育教学', '培训研修', '联系方式']),
    );
    for (const key of ['assessment', 'pay', 'ethics', 'title']) {
      const subset = nationalCatalogue.find((s) => s.key === key)!;
      expect(subset.schoolOnly).toBe(true);
      expect(subset.fields.some((f) => teacherMayEverFill(subset, f))).toBe(false);
    }
    const keys = nationalCatalogue.flatMap((s) => s.fields.map((f) => `${s.key}.${f.key}`));
    expect(new Set(keys).size).toBe(keys.length);
    for (const subset of nationalCatalogue) for (const field of subset.fields) if (field.type === 'code' || field.type === 'codes') expect(field.codeTable).toBeTruthy();
  });
});

describe('province indicator settings', () => {
  it('versions each save; a province indicator shows in the form and takes values; stale saves conflict', async () => {
    const admin = await actorFor('330000.admin');
    const current = await getProvinceSettings(admin.unitId);
    const form = formFrom(current.version, current.settings ?? undefined);
    const label = `山区任教年限${current.version}`;
    form.custom.push({ subset: 'basic', label, type: 'number', required: false, optionLines: '', dropped: false });
    form.selfFillable.primary_secondary = [...form.selfFillable.primary_secondary, 'assessment.result'];
    const saved = await saveIndicatorSettings(admin, form);
    expect(saved.version).toBe(current.version + 1);
    const after = await getProvinceSettings(admin.unitId);
    const custom = after.settings!.custom.find((c) => c.label === label)!;
    expect(custom.key).toMatch(/^p[0-9a-f]{8}$/);
    expect(after.settings!.selfFillable.primary_secondary).not.toContain('assessment.result');
    await expect(saveIndicatorSettings(admin, form)).rejects.toBeInstanceOf(ConflictError);

    const school = await seedSchool({ authorityCode: '330106' });
    const created = await createTeacher(await actorFor(`${school.code}.admin`), registration());
    const manager = await actorFor(`${school.code}.manager`);
    const record = await getTeacherRecord(manager, created.teacherId);
    expect(record.catalogue.subsets[0].fields.some((f) => f.key === custom.key && f.label === label)).toBe(true);
    const bad = await saveSection(manager, { teacherId: created.teacherId, revision: record.revision, subset: 'basic', values: { [custom.key]: 'abc' } }).catch((e) => e);
    expect(bad.fieldErrors[custom.key]).toEqual(['应为数字（最多两位小数）']);
    await saveSection(manager, { teacherId: created.teacherId, revision: record.revision, subset: 'basic', values: { [custom.key]: '6' } });

    // Dropping hides the indicator but keeps what was entered.
    const dropForm = formFrom(after.version, after.settings!);
    dropForm.custom = dropForm.custom.filter((c) => c.key !== custom.key);
    await saveIndicatorSettings(admin, dropForm);
    const dropped = await getProvinceSettings(admin.unitId);
    expect(dropped.settings!.custom.find((c) => c.key === custom.key)?.dropped).toBe(true);
    expect(resolveCatalogue(dropped.settings, 'primary_secondary').subsets[0].fields.some((f) => f.key === custom.key)).toBe(false);
    const db = await getDb();
    const [row] = await db.select().from(teachers).where(eq(teachers.id, created.teacherId));
    expect(row.record.basic[custom.key]).toBe('6');
  });

  it('cannot drop a national core indicator, and only a province sysadmin may configure', async () => {
    const admin = await actorFor('450000.admin');
    const current = await getProvinceSettings(admin.unitId);
    const form = formFrom(current.version, current.settings ?? undefined);
    await expect(saveIndicatorSettings(admin, { ...form, excluded: ['basic.name'] })).rejects.toBeInstanceOf(ValidationError);
    await expect(saveIndicatorSettings(await actorFor('450100.admin'), form)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(saveIndicatorSettings(await actorFor('450000.manager'), form)).rejects.toBeInstanceOf(ForbiddenError);
    const db = await getDb();
    const rows = await db.select().from(indicatorSettings).where(eq(indicatorSettings.provinceUnitId, admin.unitId));
    expect(rows).toHaveLength(current.version);
    const { version } = await saveIndicatorSettings(admin, { ...form, excluded: ['basic.formerName'] });
    const resolved = resolveCatalogue((await getProvinceSettings(admin.unitId)).settings, 'kindergarten');
    expect(version).toBe(current.version + 1);
    expect(resolved.subsets[0].fields.some((f) => f.key === 'formerName')).toBe(false);
  });
});
