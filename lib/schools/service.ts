import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import { units } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { assertCan } from '@/lib/auth/policy';
import { inJurisdiction, pathInJurisdiction } from '@/lib/auth/scope';
import { recordAudit, type AuditEntry } from '@/lib/audit/service';
import { ValidationError } from '@/lib/errors';
import { divisionAncestry, divisionsByCode } from '@/lib/reference/divisions';
import { schoolTypes } from '@/lib/reference/school-types';
import { readTable } from '@/lib/spreadsheet/read-table';
import { applyRollupDeltas, insertUnitsWithDefaultAccounts, type NewUnit, type RollupDelta } from '@/lib/units/service';
import {
  maxSchoolListRows,
  requiredSchoolListColumns,
  schoolListColumns,
  type ImportRowError,
  type SchoolImportOutcome,
} from './schemas';

const ownershipByLabel: Record<string, 'public' | 'private'> = { 公办: 'public', 民办: 'private' };
const statusByLabel: Record<string, 'active' | 'closed'> = { '': 'active', 正常: 'active', 撤销: 'closed', 停办: 'closed' };
const maxReportedErrors = 500;

interface ValidRow {
  rowNumber: number;
  code: string;
  name: string;
  schoolTypeCode: string;
  stage: string;
  divisionCode: string;
  authority: { id: number; path: string };
  ownership: 'public' | 'private';
  status: 'active' | 'closed';
}

/**
 * Imports the national school list: validates every row first and writes nothing unless the whole
 * file is valid; then creates new schools (with their default accounts), updates changed ones and
 * closes or reopens them, all in one transaction with an audit row per change.
 */
