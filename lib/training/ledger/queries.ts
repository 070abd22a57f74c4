import 'server-only';
import { desc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { teacherEntries, teachers, trainingCredits, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { getScopedTeacher } from '@/lib/teachers/service';
import { todayIso } from '@/lib/indicators/form-schema';
import { RuleBook } from '../conversion/queries';
import { cycleOf, evaluateCycle, progressPermille, type CycleStanding, type TrainingCategory, type TrainingLevel } from '../rules';

export interface LedgerEntry {
  entryId: number;
  project: string;
  institution: string;
  category: TrainingCategory;
  level: TrainingLevel;
  hours: number;
  credits: number;
  /** Counted after the rule's caps, in this cycle; null outside it. */
  counted: number | null;
  endDate: string;
  certificateNo: string | null;
  /** Whose rule computed it, and which version. */
  ruleScopeName: string;
  ruleVersion: number;
}

export interface Ledger {
  teacherId: number;
  cycle: { startYear: number; endYear: number };
  ruleScopeName: string;
  ruleVersion: number;
  standing: CycleStanding;
  progressPermille: number;
  entries: LedgerEntry[];
}

/**
 * A teacher's credit ledger: every confirmed entry, and the current cycle's standing under the rule
 * their province has in force today, each entry counted with the credits it was confirmed with.
 */
export async function getLedger(actor: Actor, teacherId: number): Promise<Ledger | null> {
  const db = await getDb();
  const teacher = await getScopedTeacher(db, actor, teacherId);
  const rows = await db
    .select({
      entryId: trainingCredits.entryId,
      project: sql<string>`coalesce(${teacherEntries.values}->>'project', '')`,
      institution: sql<string>`coalesce(${teacherEntries.values}->>'institution', '')`,
      certificateNo: sql<string | null>`${teacherEntries.values}->>'certificateNo'`,
      category: sql<TrainingCategory>`${trainingCredits.category}`,
      level: sql<TrainingLevel>`${trainingCredits.level}`,
      hours: trainingCredits.hours,
      credits: trainingCredits.credits,
      endDate: trainingCredits.endDate,
      forPrincipals: trainingCredits.forPrincipals,
      ruleId: trainingCredits.ruleId,
      ruleVersion: sql<number>`(select r.version from training_rules r where r.id = ${trainingCredits.ruleId})`,
      ruleScopeName: sql<string>`(select u.name from training_rules r join ${units} u on u.id = r.scope_unit_id where r.id = ${trainingCredits.ruleId})`,
    })
    .from(trainingCredits)
    .innerJoin(teacherEntries, eq(teacherEntries.id, trainingCredits.entryId))
    .where(eq(trainingCredits.teacherId, teacher.id))
    .orderBy(desc(trainingCredits.endDate), desc(trainingCredits.entryId));
  const book = await RuleBook.load(db, [teacher.provinceUnitId]);
  const today = todayIso();
  const rule = book.inForce(teacher.provinceUnitId, today);
  if (!rule) return null;
  const cycle = cycleOf(rule.rule, Number(today.slice(0, 4)));
  const inCycle = rows.filter((row) => Number(row.endDate.slice(0, 4)) >= cycle.startYear && Number(row.endDate.slice(0, 4)) <= cycle.endYear);
  const standing = evaluateCycle(
    rule.rule,
    inCycle.map((row) => ({ id: row.entryId, category: row.category, level: row.level, hours: row.hours, endDate: row.endDate, forPrincipals: row.forPrincipals, credits: row.credits })),
  );
  const counted = new Map(standing.entries.map((e) => [e.id, e.counted]));
  const [scope] = await db.select({ name: units.name }).from(units).where(eq(units.id, rule.scopeUnitId));
  return {
    teacherId: teacher.id,
    cycle,
    ruleScopeName: scope?.name ?? '',
    ruleVersion: rule.version,
    standing,
    progressPermille: progressPermille(standing),
    entries: rows.map(({ forPrincipals: _f, ruleId: _r, ...row }) => ({ ...row, counted: counted.get(row.entryId) ?? null })),
  };
}

/** The signed-in teacher's own ledger. */
export async function getOwnLedger(actor: Actor): Promise<Ledger | null> {
  if (actor.role !== 'teacher') return null;
  const [own] = await (await getDb()).select({ id: teachers.id }).from(teachers).where(eq(teachers.accountId, actor.accountId));
  return own ? getLedger(actor, own.id) : null;
}
