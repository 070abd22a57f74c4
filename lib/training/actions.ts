'use server';

import { revalidatePath } from 'next/cache';
import { after } from 'next/server';
import { logUnexpected } from '@/lib/log';
import { todayIso } from '@/lib/indicators/form-schema';
import { z } from 'zod';
import { defineAction } from '@/lib/action';
import { requireActor } from '@/lib/auth/session';
import { recordRefusal } from '@/lib/audit/service';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { invalidInput, toActionResult, type ActionResult } from '@/lib/result';
import { fileTrainingSchema, filingDecisionSchema, enrolByListSchema, linkInstitutionSchema, nominateSchema, projectDecisionSchema, registerInstitutionSchema, registerProjectSchema, reviewSubmissionSchema, saveResultsSchema, saveRuleSchema, submitResultsSchema, updateInstitutionSchema, withdrawParticipantSchema } from './schemas';
import { linkInstitution, registerInstitution, updateInstitution } from './institutions/service';
import { decideProject, enrolByFile, enrolByList, nominateTeachers, registerProject, withdrawParticipant, type EnrolmentOutcome } from './projects/service';
import { importResults, reviewSubmission, saveResults, submitResults, type ResultImportOutcome } from './results/service';
import { applyDueTrainingRules, saveTrainingRule } from './conversion/service';
import { decideFiling, fileTraining } from './filings/service';
import { publishPlan } from './plans/service';

function revalidateTraining(projectId?: number) {
  // The navigation's inbox count changes with every step.
  revalidatePath('/', 'layout');
  if (projectId) revalidatePath(`/training/projects/${projectId}`);
}

export const registerInstitutionAction = defineAction('training.institution.register', registerInstitutionSchema, registerInstitution, () => revalidatePath('/training/institutions'));
export const updateInstitutionAction = defineAction('training.institution.update', updateInstitutionSchema, updateInstitution, () => revalidatePath('/training/institutions'));
export const linkInstitutionAction = defineAction('training.institution.link', linkInstitutionSchema, linkInstitution, () => revalidatePath('/training/institutions'));
export const registerProjectAction = defineAction('training.project.register', registerProjectSchema, registerProject, () => revalidateTraining());
export const decideProjectAction = defineAction('training.project.decide', projectDecisionSchema, decideProject, (input) => revalidateTraining(input.id));
export const enrolByListAction = defineAction('training.enrol', enrolByListSchema, enrolByList, (input) => revalidateTraining(input.projectId));
export const nominateAction = defineAction('training.nominate', nominateSchema, nominateTeachers, (input) => revalidateTraining(input.projectId));
export const withdrawParticipantAction = defineAction('training.unenrol', withdrawParticipantSchema, withdrawParticipant, (input) => revalidateTraining(input.projectId));
export const saveResultsAction = defineAction('training.results.save', saveResultsSchema, saveResults, (input) => revalidateTraining(input.projectId));
export const submitResultsAction = defineAction('training.results.submit', submitResultsSchema, submitResults, (input) => revalidateTraining(input.projectId));
export const reviewSubmissionAction = defineAction('training.submission.review', reviewSubmissionSchema.extend({ projectId: z.coerce.number().int().positive() }), (actor, input) => reviewSubmission(actor, input), (input) => revalidateTraining(input.projectId));
export const saveRuleAction = defineAction('training.rule.save', saveRuleSchema, saveTrainingRule, (input) => {
  revalidatePath('/training/rules');
  // A version in force from today re-evaluates the stored standings once the answer is sent.
  if (input.rule.effectiveFrom <= todayIso()) after(() => applyDueTrainingRules().catch((error: unknown) => logUnexpected('training-rules-apply', error)));
});

const uploadSchema = z.object({
  projectId: z.coerce.number().int().positive(),
  file: z.instanceof(File, { message: '请选择要导入的文件' }).refine((f) => f.size > 0, '请选择要导入的文件'),
  apply: z.enum(['0', '1']).default('0'),
});

/** File uploads come as FormData; otherwise the same steps as defineAction. */
async function upload<T>(name: string, formData: FormData, run: (actor: Awaited<ReturnType<typeof requireActor>>, input: z.infer<typeof uploadSchema>, bytes: Uint8Array) => Promise<T>): Promise<ActionResult<T>> {
  const parsed = uploadSchema.safeParse({ projectId: formData.get('projectId'), file: formData.get('file'), apply: formData.get('apply') ?? undefined });
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  try {
    const result = await run(actor, parsed.data, new Uint8Array(await parsed.data.file.arrayBuffer()));
    revalidateTraining(parsed.data.projectId);
    return { ok: true, data: result };
  } catch (error) {
    if (error instanceof ForbiddenError || error instanceof NotFoundError) await recordRefusal(actor, name, error, { projectId: parsed.data.projectId });
    return toActionResult(error);
  }
}

export async function enrolByFileAction(formData: FormData): Promise<ActionResult<EnrolmentOutcome>> {
  return upload('training.enrol', formData, (actor, input, bytes) => enrolByFile(actor, input.projectId, { name: input.file.name, bytes }));
}

export async function importResultsAction(formData: FormData): Promise<ActionResult<ResultImportOutcome>> {
  return upload('training.results.import', formData, (actor, input, bytes) => importResults(actor, input.projectId, { name: input.file.name, bytes }, input.apply === '1'));
}

export const decideFilingAction = defineAction('training.filing.decide', filingDecisionSchema, decideFiling, () => {
  revalidatePath('/', 'layout');
  revalidatePath('/training/filings');
  revalidatePath('/me');
});

/** 申报校本研修或自主研修学时, with its evidence file. */
export async function fileTrainingAction(formData: FormData): Promise<ActionResult<{ filingId: number }>> {
  const parsed = fileTrainingSchema.safeParse(Object.fromEntries(['teacherId', 'category', 'title', 'hours', 'startDate', 'endDate', 'description'].map((key) => [key, formData.get(key) ?? undefined])));
  if (!parsed.success) return invalidInput(parsed.error);
  const actor = await requireActor();
  const file = formData.get('attachment');
  try {
    const attachment = file instanceof File && file.size > 0 ? { name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) } : null;
    const result = await fileTraining(actor, parsed.data, attachment);
    revalidatePath('/', 'layout');
    revalidatePath('/me');
    return { ok: true, data: result };
  } catch (error) {
    if (error instanceof ForbiddenError || error instanceof NotFoundError) await recordRefusal(actor, 'training.filing.file', error, parsed.data);
    return toActionResult(error);
  }
}

export const publishPlanAction = defineAction('training.plan.publish', z.object({ year: z.coerce.number().int().min(2000).max(2100) }), publishPlan, () => revalidatePath('/training/plan'));
