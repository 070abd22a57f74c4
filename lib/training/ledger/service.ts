import 'server-only';
import { eq, inArray, sql } from 'drizzle-orm';
import { intArray, type Executor } from '@/lib/db';
import { teacherEntries, teachers, trainingCredits, trainingFilings, trainingParticipants, trainingRules, trainingStandings, type StoredValue } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { createNextVersionsInBulk } from '@/lib/records/service';
import { todayIso } from '@/lib/indicators/form-schema';
import { RuleBook } from '../conversion/queries';
import { conversionRuleSchema, creditsText, cycleOf, entryCredits, evaluateCycle, progressPermille, trainingCategories, type TrainingCategory, type TrainingEntry, type TrainingLevel } from '../rules';

/**
 * Re-evaluates the current cycle of some teachers under the rule their province has in force today,
 * with each entry's confirmed credits as they are, and stores the standing the completion pages count.
 * Called in the transaction that confirmed credits or moved a teacher to another province.
 */
export async function refreshStandings(tx: Executor, teacherIds: number[], book?: RuleBook, today = todayIso()): Promise<void> {
  const year = Number(today.slice(0, 4));
  for (let start = 0; start < teacherIds.length; start += 2000) {
    const slice = teacherIds.slice(start, start + 2000);
    // Wait for a confirmation or a move of these teachers still open (they lock the records): its credits count.
    await tx.execute(sql`select 1 from teachers where id = any(${intArray(slice)}) order by id for share`);
    const people = await tx.select({ id: teachers.id, provinceUnitId: teachers.provinceUnitId }).from(teachers).where(inArray(teachers.id, slice));
    const rules = book ?? (await RuleBook.load(tx, people.map((p) => p.provinceUnitId)));
    const cycles = new Map(
      people.map((person) => {
        const rule = rules.inForce(person.provinceUnitId, today);
        return [person.id, rule ? { rule: rule.rule, ...cycleOf(rule.rule, year) } : null];
      }),
    );
    const earliest = Math.min(...[...cycles.values()].map((c) => c?.startYear ?? year));
    const credits = await tx
      .select({ teacherId: trainingCredits.teacherId, entryId: trainingCredits.entryId, category: trainingCredits.category, level: trainingCredits.level, hours: trainingCredits.hours, credits: trainingCredits.credits, endDate: trainingCredits.endDate, forPrincipals: trainingCredits.forPrincipals })
      .from(trainingCredits)
      .where(sql`${inArray(trainingCredits.teacherId, slice)} and ${trainingCredits.endDate} >= ${`${earliest}-01-01`}::date`);
    const byTeacher = new Map<number, TrainingEntry[]>();
    for (const row of credits) {
      const cycle = cycles.get(row.teacherId);
      const entryYear = Number(row.endDate.slice(0, 4));
      if (!cycle || entryYear < cycle.startYear || entryYear > cycle.endYear) continue;
      (byTeacher.get(row.teacherId) ?? byTeacher.set(row.teacherId, []).get(row.teacherId)!).push({ id: row.entryId, category: row.category as TrainingCategory, level: row.level as TrainingLevel, hours: row.hours, endDate: row.endDate, forPrincipals: row.forPrincipals, credits: row.credits });
    }
    const values = people.flatMap((person) => {
      const cycle = cycles.get(person.id);
      if (!cycle) return [];
      const standing = evaluateCycle(cycle.rule, byTeacher.get(person.id) ?? []);
      return [{ teacherId: person.id, cycleStartYear: cycle.startYear, cycleEndYear: cycle.endYear, hours: standing.hours, credits: standing.credits, requiredHours: standing.requiredHours, requiredCredits: standing.requiredCredits, progressPermille: progressPermille(standing), complete: standing.complete, updatedAt: new Date() }];
    });
    if (values.length === 0) continue;
    await tx
      .insert(trainingStandings)
      .values(values)
      .onConflictDoUpdate({
        target: [trainingStandings.teacherId, trainingStandings.cycleStartYear],
        set: {
          cycleEndYear: sql`excluded.cycle_end_year`,
          hours: sql`excluded.hours`,
          credits: sql`excluded.credits`,
          requiredHours: sql`excluded.required_hours`,
          requiredCredits: sql`excluded.required_credits`,
          progressPermille: sql`excluded.progress_permille`,
          complete: sql`excluded.complete`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  }
}

/**
 * A change request corrected (or removed) a confirmed training entry: the ledger follows. The
 * category (研修形式), end date and hours are taken from the corrected entry, and the credits converted
 * again by the rule version that confirmed it, never typed; a removed entry leaves the ledger and its
 * project result or filing without credits. The standing is evaluated again.
 */
export async function syncConfirmedTraining(tx: Executor, teacherId: number, entryId: number): Promise<void> {
  const [entry] = await tx.select({ values: teacherEntries.values }).from(teacherEntries).where(eq(teacherEntries.id, entryId));
  if (!entry) {
    // Its ledger row went with it (cascade); what confirmed it no longer holds credits.
    await tx.update(trainingParticipants).set({ entryId: null, credits: 0 }).where(eq(trainingParticipants.entryId, entryId));
    await tx.update(trainingFilings).set({ entryId: null, credits: 0 }).where(eq(trainingFilings.entryId, entryId));
    await refreshStandings(tx, [teacherId]);
    return;
  }
  const [credit] = await tx.select().from(trainingCredits).where(eq(trainingCredits.entryId, entryId));
  if (!credit) return;
  const text = (key: string) => (typeof entry.values[key] === 'string' ? (entry.values[key] as string) : '');
  const hours = Number(text('hours'));
  const category = (text('form') in trainingCategories ? text('form') : credit.category) as TrainingCategory;
  const endDate = /^\d{4}-\d{2}-\d{2}$/.test(text('endDate')) ? text('endDate') : credit.endDate;
  const [stored] = await tx.select({ rule: trainingRules.rule, effectiveFrom: trainingRules.effectiveFrom }).from(trainingRules).where(eq(trainingRules.id, credit.ruleId));
  const rule = conversionRuleSchema.parse({ ...stored.rule, effectiveFrom: stored.effectiveFrom });
  const finalHours = Number.isFinite(hours) && text('hours') !== '' ? hours : credit.hours;
  const credits = entryCredits(rule, { id: entryId, category, level: credit.level as TrainingLevel, hours: finalHours, endDate, forPrincipals: credit.forPrincipals }) ?? 0;
  await tx.update(trainingCredits).set({ hours: finalHours, credits, category, endDate }).where(eq(trainingCredits.entryId, entryId));
  await tx.update(trainingParticipants).set({ credits }).where(eq(trainingParticipants.entryId, entryId));
  await tx.update(trainingFilings).set({ credits }).where(eq(trainingFilings.entryId, entryId));
  if (text('credits') !== creditsText(credits)) await tx.update(teacherEntries).set({ values: sql`${teacherEntries.values} || jsonb_build_object('credits', ${creditsText(credits)}::text)` }).where(eq(teacherEntries.id, entryId));
  await refreshStandings(tx, [teacherId]);
}

export interface ConfirmedTraining {
  teacherId: number;
  provinceUnitId: number | null;
  /** The 培训研修 entry as the record shows it. */
  values: Record<string, StoredValue>;
  credit: { category: string; level: string; hours: number; credits: number; endDate: string; forPrincipals: boolean; ruleId: number; projectId?: number; filingId?: number };
}

/**
 * Writes confirmed training into the records, in bulk: each teacher's 培训研修 entry (origin training,
 * so that only a change request alters it), its field history and its ledger row. Answers the entry
 * of each teacher (one per teacher per call).
 */
export async function writeConfirmedTraining(tx: Executor, actor: Actor, items: ConfirmedTraining[]): Promise<Map<number, number>> {
  const entryOf = new Map<number, number>();
  for (let start = 0; start < items.length; start += 1000) {
    const slice = items.slice(start, start + 1000);
    const inserted = await tx
      .insert(teacherEntries)
      .values(slice.map((item) => ({ teacherId: item.teacherId, subset: 'training', values: item.values, origin: 'training' })))
      .returning({ id: teacherEntries.id, teacherId: teacherEntries.teacherId });
    for (const entry of inserted) entryOf.set(entry.teacherId, entry.id);
    // The field history of the new entries, a row per field, written by the database from the entries themselves.
    await tx.execute(sql`
      insert into teacher_field_changes (teacher_id, subset, entry_id, field, old_value, new_value, account_id, account_name, source)
      select e.teacher_id, e.subset, e.id, f.key, null, f.value, ${actor.accountId}::int, ${actor.displayName}::text, 'system'
      from teacher_entries e cross join lateral jsonb_each(e.values) f
      where e.id = any(${intArray(inserted.map((entry) => entry.id))})
      order by e.id, f.key`);
    await tx.insert(trainingCredits).values(slice.map((item) => ({ entryId: entryOf.get(item.teacherId)!, teacherId: item.teacherId, provinceUnitId: item.provinceUnitId, ...item.credit })));
  }
  return entryOf;
}

/** After credits were written: a version of kind training for every effective record, and the cycle standings. */
export async function finishConfirmation(tx: Executor, actor: Actor, teacherIds: number[], book?: RuleBook): Promise<void> {
  await createNextVersionsInBulk(tx, teacherIds, 'training', actor);
  await refreshStandings(tx, teacherIds, book);
}
