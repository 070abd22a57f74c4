import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { trainingInstitutionAuthorities, trainingInstitutions, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { recordAudit } from '@/lib/audit/service';
import { ConflictError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { insertUnitsWithDefaultAccounts } from '@/lib/units/service';
import type { RegisterInstitutionInput, UpdateInstitutionInput } from '../schemas';

function assertAuthorityManager(actor: Actor): void {
  assertCan(actor, 'training.manage');
  if (actor.unitKind !== 'authority') throw new ForbiddenError('培训机构由教育行政部门登记');
}

/**
 * An authority registers a training institution: a unit of kind institution under it, with its
 * submitting account (培训结果报送员), whose password the authority's sysadmin issues like any
 * subordinate unit's (下级账号分发).
 */
export async function registerInstitution(actor: Actor, input: RegisterInstitutionInput): Promise<{ institutionId: number; username: string }> {
  assertAuthorityManager(actor);
  const db = await getDb();
  return db.transaction(async (tx) => {
    // Two registrations of one code at the same moment: the second waits, then finds it taken.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`unit-code:${input.code}`}))`);
    const [taken] = await tx.select({ id: units.id }).from(units).where(eq(units.code, input.code));
    if (taken) throw new ConflictError('机构代码已被使用', { code: ['该代码已被其他单位或机构使用；已在系统中的机构请用“添加已有机构”'] });
    const [created] = await insertUnitsWithDefaultAccounts(tx, [{ code: input.code, name: input.name, kind: 'institution', tier: 'school', parentId: actor.unitId, parentPath: actor.unitPath }]);
    await tx.insert(trainingInstitutions).values({ unitId: created.id, institutionType: input.institutionType, contactName: input.contactName, contactPhone: input.contactPhone });
    await tx.insert(trainingInstitutionAuthorities).values({ institutionId: created.id, authorityId: actor.unitId });
    await recordAudit(tx, actor, { action: 'training.institution.register', unitPath: created.path, targetType: 'unit', targetId: created.id, detail: { code: input.code, name: input.name } });
    return { institutionId: created.id, username: `${input.code}.submit` };
  });
}

/** Only the registering authority changes an institution's details or closes it. */
export async function updateInstitution(actor: Actor, input: UpdateInstitutionInput): Promise<void> {
  assertAuthorityManager(actor);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [unit] = await tx.select({ id: units.id, path: units.path, parentId: units.parentId }).from(units).where(and(eq(units.id, input.id), eq(units.kind, 'institution')));
    const [linked] = unit ? await tx.select({ id: trainingInstitutionAuthorities.institutionId }).from(trainingInstitutionAuthorities).where(and(eq(trainingInstitutionAuthorities.institutionId, unit.id), eq(trainingInstitutionAuthorities.authorityId, actor.unitId))) : [];
    if (!unit || !linked) throw new NotFoundError('培训机构不存在');
    if (unit.parentId !== actor.unitId) throw new ForbiddenError('只有登记该机构的教育行政部门可以修改其信息');
    await tx.update(units).set({ name: input.name, status: input.status, updatedAt: new Date() }).where(eq(units.id, unit.id));
    await tx.update(trainingInstitutions).set({ institutionType: input.institutionType, contactName: input.contactName, contactPhone: input.contactPhone, updatedAt: new Date() }).where(eq(trainingInstitutions.unitId, unit.id));
    await recordAudit(tx, actor, { action: 'training.institution.update', unitPath: unit.path, targetType: 'unit', targetId: unit.id, detail: { name: input.name, status: input.status } });
  });
}

/** One institution may serve several authorities: another authority adds it to its list by its code. */
export async function linkInstitution(actor: Actor, input: { code: string }): Promise<{ institutionId: number }> {
  assertAuthorityManager(actor);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [unit] = await tx.select({ id: units.id, path: units.path, name: units.name }).from(units).where(and(eq(units.code, input.code), eq(units.kind, 'institution'), eq(units.status, 'active')));
    if (!unit) throw new NotFoundError(`没有代码为“${input.code}”的在用培训机构`);
    const [added] = await tx.insert(trainingInstitutionAuthorities).values({ institutionId: unit.id, authorityId: actor.unitId }).onConflictDoNothing().returning({ id: trainingInstitutionAuthorities.institutionId });
    if (!added) throw new ConflictError(`“${unit.name}”已在本单位的培训机构名单中`);
    await recordAudit(tx, actor, { action: 'training.institution.link', unitPath: unit.path, targetType: 'unit', targetId: unit.id, detail: { code: input.code } });
    return { institutionId: unit.id };
  });
}
