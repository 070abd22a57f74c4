import 'server-only';
import { and, eq } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
import { teachers, trainingFilings, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { mayAct } from '@/lib/auth/relations';
import { recordAudit } from '@/lib/audit/service';
import { checkAttachment, type FiledAttachment } from '@/lib/attachments';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { todayIso } from '@/lib/indicators/form-schema';
import { getScopedTeacher } from '@/lib/teachers/service';
import { recordCaseOpened, transition } from '@/lib/workflow/service';
import { RuleBook } from '../conversion/queries';
import { finishConfirmation, writeConfirmedTraining } from '../ledger/service';
import { creditsText, entryCredits, trainingCategories } from '../rules';
import { filingChain, filingParties, filingPartyLabels, filingWaitingUnitOf, type FilingState, type FilingSubject } from '../chain';
import { recordCategoryOf, type FileTrainingInput, type FilingDecisionInput } from '../schemas';

/**
 * A teacher files 校本研修 or 自主研修 hours with evidence (the school's manager may file for a teacher
 * of the school); the school head approves, then the competent authority, whose approval converts
 * the hours by the province's rule and writes them into the record.
 */
export async function fileTraining(actor: Actor, input: FileTrainingInput, attachment: FiledAttachment | null): Promise<{ filingId: number }> {
  assertCan(actor, 'training.file');
  if (!attachment || attachment.bytes.byteLength === 0) throw new ValidationError('请上传证明材料', { attachment: ['请上传证明材料（研修记录、证书或照片，PDF、JPG 或 PNG）'] });
  const { contentType } = checkAttachment(attachment, ['pdf', 'jpeg', 'png']);
  if (input.endDate > todayIso()) throw new ValidationError('研修结束后才能申报', { endDate: ['结束日期不能晚于今天'] });
  const db = await getDb();
  return db.transaction(async (tx) => {
    const teacherId = actor.role === 'teacher' ? (await tx.select({ id: teachers.id }).from(teachers).where(eq(teachers.accountId, actor.accountId)))[0]?.id : input.teacherId;
    if (!teacherId) throw new ValidationError('请选择教师', { teacherId: ['请选择教师'] });
    const teacher = await getScopedTeacher(tx, actor, teacherId);
    if (teacher.unitId !== actor.unitId) throw new ForbiddenError('只能为本校教师申报');
    const [core] = await tx.select({ name: teachers.name, masked: teachers.idNumberMasked, status: teachers.personnelStatus }).from(teachers).where(eq(teachers.id, teacher.id));
    if (core.status?.startsWith('3')) throw new ConflictError('该教师已离开教师岗位，不能申报');
    const subject: FilingSubject = { schoolId: teacher.unitId, authorityId: teacher.unitParentId, filedBy: actor.accountId };
    const [created] = await tx
      .insert(trainingFilings)
      .values({
        teacherId: teacher.id,
        schoolId: teacher.unitId,
        schoolPath: teacher.unitPath,
        teacherName: core.name,
        teacherIdMasked: core.masked ?? '',
        category: input.category,
        title: input.title,
        hours: input.hours,
        startDate: input.startDate,
        endDate: input.endDate,
        description: input.description || null,
        attachmentName: attachment.name.slice(0, 200),
        attachmentType: contentType,
        attachment: Buffer.from(attachment.bytes),
        state: 'pending_school',
        waitingUnitId: filingWaitingUnitOf(subject, 'pending_school'),
        filedBy: actor.accountId,
        filedByName: actor.displayName,
      })
      .returning({ id: trainingFilings.id });
    await recordCaseOpened(tx, actor, 'training.filing', created.id, 'pending_school', null);
    await recordAudit(tx, actor, { action: 'training.filing.file', unitPath: teacher.unitPath, targetType: 'training_filing', targetId: created.id, detail: { teacher: core.name, category: input.category, hours: input.hours } });
    return { filingId: created.id };
  });
}

interface LoadedFiling extends FilingSubject {
  id: number;
  state: FilingState;
  teacherId: number;
  schoolPath: string;
  category: '04' | '05';
  title: string;
  hours: number;
  endDate: string;
  schoolName: string;
}

async function loadFiling(tx: Executor, filingId: number): Promise<LoadedFiling> {
  const [row] = await tx
    .select({
      id: trainingFilings.id,
      state: trainingFilings.state,
      teacherId: trainingFilings.teacherId,
      schoolId: trainingFilings.schoolId,
      schoolPath: trainingFilings.schoolPath,
      authorityId: units.parentId,
      schoolName: units.name,
      filedBy: trainingFilings.filedBy,
      category: trainingFilings.category,
      title: trainingFilings.title,
      hours: trainingFilings.hours,
      endDate: trainingFilings.endDate,
    })
    .from(trainingFilings)
    .innerJoin(units, eq(units.id, trainingFilings.schoolId))
    .where(eq(trainingFilings.id, filingId))
    .for('update', { of: trainingFilings });
  if (!row) throw new NotFoundError('研修申报不存在');
  return { ...row, category: row.category as '04' | '05' };
}

export async function decideFiling(actor: Actor, input: FilingDecisionInput): Promise<{ state: FilingState; credits?: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const filing = await loadFiling(tx, input.id);
    const parties = (['schoolHead', 'authority', 'filer'] as const).map((party) => filingParties(filing, party));
    if (!parties.some((party) => mayAct(actor, party))) throw new NotFoundError('研修申报不存在或不在您的管辖范围内');
    // As in the collection flow, nobody approves what they filed themselves.
    if (input.decision === 'approve' && filing.state === 'pending_school' && actor.accountId === filing.filedBy) throw new ForbiddenError('不能审核本人提交的申报');
    let credits: number | undefined;
    const step = await transition(tx, actor, {
      flow: 'training.filing',
      chain: filingChain,
      parties: filingParties,
      partyLabels: filingPartyLabels,
      subject: filing,
      action: input.decision,
      reason: input.reason,
      advance: async (t, resolved) => {
        const moved = await t
          .update(trainingFilings)
          .set({ state: resolved.to, waitingUnitId: filingWaitingUnitOf(filing, resolved.to), rejectionReason: resolved.to === 'rejected' ? input.reason : null, closedAt: ['confirmed', 'rejected', 'withdrawn'].includes(resolved.to) ? new Date() : null })
          .where(and(eq(trainingFilings.id, filing.id), eq(trainingFilings.state, filing.state)))
          .returning({ id: trainingFilings.id });
        return moved.length === 1;
      },
      audit: { unitPath: filing.schoolPath, targetType: 'training_filing', targetId: filing.id, detail: { hours: filing.hours, category: filing.category } },
    });
    if (step.to === 'confirmed') credits = await confirmFiling(tx, actor, filing);
    return { state: step.to, credits };
  });
}

