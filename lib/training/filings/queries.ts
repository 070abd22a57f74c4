import 'server-only';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { teachers, trainingFilings, units, type FilingState } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { inJurisdiction } from '@/lib/auth/scope';
import { availableActions } from '@/lib/workflow/chain';
import { filingChain, filingParties, type FilingAction } from '../chain';

export interface FilingRow {
  id: number;
  teacherId: number;
  teacherName: string;
  teacherIdMasked: string;
  schoolName: string;
  category: string;
  title: string;
  hours: number;
  startDate: string;
  endDate: string;
  description: string | null;
  attachmentName: string;
  state: FilingState;
  rejectionReason: string | null;
  credits: number | null;
  filedByName: string;
  filedAt: Date;
  actions: { action: FilingAction; label: string; requiresReason: boolean }[];
}

export const filingViews = ['waiting', 'all'] as const;
export type FilingView = (typeof filingViews)[number];

/** A teacher's own filings; staff those of their jurisdiction, or those waiting for their unit. */
export async function listFilings(actor: Actor, options: { view: FilingView; before?: number }): Promise<{ rows: FilingRow[]; hasMore: boolean }> {
  const db = await getDb();
  const scope =
    actor.role === 'teacher'
      ? sql`${trainingFilings.teacherId} = (select t.id from ${teachers} t where t.account_id = ${actor.accountId})`
      : can(actor, 'training.view')
        ? options.view === 'waiting'
          ? eq(trainingFilings.waitingUnitId, actor.unitId)
          : inJurisdiction(actor, trainingFilings.schoolPath)
        : sql`false`;
  const limit = 50;
  const rows = await db
    .select({
      id: trainingFilings.id,
      teacherId: trainingFilings.teacherId,
      teacherName: trainingFilings.teacherName,
      teacherIdMasked: trainingFilings.teacherIdMasked,
      schoolId: trainingFilings.schoolId,
      schoolName: units.name,
      authorityId: units.parentId,
      category: trainingFilings.category,
      title: trainingFilings.title,
      hours: trainingFilings.hours,
      startDate: trainingFilings.startDate,
      endDate: trainingFilings.endDate,
      description: trainingFilings.description,
      attachmentName: trainingFilings.attachmentName,
      state: trainingFilings.state,
      rejectionReason: trainingFilings.rejectionReason,
      credits: trainingFilings.credits,
      filedBy: trainingFilings.filedBy,
      filedByName: trainingFilings.filedByName,
      filedAt: trainingFilings.filedAt,
    })
    .from(trainingFilings)
    .innerJoin(units, eq(units.id, trainingFilings.schoolId))
    .where(and(scope, options.before ? lt(trainingFilings.id, options.before) : undefined))
    .orderBy(desc(trainingFilings.id))
    .limit(limit + 1);
  return {
    rows: rows.slice(0, limit).map(({ schoolId, authorityId, filedBy, ...row }) => ({ ...row, actions: availableActions(actor, filingChain, filingParties, { schoolId, authorityId, filedBy }, row.state) })),
    hasMore: rows.length > limit,
  };
}
