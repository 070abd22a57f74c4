import 'server-only';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { trainingPlans, trainingProjects, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';
import { NotFoundError } from '@/lib/errors';
import type { TrainingCategory, TrainingLevel } from '../rules';

export interface PlanProject {
  id: number;
  code: string;
  name: string;
  level: TrainingLevel;
  category: TrainingCategory;
  startDate: string;
  endDate: string;
  plannedHours: number;
  capacity: number;
  stages: string[];
  nominationOpen: boolean;
}

export interface PlanTotal {
  level: TrainingLevel;
  category: TrainingCategory;
  projects: number;
  places: number;
  /** Places times planned hours: the 人学时 of the plan. */
  personHours: number;
}

export interface TrainingPlan {
  owner: { id: number; name: string };
  year: number;
  published: { at: Date; byName: string } | null;
  projects: PlanProject[];
  totals: PlanTotal[];
  mayPublish: boolean;
}

/**
 * 培训计划: an authority's registered projects of a year with totals by level and category. The
 * owner sees it always; a unit below sees it once published, with only the projects for its stage.
 */
export async function getPlan(actor: Actor, options: { ownerUnitId?: number; year: number }): Promise<TrainingPlan> {
  if (!can(actor, 'training.view')) throw new NotFoundError();
  const db = await getDb();
  const ownerId = options.ownerUnitId ?? actor.unitId;
  const [owner] = await db.select({ id: units.id, name: units.name, path: units.path, kind: units.kind }).from(units).where(eq(units.id, ownerId));
  const own = ownerId === actor.unitId;
  const above = owner && actor.unitPath.startsWith(`${owner.path}.`);
  if (!owner || owner.kind !== 'authority' || (!own && !above)) throw new NotFoundError('培训计划不存在');
  const [published] = await db.select({ at: trainingPlans.publishedAt, byName: trainingPlans.publishedByName }).from(trainingPlans).where(and(eq(trainingPlans.ownerUnitId, ownerId), eq(trainingPlans.year, options.year)));
  if (!own && !published) throw new NotFoundError('该年度培训计划尚未发布');
  const projects = await db
    .select({
      id: trainingProjects.id,
      code: trainingProjects.code,
      name: trainingProjects.name,
      level: sql<TrainingLevel>`${trainingProjects.level}`,
      category: sql<TrainingCategory>`${trainingProjects.category}`,
      startDate: trainingProjects.startDate,
      endDate: trainingProjects.endDate,
      plannedHours: trainingProjects.plannedHours,
      capacity: trainingProjects.capacity,
      stages: trainingProjects.stages,
      nominationOpen: trainingProjects.nominationOpen,
    })
    .from(trainingProjects)
    .where(
      and(
        eq(trainingProjects.ownerUnitId, ownerId),
        eq(trainingProjects.year, options.year),
        eq(trainingProjects.state, 'registered'),
        // A school sees the projects for its own stage (or for every stage).
        !own && actor.unitKind === 'school' && actor.stage ? sql`(cardinality(${trainingProjects.stages}) = 0 or ${trainingProjects.stages} && ${`{${teachingStagesOf(actor.stage).join(',')}}`}::text[])` : undefined,
      ),
    )
    .orderBy(asc(trainingProjects.startDate), asc(trainingProjects.id));
  const totals = new Map<string, PlanTotal>();
  for (const p of projects) {
    const key = `${p.level}:${p.category}`;
    const total = totals.get(key) ?? totals.set(key, { level: p.level, category: p.category, projects: 0, places: 0, personHours: 0 }).get(key)!;
    total.projects += 1;
    total.places += p.capacity;
    total.personHours += p.capacity * p.plannedHours;
  }
  return {
    owner: { id: owner.id, name: owner.name },
    year: options.year,
    published: published ?? null,
    projects,
    totals: [...totals.values()].sort((a, b) => (a.level === b.level ? a.category.localeCompare(b.category) : a.level.localeCompare(b.level))),
    mayPublish: own && can(actor, 'training.manage') && actor.unitKind === 'authority',
  };
}

/** A school's stage (lib/reference/school-types) as the teachingStage codes projects target. */
function teachingStagesOf(stage: string): string[] {
  const codes: Record<string, string[]> = { kindergarten: ['01'], primary_secondary: ['02', '03', '04'], secondary_vocational: ['05'], special_education: ['06'], higher_education: ['07'] };
  return codes[stage] ?? [];
}

/** Plans published by the authorities above the actor, newest year first. */
export async function listPlansAbove(actor: Actor): Promise<{ ownerUnitId: number; ownerName: string; year: number; publishedAt: Date }[]> {
  if (!can(actor, 'training.view')) return [];
  return (await getDb())
    .select({ ownerUnitId: trainingPlans.ownerUnitId, ownerName: units.name, year: trainingPlans.year, publishedAt: trainingPlans.publishedAt })
    .from(trainingPlans)
    .innerJoin(units, eq(units.id, trainingPlans.ownerUnitId))
    .where(sql`${actor.unitPath}::ltree <@ ${units.path} and ${units.id} <> ${actor.unitId}`)
    .orderBy(desc(trainingPlans.year), asc(units.path))
    .limit(50);
}