/** The authority's approval: the province's rule in force today converts the hours (校级); the record and ledger get them. */
async function confirmFiling(tx: Executor, actor: Actor, filing: LoadedFiling): Promise<number> {
  const [teacher] = await tx.select({ provinceUnitId: teachers.provinceUnitId }).from(teachers).where(eq(teachers.id, filing.teacherId));
  const book = await RuleBook.load(tx, [teacher.provinceUnitId]);
  const rule = book.inForce(teacher.provinceUnitId, todayIso());
  if (!rule) throw new ConflictError('没有适用的学时学分转化规则，请先由省级系统管理员设置');
  const credits = entryCredits(rule.rule, { id: filing.id, category: filing.category, level: '5', hours: filing.hours, endDate: filing.endDate }) ?? 0;
  const entryOf = await writeConfirmedTraining(tx, actor, [
    {
      teacherId: filing.teacherId,
      provinceUnitId: teacher.provinceUnitId,
      values: { year: filing.endDate.slice(0, 4), category: recordCategoryOf('5', filing.category), project: filing.title, institution: filing.schoolName, mode: '01', form: filing.category, hours: String(filing.hours), credits: creditsText(credits), endDate: filing.endDate },
      credit: { category: filing.category, level: '5', hours: filing.hours, credits, endDate: filing.endDate, forPrincipals: false, ruleId: rule.id, filingId: filing.id },
    },
  ]);
  await tx.update(trainingFilings).set({ credits, ruleId: rule.id, entryId: entryOf.get(filing.teacherId) }).where(eq(trainingFilings.id, filing.id));
  await finishConfirmation(tx, actor, [filing.teacherId], book);
  return credits;
}

/** The evidence, for the teacher, the school's staff and the authority above; audited. */
export async function readFilingAttachment(actor: Actor, filingId: number): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  const db = await getDb();
  const [row] = await db.select({ teacherId: trainingFilings.teacherId, schoolPath: trainingFilings.schoolPath, name: trainingFilings.attachmentName, type: trainingFilings.attachmentType, content: trainingFilings.attachment }).from(trainingFilings).where(eq(trainingFilings.id, filingId));
  if (!row) throw new NotFoundError('研修申报不存在');
  await getScopedTeacher(db, actor, row.teacherId);
  await recordAudit(db, actor, { action: 'training.filing.attachment', unitPath: row.schoolPath, targetType: 'training_filing', targetId: filingId });
  return { fileName: row.name, contentType: row.type, content: row.content };
}

export const filingCategoryNames = { '04': trainingCategories['04'], '05': trainingCategories['05'] } as const;
