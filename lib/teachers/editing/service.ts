import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
import { teacherEntries, teacherFieldChanges, teacherPhotos, teachers, type StoredValue } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { basicSubsetKey } from '@/lib/indicators/catalogue';
import { buildSubsetSchema, compactValues, type RecordValues } from '@/lib/indicators/form-schema';
import { type EffectiveCatalogue, type EffectiveSubset } from '@/lib/indicators/settings';
import { birthDateFromId } from '@/lib/teachers/derive';
import { maxPhotoBytes, type DeleteEntryInput, type SaveEntryInput, type SaveSectionInput, type TeacherIdInput } from '@/lib/teachers/schemas';
import type { ScopedTeacher } from '@/lib/teachers/schemas';
import { type ChangeSource, extractedColumns, getScopedTeacher, catalogueFor, derivedEducation, refreshTitleLevels, refreshCompleteness } from '@/lib/teachers/service';
import { editableFields } from '@/lib/teachers/record-rules';

function subsetOf(catalogue: EffectiveCatalogue, key: string): EffectiveSubset {
  const subset = catalogue.subsets.find((s) => s.key === key);
  if (!subset) throw new NotFoundError('信息集不存在或未被本省选用');
  return subset;
}

function validate(subset: EffectiveSubset, values: RecordValues, enforceRequired: boolean): RecordValues {
  const parsed = buildSubsetSchema(subset, { enforceRequired }).safeParse(values);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.join('.')] ??= []).push(issue.message);
    throw new ValidationError('请检查标出的内容', fieldErrors);
  }
  return compactValues(parsed.data);
}

/**
 * Writable fields take their validated value, or are cleared when left empty; every other stored value
 * stays as it was, including values of dropped indicators that the schema no longer knows.
 */
function mergeWritable(before: Record<string, StoredValue>, validated: RecordValues, editable: Set<string>): Record<string, StoredValue> {
  const after: Record<string, StoredValue> = {};
  for (const [key, value] of Object.entries(before)) if (!editable.has(key)) after[key] = value;
  for (const key of editable) if (key in validated) after[key] = validated[key];
  return after;
}

function changedFields(before: Record<string, StoredValue>, after: Record<string, StoredValue>): { field: string; oldValue: StoredValue | null; newValue: StoredValue | null }[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes = [];
  for (const key of keys) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) changes.push({ field: key, oldValue: before[key] ?? null, newValue: after[key] ?? null });
  }
  return changes;
}

function sourceOf(actor: Actor): ChangeSource {
  return actor.role === 'teacher' ? 'self' : 'form';
}

/**
 * Saves a single-entry subset (基本信息, 联系方式). Fields the actor may not write keep their stored
 * value; the merged record is validated whole, so cross-field rules see the real neighbours.
 */
export async function saveSection(actor: Actor, input: SaveSectionInput): Promise<{ revision: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    const catalogue = await catalogueFor(teacher, tx);
    const subset = subsetOf(catalogue, input.subset);
    if (subset.multi) throw new ValidationError('该信息集为多条记录，请逐条维护');
    const editable = editableFields(actor, teacher, subset, catalogue);
    if (editable.size === 0) throw new ForbiddenError(teacher.recordState === 'draft' ? '您不能修改该信息集' : '记录已报送或已生效，不能直接修改');
    const before = teacher.record[subset.key] ?? {};
    const merged: RecordValues = { ...before };
    // A field left out of the input is unchanged; an empty one is cleared.
    for (const key of editable) if (key in input.values) merged[key] = input.values[key];
    if (subset.key === basicSubsetKey) merged.birthDate = birthDateFromId(before.idType, before.idNumber) ?? before.birthDate ?? '';
    const after = mergeWritable(before, validate(subset, merged, false), editable);
    const changes = changedFields(before, after);
    if (changes.length === 0) return { revision: teacher.revision };
    const record = { ...teacher.record, [subset.key]: after };
    const [updated] = await tx
      .update(teachers)
      .set({ record, ...(subset.key === basicSubsetKey ? extractedColumns(after) : {}), revision: sql`${teachers.revision} + 1`, updatedAt: new Date() })
      .where(and(eq(teachers.id, teacher.id), eq(teachers.revision, input.revision), eq(teachers.recordState, 'draft')))
      .returning({ revision: teachers.revision });
    if (!updated) throw new ConflictError('该记录已被他人修改或已报送，请刷新页面后重试');
    await writeChanges(tx, actor, teacher.id, subset.key, null, changes);
    await refreshCompleteness(tx, [teacher.id]);
    return { revision: updated.revision };
  });
}

