/**
 * 培训学分 at scale, for `npm run bench`: a teacher's ledger, a province's completion page, the results
 * import of a 5,000-participant project and its confirmation, each beside the raw SQL for the same answer.
 */
import ExcelJS from 'exceljs';
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { getConnection } from '@/lib/db/client';
import type { Actor } from '@/lib/auth/actor';
import { issueSubordinateCredentials } from '@/lib/accounts/service';
import { loadSessionAccount } from '@/lib/auth/queries';
import { accounts } from '@/lib/db/schema';
import { revealStoredIdNumber } from '@/lib/teachers/identity';
import { getCompletion } from '@/lib/training/completion/queries';
import { registerInstitution } from '@/lib/training/institutions/service';
import { getLedger } from '@/lib/training/ledger/queries';
import { enrolByList, registerProject } from '@/lib/training/projects/service';
import { importResults, reviewSubmission, submitResults } from '@/lib/training/results/service';
import { registerProjectSchema } from '@/lib/training/schemas';
import { RuleBook } from '@/lib/training/conversion/queries';
import { cycleOf } from '@/lib/training/rules';
import { todayIso } from '@/lib/indicators/form-schema';

type Compare = (label: string, page: (i: number) => Promise<unknown>, raw: ((i: number) => Promise<unknown>) | null) => Promise<void>;

export async function benchTraining(compare: Compare, province: Actor, county: Actor, options: { participants: number; project: boolean }) {
  const participants = options.participants;
  const { db } = await getConnection();
  const [{ n }] = await db.execute(sql`select count(*)::int as n from training_credits`).then((r) => r as unknown as { n: number }[]);
  if (n === 0) return console.log('| 培训学分 | no training entries loaded (npm run seed:scale loads them): skipped | | | | |');
  const sample = (await db.execute(sql`select teacher_id as id from training_credits tc join teachers t on t.id = tc.teacher_id where t.unit_path <@ ${county.unitPath}::ltree group by teacher_id order by teacher_id limit 40`).then((r) => r as unknown as { id: number }[])).map((row) => Number(row.id));
  await compare(`one teacher's ledger (of ${n.toLocaleString('en')} confirmed entries)`, (i) => getLedger(county, sample[i % sample.length]), async (i) => {
    await db.execute(sql`select tc.*, e.values from training_credits tc join teacher_entries e on e.id = tc.entry_id where tc.teacher_id = ${sample[i % sample.length]} order by tc.end_date desc`);
  });
  const year = new Date().getFullYear();
  const rule = (await RuleBook.load(db, [province.unitId])).inForce(province.unitId, todayIso())!;
  const cycle = cycleOf(rule.rule, year);
  await compare(`培训完成情况, province (浙江), per city, cycle ${cycle.startYear}–${cycle.endYear}`, () => getCompletion(province), async () => {
    await db.execute(sql`select subpath(t.unit_path, 2, 1), count(*), count(*) filter (where s.complete), count(*) filter (where not coalesce(s.complete, false) and s.cycle_end_year <= ${year})
      from teachers t left join training_standings s on s.teacher_id = t.id and s.cycle_start_year = ${cycle.startYear}
      where t.unit_path <@ ${province.unitPath}::ltree and coalesce(t.personnel_status, '') not like '3%' group by 1`);
  });

  if (!options.project) return;
  // A provincial project of `participants` teachers: enrolled by list, results imported by xlsx, confirmed.
  const stamp = Date.now().toString(36).toUpperCase();
  const { institutionId, username } = await registerInstitution(province, { code: `PXB${stamp}`.slice(0, 16), name: `规模测试培训机构${stamp}`, institutionType: '01', contactName: '测试', contactPhone: '0571-00000000' });
  await issueSubordinateCredentials((await loadSessionAccount((await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, '330000.admin')))[0].id, null))!.actor, { unitIds: [institutionId] });
  const institution = (await loadSessionAccount((await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.username, username)))[0].id, null))!.actor;
  const { projectId } = await registerProject(province, registerProjectSchema.parse({ code: `BENCH-${stamp}`, name: '规模测试省级项目', category: '01', year, startDate: `${year}-01-05`, endDate: `${year}-01-20`, plannedHours: 24, capacity: participants, institutionIds: [institutionId] }));
  const people = (await db.execute(sql`select id_number_enc as enc from teachers where unit_path <@ ${province.unitPath}::ltree and coalesce(personnel_status, '') not like '3%' order by id limit ${participants}`).then((r) => r as unknown as { enc: string }[])).map((row) => revealStoredIdNumber(row.enc));
  let t = performance.now();
  const enrolled = await enrolByList(province, { projectId, idNumbers: people.join('\n') });
  const enrolSeconds = (performance.now() - t) / 1000;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('考核结果');
  sheet.addRow(['身份证件号码', '实际学时', '考核结果', '成绩', '结业证书编号']);
  people.forEach((idNumber, i) => sheet.addRow([idNumber, i % 50 === 49 ? '6' : '24', i % 50 === 49 ? '不合格' : '合格', 80 + (i % 20), `ZS${i}`]));
  const file = { name: '考核结果.xlsx', bytes: new Uint8Array(await workbook.xlsx.writeBuffer()) };
  t = performance.now();
  const imported = await importResults(institution, projectId, file, true);
  const importSeconds = (performance.now() - t) / 1000;
  await submitResults(institution, { projectId });
  const [submission] = await db.execute(sql`select id from training_submissions where project_id = ${projectId}`).then((r) => r as unknown as { id: number }[]);
  t = performance.now();
  const confirmed = await reviewSubmission(province, { id: submission.id, action: 'confirm', participantIds: [], reason: '' });
  const confirmSeconds = (performance.now() - t) / 1000;
  // The raw SQL for the same writes (entries and ledger rows for the passed), rolled back.
  t = performance.now();
  await db
    .transaction(async (tx) => {
      await tx.execute(sql`with e as (
          insert into teacher_entries (teacher_id, subset, values, origin)
          select p.teacher_id, 'training', jsonb_build_object('project', 'x', 'hours', p.attended_hours::text), 'training' from training_participants p where p.project_id = ${projectId} and p.passed
          returning id, teacher_id)
        insert into training_credits (entry_id, teacher_id, category, level, hours, credits, end_date, rule_id) select e.id, e.teacher_id, '01', '2', 24, 400, date '2026-01-20', 1 from e`);
      throw new RollbackSignal();
    })
    .catch((error) => {
      if (!(error instanceof RollbackSignal)) throw error;
    });
  const rawSeconds = (performance.now() - t) / 1000;
  console.log(`\n${participants}-participant provincial project: enrolment by list ${enrolSeconds.toFixed(2)} s (${JSON.stringify(enrolled.ok)}); results import (${imported.ok ? imported.rows : 'failed'} rows, xlsx) ${importSeconds.toFixed(2)} s = ${(participants / importSeconds).toFixed(0)} rows/s; confirmation of ${confirmed.confirmed} results (entries, ledger, versions, standings, audit) ${confirmSeconds.toFixed(2)} s; raw SQL for the entries and ledger rows alone ${rawSeconds.toFixed(2)} s`);
}

class RollbackSignal extends Error {}