export async function importSchoolList(actor: Actor, file: { name: string; bytes: Uint8Array }): Promise<SchoolImportOutcome> {
  assertCan(actor, 'school.import');
  const table = await readTable(file, { maxRows: maxSchoolListRows });
  const missing = requiredSchoolListColumns.filter((key) => !table.headers.includes(schoolListColumns[key]));
  if (missing.length) {
    throw new ValidationError(`表头缺少列：${missing.map((k) => schoolListColumns[k]).join('、')}。请使用导入模板，不要修改表头。`);
  }
  const db = await getDb();
  const authorities = await db
    .select({ id: units.id, code: units.code, tier: units.tier, path: units.path, divisionCode: units.divisionCode, status: units.status })
    .from(units)
    .where(eq(units.kind, 'authority'));
  const authorityByCode = new Map(authorities.map((a) => [a.code, a]));
  const authorityCodeById = new Map(authorities.map((a) => [a.id, a.code]));

  const errors: ImportRowError[] = [];
  let totalErrors = 0;
  const fail = (rowNumber: number, key: keyof typeof schoolListColumns, value: string, message: string) => {
    totalErrors++;
    if (errors.length < maxReportedErrors) errors.push({ rowNumber, column: schoolListColumns[key], value, message });
  };
  const firstRowOfCode = new Map<string, number>();
  const valid: ValidRow[] = [];

  for (const { rowNumber, cells } of table.rows) {
    const get = (key: keyof typeof schoolListColumns) => (cells[schoolListColumns[key]] ?? '').trim();
    const before = totalErrors;
    const code = get('code');
    const name = get('name');
    const typeCode = get('schoolTypeCode');
    const divisionCode = get('divisionCode');
    const authorityCode = get('authorityCode');
    const ownershipLabel = get('ownership');
    const statusLabel = get('status');

    const division = divisionsByCode.get(divisionCode);
    if (!/^\d{6}$/.test(divisionCode)) fail(rowNumber, 'divisionCode', divisionCode, '行政区划代码应为 6 位数字');
    else if (!division) fail(rowNumber, 'divisionCode', divisionCode, '行政区划代码不存在');

    if (!/^\d{10}$/.test(code)) fail(rowNumber, 'code', code, '学校标识码应为 10 位数字');
    else if (division && code.slice(2, 4) !== divisionCode.slice(0, 2)) {
      fail(rowNumber, 'code', code, `学校标识码第 3–4 位应为所在省份代码 ${divisionCode.slice(0, 2)}`);
    } else if (firstRowOfCode.has(code)) {
      fail(rowNumber, 'code', code, `学校标识码与第 ${firstRowOfCode.get(code)} 行重复`);
    }
    if (/^\d{10}$/.test(code) && !firstRowOfCode.has(code)) firstRowOfCode.set(code, rowNumber);

    if (!name) fail(rowNumber, 'name', name, '学校名称不能为空');
    else if (name.length > 100) fail(rowNumber, 'name', name, '学校名称不能超过 100 个字');

    const type = schoolTypes.get(typeCode);
    if (!type) fail(rowNumber, 'schoolTypeCode', typeCode, '办学类型代码不在采集范围内（见办学类型代码表）');

    const ownership = ownershipByLabel[ownershipLabel];
    if (!ownership) fail(rowNumber, 'ownership', ownershipLabel, '办学性质应填“公办”或“民办”');

    const status = statusByLabel[statusLabel];
    if (!status) fail(rowNumber, 'status', statusLabel, '状态应为空、“正常”或“撤销”');

    const authority = authorityByCode.get(authorityCode);
    if (!authority) fail(rowNumber, 'authorityCode', authorityCode, '主管教育行政部门代码不存在');
    else if (authority.status !== 'active') fail(rowNumber, 'authorityCode', authorityCode, '主管教育行政部门已撤销');
    else if (!pathInJurisdiction(actor, authority.path)) fail(rowNumber, 'authorityCode', authorityCode, '主管教育行政部门不在您的管辖范围内');
    else if (type && division) {
      const problem = authorityProblem(authority, type.stage, divisionCode);
      if (problem) fail(rowNumber, 'authorityCode', authorityCode, problem);
    }

    if (totalErrors === before && type && authority && ownership && status) {
      valid.push({ rowNumber, code, name, schoolTypeCode: typeCode, stage: type.stage, divisionCode, authority, ownership, status });
    }
  }

  // Existing units with these codes: schools are updated, anything else is a clash.
  const existing = new Map<string, typeof units.$inferSelect>();
  const codes = [...firstRowOfCode.keys()];
  for (let start = 0; start < codes.length; start += 5000) {
    const rows = await db.select().from(units).where(inArray(units.code, codes.slice(start, start + 5000)));
    for (const row of rows) existing.set(row.code, row);
  }
  for (const row of valid) {
    const current = existing.get(row.code);
    if (!current) {
      if (row.status === 'closed') fail(row.rowNumber, 'status', '撤销', '系统中没有该学校，不能标记为撤销');
    } else if (current.kind !== 'school') fail(row.rowNumber, 'code', row.code, '该代码已被教育行政部门或培训机构使用');
    else if (!pathInJurisdiction(actor, current.path)) fail(row.rowNumber, 'code', row.code, '该学校已登记在您管辖范围以外的地区，请联系其上级部门处理');
  }
  if (totalErrors > 0) {
    errors.sort((a, b) => a.rowNumber - b.rowNumber);
    return { ok: false, rows: table.rows.length, errors, totalErrors };
  }

  const summary = { rows: table.rows.length, created: 0, updated: 0, closed: 0, reopened: 0, unchanged: 0 };
  await db.transaction(async (tx) => {
    const audits: AuditEntry[] = [];
    const deltas: RollupDelta[] = [];
    const toCreate: NewUnit[] = [];
    for (const row of valid) {
      const current = existing.get(row.code);
      if (!current) {
        toCreate.push({
          code: row.code,
          name: row.name,
          kind: 'school',
          tier: 'school',
          parentId: row.authority.id,
          parentPath: row.authority.path,
          divisionCode: row.divisionCode,
          schoolTypeCode: row.schoolTypeCode,
          stage: row.stage,
          ownership: row.ownership,
        });
        continue;
      }
      const next = {
        name: row.name,
        schoolTypeCode: row.schoolTypeCode,
        stage: row.stage,
        divisionCode: row.divisionCode,
        ownership: row.ownership,
        status: row.status,
        parentId: row.authority.id,
      };
      // The audit trail names the authority by its code, not by an internal id.
      const changes = Object.fromEntries(
        Object.entries(next)
          .filter(([key, value]) => current[key as keyof typeof next] !== value)
          .map(([key, value]) =>
            key === 'parentId'
              ? ['authorityCode', { from: authorityCodeById.get(current.parentId ?? 0) ?? null, to: authorityCodeById.get(value as number) ?? null }]
              : [key, { from: current[key as keyof typeof next], to: value }],
          ),
      );
      if (Object.keys(changes).length === 0) {
        summary.unchanged++;
        continue;
      }
      const path = current.parentId === row.authority.id ? current.path : `${row.authority.path}.${current.id}`;
      // The state we read is the state we change: a concurrent edit makes this row miss and the import roll back.
      const [updated] = await tx
        .update(units)
        .set({ ...next, path, updatedAt: new Date() })
        .where(and(eq(units.id, current.id), sql`date_trunc('milliseconds', ${units.updatedAt}) = ${current.updatedAt.toISOString()}::timestamptz`, inJurisdiction(actor, units.path)))
        .returning({ id: units.id });
      if (!updated) throw new ValidationError(`第 ${row.rowNumber} 行的学校在导入期间被其他操作修改，请重新导入`);
      // The school's teachers follow it: their path (jurisdiction), stage, type and ownership (statistics).
      const moved = await tx.execute(sql`
        update teachers set unit_path = ${path}::ltree, stage = ${row.stage}, school_type_code = ${row.schoolTypeCode}, ownership = ${row.ownership}
        where unit_id = ${current.id} and (unit_path <> ${path}::ltree or stage <> ${row.stage} or school_type_code is distinct from ${row.schoolTypeCode} or ownership is distinct from ${row.ownership})
        returning record_state, complete, return_reason is not null as returned, coalesce(personnel_status, '') like '3%' as left_unit`);
      if (path !== current.path) {
        // Its cases follow it too: the stored paths (who finds them), and for open ones the competent
        // authority that acts next, so the new authority confirms and the old one no longer can.
        await moveSchoolCases(tx, { schoolId: current.id, path, oldAuthorityId: current.parentId, newAuthorityId: row.authority.id });
        const [{ n }] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from accounts where unit_id = ${current.id}`));
        const wasClosed = current.status === 'closed' ? 1 : 0;
        // Those who left are not in the subtree totals (rebuildRollups counts serving staff only).
        const teacherRows = rowsOf<{ record_state: string; complete: boolean; returned: boolean; left_unit: boolean }>(moved).filter((t) => !t.left_unit);
        const records = {
          teachers: teacherRows.length,
          recordsComplete: teacherRows.filter((t) => t.complete).length,
          recordsSubmitted: teacherRows.filter((t) => t.record_state === 'submitted').length,
          recordsEffective: teacherRows.filter((t) => t.record_state === 'effective').length,
          recordsReturned: teacherRows.filter((t) => t.record_state === 'draft' && t.returned).length,
        };
        const negated = Object.fromEntries(Object.entries(records).map(([key, value]) => [key, -value]));
        deltas.push({ path: current.path, schools: -1, closedSchools: -wasClosed, accounts: -n, ...negated });
        deltas.push({ path, schools: 1, closedSchools: row.status === 'closed' ? 1 : 0, accounts: n, ...records });
      } else if (current.status !== row.status) {
        deltas.push({ path, closedSchools: row.status === 'closed' ? 1 : -1 });
      }
      if (current.status !== row.status) {
        if (row.status === 'closed') summary.closed++;
        else summary.reopened++;
      } else summary.updated++;
      const action = current.status !== row.status ? (row.status === 'closed' ? 'school.close' : 'school.reopen') : 'school.update';
      audits.push({ action, unitPath: path, targetType: 'unit', targetId: current.id, detail: { code: row.code, changes } });
    }
    const created = await insertUnitsWithDefaultAccounts(tx, toCreate);
    summary.created = created.length;
    for (const unit of created) {
      audits.push({ action: 'school.create', unitPath: unit.path, targetType: 'unit', targetId: unit.id, detail: { code: unit.code, name: unit.name } });
    }
    await applyRollupDeltas(tx, deltas);
    audits.push({ action: 'school.import', targetType: 'file', targetId: file.name, detail: { ...summary } });
    await recordAudit(tx, actor, ...audits);
  });
  return { ok: true, summary };
}

/** The competent authority must suit the stage and cover the school's location (DOMAIN.md). */
function authorityProblem(authority: { tier: string; divisionCode: string | null }, stage: string, divisionCode: string): string | null {
  const covers = authority.tier === 'central' || divisionAncestry(divisionCode).some((d) => d.code === authority.divisionCode);
  if (stage === 'higher_education') {
    if (authority.tier !== 'province' && authority.tier !== 'central') return '高等学校的主管部门应为省级教育行政部门或教育部';
  } else if (authority.tier !== 'county' && authority.tier !== 'city') {
    return '幼儿园、中小学、中职和特教学校的主管部门应为县级或市级教育行政部门';
  }
  if (!covers) return '学校所在地不在该主管部门的行政区域内';
  return null;
}

/** A school moved under another authority: its transfers and rotations name the new path and, while open, the new authority. */
async function moveSchoolCases(tx: Executor, move: { schoolId: number; path: string; oldAuthorityId: number | null; newAuthorityId: number }): Promise<void> {
  const openTransfer = sql`state not in ('completed', 'rejected', 'withdrawn')`;
  const openRotation = sql`state in ('filed', 'active', 'extending')`;
  await tx.execute(sql`update transfers set sending_school_path = ${move.path}::ltree where sending_school_id = ${move.schoolId}`);
  await tx.execute(sql`update transfers set receiving_school_path = ${move.path}::ltree where receiving_school_id = ${move.schoolId}`);
  await tx.execute(sql`update transfers set sending_authority_id = ${move.newAuthorityId},
      waiting_unit_id = case when waiting_unit_id is not distinct from ${move.oldAuthorityId} and state = 'sending_agreed' then ${move.newAuthorityId} else waiting_unit_id end
    where sending_school_id = ${move.schoolId} and ${openTransfer}`);
  await tx.execute(sql`update transfers set receiving_authority_id = ${move.newAuthorityId},
      waiting_unit_id = case when waiting_unit_id is not distinct from ${move.oldAuthorityId} and state = 'filed' then ${move.newAuthorityId} else waiting_unit_id end
    where receiving_school_id = ${move.schoolId} and ${openTransfer}`);
  await tx.execute(sql`update rotations set home_school_path = ${move.path}::ltree where home_school_id = ${move.schoolId}`);
  await tx.execute(sql`update rotations set host_school_path = ${move.path}::ltree where host_school_id = ${move.schoolId}`);
  await tx.execute(sql`update rotations set home_authority_id = ${move.newAuthorityId},
      waiting_unit_id = case when state in ('filed', 'extending') then ${move.newAuthorityId} else waiting_unit_id end
    where home_school_id = ${move.schoolId} and ${openRotation}`);
}