async function writeChanges(tx: Executor, actor: Actor, teacherId: number, subset: string, entryId: number | null, changes: ReturnType<typeof changedFields>): Promise<void> {
  if (changes.length === 0) return;
  await tx.insert(teacherFieldChanges).values(
    changes.map((change) => ({ teacherId, subset, entryId, field: change.field, oldValue: change.oldValue, newValue: change.newValue, accountId: actor.accountId, accountName: actor.displayName, source: sourceOf(actor) })),
  );
}

/** Marks the record as edited (it must still be a draft); a race with a submit loses here. */
async function touchDraft(tx: Executor, teacherId: number, extra: Partial<typeof teachers.$inferInsert> = {}): Promise<void> {
  const [row] = await tx
    .update(teachers)
    .set({ ...extra, revision: sql`${teachers.revision} + 1`, updatedAt: new Date() })
    .where(and(eq(teachers.id, teacherId), eq(teachers.recordState, 'draft')))
    .returning({ id: teachers.id });
  if (!row) throw new ConflictError('记录已报送或已生效，不能直接修改');
}

function refreshDerivedEducation(tx: Executor, teacher: ScopedTeacher): Promise<Partial<typeof teachers.$inferInsert>> {
  return derivedEducation(tx, teacher.id, teacher.record);
}

/** Adds or edits one entry of a list subset (学习经历, 培训研修 …). */
export async function saveEntry(actor: Actor, input: SaveEntryInput): Promise<{ entryId: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    const catalogue = await catalogueFor(teacher, tx);
    const subset = subsetOf(catalogue, input.subset);
    if (!subset.multi) throw new ValidationError('该信息集只有一条记录');
    const editable = editableFields(actor, teacher, subset, catalogue);
    if (editable.size === 0) throw new ForbiddenError(subset.schoolOnly && actor.role === 'teacher' ? `“${subset.label}”由学校或教育行政部门填报` : '您不能修改该信息集');
    let before: Record<string, StoredValue> = {};
    if (input.entryId) {
      const [entry] = await tx
        .select({ values: teacherEntries.values, origin: teacherEntries.origin })
        .from(teacherEntries)
        .where(and(eq(teacherEntries.id, input.entryId), eq(teacherEntries.teacherId, teacher.id), eq(teacherEntries.subset, subset.key)));
      if (!entry) throw new NotFoundError('该条记录不存在，可能已被删除');
      if (entry.origin) throw new ConflictError(confirmedEntryMessage);
      before = entry.values;
    }
    const merged: RecordValues = { ...before };
    // A field left out of the input is unchanged; an empty one is cleared.
    for (const key of editable) if (key in input.values) merged[key] = input.values[key];
    const after = mergeWritable(before, validate(subset, merged, true), editable);
    let entryId = input.entryId;
    if (entryId) {
      await tx.update(teacherEntries).set({ values: after, updatedAt: new Date() }).where(eq(teacherEntries.id, entryId));
    } else {
      const [row] = await tx.insert(teacherEntries).values({ teacherId: teacher.id, subset: subset.key, values: after }).returning({ id: teacherEntries.id });
      entryId = row.id;
    }
    await writeChanges(tx, actor, teacher.id, subset.key, entryId, changedFields(before, after));
    await touchDraft(tx, teacher.id, subset.key === 'education' ? await refreshDerivedEducation(tx, teacher) : {});
    if (subset.key === 'title') await refreshTitleLevels(tx, [teacher.id]);
    await refreshCompleteness(tx, [teacher.id]);
    return { entryId };
  });
}

