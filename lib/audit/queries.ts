import 'server-only';
import { and, asc, desc, eq, gt, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { getDb, type Executor } from '@/lib/db';
import { accounts, auditLog, rotations, teachers, trainingFilings, trainingProjects, trainingRules, trainingSubmissions, transfers, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { recordAudit } from '@/lib/audit/service';
import { isTeacherLoginName, loginNameFor } from '@/lib/teachers/identity';

export interface AuditListFilters {
  action?: string;
  username?: string;
  from?: Date;
  to?: Date;
  /** Every row about one object: a teacher, a unit, an account, … */
  target?: { type: string; id: string };
  beforeId?: number;
}

export interface AuditListItem {
  id: number;
  occurredAt: Date;
  actorUsername: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** What the target is, in words: a teacher's name and masked ID, a unit's name, an account's name. */
  targetLabel: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}

export const auditPageSize = 50;
export const maxAuditExportRows = 100_000;

function auditConditions(actor: Actor, filters: AuditListFilters): SQL[] {
  assertCan(actor, 'audit.read');
  // Sign-in failures for unknown names concern no unit: only the ministry sees them.
  const scope = actor.unitTier === 'central' ? or(inJurisdiction(actor, auditLog.unitPath), sql`${auditLog.unitPath} is null`)! : inJurisdiction(actor, auditLog.unitPath);
  const conditions: SQL[] = [scope];
  if (filters.action) conditions.push(filters.action.endsWith('.') ? ilike(auditLog.action, `${filters.action}%`) : eq(auditLog.action, filters.action));
  // A teacher is found by the ID number typed here, through the keyed hash their account is named by.
  if (filters.username) conditions.push(or(eq(auditLog.actorUsername, filters.username), eq(auditLog.actorUsername, loginNameFor(filters.username)))!);
  if (filters.from) conditions.push(sql`${auditLog.occurredAt} >= ${filters.from.toISOString()}`);
  if (filters.to) conditions.push(sql`${auditLog.occurredAt} < ${filters.to.toISOString()}`);
  if (filters.target) conditions.push(eq(auditLog.targetType, filters.target.type), eq(auditLog.targetId, filters.target.id));
  if (filters.beforeId) conditions.push(lt(auditLog.id, filters.beforeId));
  return conditions;
}

const auditColumns = {
  id: auditLog.id,
  occurredAt: auditLog.occurredAt,
  actorUsername: auditLog.actorUsername,
  action: auditLog.action,
  targetType: auditLog.targetType,
  targetId: auditLog.targetId,
  detail: auditLog.detail,
  ip: auditLog.ip,
};

/** A row is written at most this long after its time (the start of its transaction); far longer than any of ours. */
const transactionSlack = sql`interval '1 hour'`;

/**
 * The id range of a date range. The page reads newest first by id, so a range of days long ago was a backward scan of
 * every newer row (3 M of 10 M rows for a day five days back). Ids are taken in the order rows are written, and a row
 * is written within the slack of its time, so: every row from `from` on comes after the last row stamped before
 * `from` less the slack, and every row before `to` comes before the first row stamped from `to` plus the slack. Each
 * is one probe of the time index; the time conditions stay, so the rows are exactly those of the range.
 */
async function idWindowOf(db: Executor, filters: AuditListFilters): Promise<SQL[]> {
  const window: SQL[] = [];
  if (filters.from) {
    const [before] = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(sql`${auditLog.occurredAt} < ${filters.from.toISOString()}::timestamptz - ${transactionSlack}`)
      .orderBy(desc(auditLog.occurredAt))
      .limit(1);
    if (before) window.push(gt(auditLog.id, before.id));
  }
  if (filters.to) {
    const [after] = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(sql`${auditLog.occurredAt} >= ${filters.to.toISOString()}::timestamptz + ${transactionSlack}`)
      .orderBy(asc(auditLog.occurredAt))
      .limit(1);
    if (after) window.push(lt(auditLog.id, after.id));
  }
  return window;
}

async function selectAudit(db: Executor, actor: Actor, filters: AuditListFilters, limit: number) {
  return db
    .select(auditColumns)
    .from(auditLog)
    .where(and(...auditConditions(actor, filters), ...(await idWindowOf(db, filters))))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}

/** The audit log of the actor's jurisdiction, newest first, keyset-paginated by id. */
export async function listAuditLog(actor: Actor, filters: AuditListFilters): Promise<AuditListItem[]> {
  const db = await getDb();
  // One extra row tells the page whether there is a next one.
  return withTargetLabels(db, await selectAudit(db, actor, filters, auditPageSize + 1));
}

/** Every row of the filter, for archiving; the export itself is audited. */
export async function exportAuditLog(actor: Actor, filters: AuditListFilters): Promise<AuditListItem[]> {
  const db = await getDb();
  const rows = await selectAudit(db, actor, filters, maxAuditExportRows);
  await recordAudit(db, actor, { action: 'audit.export', detail: { rows: rows.length, filters: { ...filters, beforeId: undefined } } });
  return withTargetLabels(db, rows);
}

/** Names the targets with one query per kind (teachers, units, accounts), never one per row. */
async function withTargetLabels(db: Executor, rows: Omit<AuditListItem, 'targetLabel'>[]): Promise<AuditListItem[]> {
  const idsOf = (type: string) => [...new Set(rows.filter((r) => r.targetType === type && r.targetId && /^\d{1,9}$/.test(r.targetId)).map((r) => Number(r.targetId)))];
  const [teacherRows, unitRows, accountRows, transferRows, rotationRows, projectRows, submissionRows, filingRows, ruleRows] = await Promise.all([
    idsOf('teacher').length ? db.select({ id: teachers.id, name: teachers.name, idNumberMasked: teachers.idNumberMasked }).from(teachers).where(inArray(teachers.id, idsOf('teacher'))) : [],
    idsOf('unit').length ? db.select({ id: units.id, name: units.name, code: units.code }).from(units).where(inArray(units.id, idsOf('unit'))) : [],
    idsOf('account').length ? db.select({ id: accounts.id, username: accounts.username, role: accounts.role, displayName: accounts.displayName }).from(accounts).where(inArray(accounts.id, idsOf('account'))) : [],
    idsOf('transfer').length ? db.select({ id: transfers.id, name: transfers.teacherName, masked: transfers.teacherIdMasked }).from(transfers).where(inArray(transfers.id, idsOf('transfer'))) : [],
    idsOf('rotation').length ? db.select({ id: rotations.id, name: rotations.teacherName, masked: rotations.teacherIdMasked }).from(rotations).where(inArray(rotations.id, idsOf('rotation'))) : [],
    idsOf('training_project').length ? db.select({ id: trainingProjects.id, name: trainingProjects.name, code: trainingProjects.code }).from(trainingProjects).where(inArray(trainingProjects.id, idsOf('training_project'))) : [],
    idsOf('training_submission').length
      ? db.select({ id: trainingSubmissions.id, name: trainingProjects.name }).from(trainingSubmissions).innerJoin(trainingProjects, eq(trainingProjects.id, trainingSubmissions.projectId)).where(inArray(trainingSubmissions.id, idsOf('training_submission')))
      : [],
    idsOf('training_filing').length ? db.select({ id: trainingFilings.id, name: trainingFilings.teacherName, masked: trainingFilings.teacherIdMasked }).from(trainingFilings).where(inArray(trainingFilings.id, idsOf('training_filing'))) : [],
    idsOf('training_rule').length ? db.select({ id: trainingRules.id, version: trainingRules.version, unit: units.name }).from(trainingRules).innerJoin(units, eq(units.id, trainingRules.scopeUnitId)).where(inArray(trainingRules.id, idsOf('training_rule'))) : [],
  ]);
  const labels = new Map<string, string>();
  for (const t of teacherRows) labels.set(`teacher:${t.id}`, `${t.name}（${t.idNumberMasked ?? ''}）`);
  for (const u of unitRows) labels.set(`unit:${u.id}`, `${u.name}（${u.code}）`);
  // A teacher's login name is a keyed hash of the ID number: the teacher's name says more.
  for (const a of accountRows) labels.set(`account:${a.id}`, a.role === 'teacher' ? `教师 ${a.displayName}` : a.username);
  for (const t of transferRows) labels.set(`transfer:${t.id}`, `${t.name}（${t.masked}）`);
  for (const r of rotationRows) labels.set(`rotation:${r.id}`, `${r.name}（${r.masked}）`);
  for (const p of projectRows) labels.set(`training_project:${p.id}`, `${p.name}（${p.code}）`);
  for (const p of submissionRows) labels.set(`training_submission:${p.id}`, p.name);
  for (const f of filingRows) labels.set(`training_filing:${f.id}`, `${f.name}（${f.masked}）`);
  for (const r of ruleRows) labels.set(`training_rule:${r.id}`, `${r.unit} 第 ${r.version} 版`);
  const teacherLogins = [...new Set(rows.map((r) => r.actorUsername).filter((u): u is string => !!u && isTeacherLoginName(u)))];
  const teacherNames = new Map(
    teacherLogins.length ? (await db.select({ username: accounts.username, displayName: accounts.displayName }).from(accounts).where(inArray(accounts.username, teacherLogins))).map((a) => [a.username, `教师 ${a.displayName}`]) : [],
  );
  return rows.map((row) => ({
    ...row,
    actorUsername: row.actorUsername && teacherNames.has(row.actorUsername) ? teacherNames.get(row.actorUsername)! : row.actorUsername,
    targetLabel: row.targetType ? (labels.get(`${row.targetType}:${row.targetId}`) ?? null) : null,
  }));
}
