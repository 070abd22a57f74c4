import 'server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import { accounts, trainingInstitutionAuthorities, trainingInstitutions, units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/policy';

export interface InstitutionRow {
  id: number;
  code: string;
  name: string;
  status: 'active' | 'closed';
  institutionType: string;
  contactName: string;
  contactPhone: string;
  registeredByName: string;
  /** Registered by the actor's unit (it edits the details; its sysadmin issues the password). */
  ownedByActor: boolean;
  accountUsername: string | null;
  passwordIssued: boolean;
}

const registrar = sql<string>`(select p.name from ${units} p where p.id = ${units.parentId})`;

/** The institutions the actor's authority uses: those it registered and those it added. */
export async function listInstitutions(actor: Actor): Promise<InstitutionRow[]> {
  if (!can(actor, 'training.view') || actor.unitKind !== 'authority') return [];
  const db = await getDb();
  const rows = await db
    .select({
      id: units.id,
      code: units.code,
      name: units.name,
      status: units.status,
      parentId: units.parentId,
      institutionType: trainingInstitutions.institutionType,
      contactName: trainingInstitutions.contactName,
      contactPhone: trainingInstitutions.contactPhone,
      registeredByName: registrar,
      accountUsername: accounts.username,
      passwordIssued: sql<boolean>`${accounts.passwordHash} is not null`,
    })
    .from(trainingInstitutionAuthorities)
    .innerJoin(units, eq(units.id, trainingInstitutionAuthorities.institutionId))
    .innerJoin(trainingInstitutions, eq(trainingInstitutions.unitId, units.id))
    .leftJoin(accounts, and(eq(accounts.unitId, units.id), eq(accounts.role, 'institution')))
    .where(eq(trainingInstitutionAuthorities.authorityId, actor.unitId))
    .orderBy(asc(units.code));
  return rows.map(({ parentId, ...row }) => ({ ...row, passwordIssued: Boolean(row.passwordIssued), ownedByActor: parentId === actor.unitId }));
}
