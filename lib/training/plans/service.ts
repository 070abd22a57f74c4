import 'server-only';
import ExcelJS from 'exceljs';
import { getDb } from '@/lib/db';
import { trainingPlans } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { recordAudit } from '@/lib/audit/service';
import { ForbiddenError, ValidationError } from '@/lib/errors';
import { codeName } from '@/lib/indicators/code-tables';
import { neutralizeFormula, workbookBytes } from '@/lib/spreadsheet/write';
import { trainingCategories, trainingLevels } from '../rules';
import { getPlan } from './queries';

/** The authority publishes its plan of a year: units below then see it. Publishing again updates the date. */
export async function publishPlan(actor: Actor, input: { year: number }): Promise<void> {
  assertCan(actor, 'training.manage');
  if (actor.unitKind !== 'authority') throw new ForbiddenError('培训计划由教育行政部门发布');
  const plan = await getPlan(actor, { year: input.year });
  if (plan.projects.length === 0) throw new ValidationError('该年度还没有已登记的培训项目，不能发布');
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx
      .insert(trainingPlans)
      .values({ ownerUnitId: actor.unitId, year: input.year, publishedBy: actor.accountId, publishedByName: actor.displayName })
      .onConflictDoUpdate({ target: [trainingPlans.ownerUnitId, trainingPlans.year], set: { publishedAt: new Date(), publishedBy: actor.accountId, publishedByName: actor.displayName } });
    await recordAudit(tx, actor, { action: 'training.plan.publish', targetType: 'unit', targetId: actor.unitId, detail: { year: input.year, projects: plan.projects.length } });
  });
}

/** The plan as xlsx: its projects, then the totals by level and category; audited. */
export async function exportPlan(actor: Actor, options: { ownerUnitId?: number; year: number }): Promise<{ fileName: string; bytes: Buffer }> {
  const plan = await getPlan(actor, options);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('培训项目');
  sheet.addRow(['项目编号', '项目名称', '级别', '类别', '开始日期', '结束日期', '计划学时', '计划人数', '面向学段', '学校推荐']);
  for (const p of plan.projects) sheet.addRow([p.code, neutralizeFormula(p.name), trainingLevels[p.level], trainingCategories[p.category], p.startDate, p.endDate, p.plannedHours, p.capacity, p.stages.map((s) => codeName('teachingStage', s)).join('、') || '所有学段', p.nominationOpen ? '开放' : '']);
  const totals = workbook.addWorksheet('汇总');
  totals.addRow(['级别', '类别', '项目数', '计划人数', '计划人学时']);
  for (const t of plan.totals) totals.addRow([trainingLevels[t.level], trainingCategories[t.category], t.projects, t.places, t.personHours]);
  for (const s of [sheet, totals]) s.getRow(1).font = { bold: true };
  await recordAudit(await getDb(), actor, { action: 'training.plan.export', targetType: 'unit', targetId: plan.owner.id, detail: { year: plan.year } });
  return { fileName: `${plan.owner.name}${plan.year}年培训计划.xlsx`, bytes: await workbookBytes(workbook) };
}