/** Entries the system wrote from confirmed credits (origin set) change only through a change request. */
const confirmedEntryMessage = '该条培训记录由教育行政部门确认学分后写入，不能直接修改或删除；如有错误请提交变更申请';

export async function deleteEntry(actor: Actor, input: DeleteEntryInput): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    const catalogue = await catalogueFor(teacher, tx);
    const [entry] = await tx
      .select({ subset: teacherEntries.subset, values: teacherEntries.values, origin: teacherEntries.origin })
      .from(teacherEntries)
      .where(and(eq(teacherEntries.id, input.entryId), eq(teacherEntries.teacherId, teacher.id)));
    if (!entry) throw new NotFoundError('该条记录不存在，可能已被删除');
    if (entry.origin) throw new ConflictError(confirmedEntryMessage);
    const subset = subsetOf(catalogue, entry.subset);
    const editable = editableFields(actor, teacher, subset, catalogue);
    // Deleting takes the right to write every field the entry holds.
    if (editable.size === 0 || Object.keys(entry.values).some((key) => !editable.has(key))) throw new ForbiddenError('您不能删除该条记录');
    await tx.delete(teacherEntries).where(eq(teacherEntries.id, input.entryId));
    await writeChanges(tx, actor, teacher.id, subset.key, input.entryId, changedFields(entry.values, {}));
    await touchDraft(tx, teacher.id, subset.key === 'education' ? await refreshDerivedEducation(tx, teacher) : {});
    if (subset.key === 'title') await refreshTitleLevels(tx, [teacher.id]);
    await refreshCompleteness(tx, [teacher.id]);
  });
}

const jpegMagic = [0xff, 0xd8, 0xff];

/** Seed photo rule: a JPEG of at most 60 KB, kept in the database (never under public/). */
export async function savePhoto(actor: Actor, input: TeacherIdInput & { bytes: Uint8Array; fileName: string }): Promise<void> {
  if (input.bytes.byteLength === 0) throw new ValidationError('请选择照片文件', { photo: ['请选择照片文件'] });
  if (input.bytes.byteLength > maxPhotoBytes) throw new ValidationError('照片不能超过 60 KB', { photo: [`照片为 ${Math.ceil(input.bytes.byteLength / 1024)} KB，不能超过 60 KB`] });
  if (!jpegMagic.every((byte, i) => input.bytes[i] === byte)) throw new ValidationError('照片须为 JPG 格式', { photo: ['照片须为 JPG 格式'] });
  const db = await getDb();
  await db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    const catalogue = await catalogueFor(teacher, tx);
    const basic = subsetOf(catalogue, basicSubsetKey);
    const photoField = basic.fields.find((field) => field.type === 'photo');
    if (!photoField) throw new ValidationError('本省未选用照片指标');
    const allowed = teacher.recordState === 'draft' && (actor.role === 'teacher' ? catalogue.selfFillable.includes(photoField.id) : can(actor, 'teacher.edit'));
    if (!allowed) throw new ForbiddenError('您不能修改该教师的照片');
    const content = Buffer.from(input.bytes);
    await tx
      .insert(teacherPhotos)
      .values({ teacherId: teacher.id, content, byteSize: content.byteLength, updatedBy: actor.accountId })
      .onConflictDoUpdate({ target: teacherPhotos.teacherId, set: { content, byteSize: content.byteLength, updatedBy: actor.accountId, updatedAt: new Date() } });
    await writeChanges(tx, actor, teacher.id, basicSubsetKey, null, [{ field: 'photo', oldValue: null, newValue: `${content.byteLength} bytes` }]);
    await touchDraft(tx, teacher.id);
  });
}
