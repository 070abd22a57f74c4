import 'server-only';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { getDb, rowsOf, type Executor } from '@/lib/db';
import { teachers } from '@/lib/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { recordAudit } from '@/lib/audit/service';
import { ForbiddenError } from '@/lib/errors';
import { type TeacherIdInput } from '@/lib/teachers/schemas';
import { mayViewFullIdNumber } from '@/lib/auth/personal-data';
import { revealStoredIdNumber, storeIdNumber, teacherLoginName } from '@/lib/teachers/identity';
import { activeKeyId, decryptText, encryptText, textKeyIdOf } from '@/lib/crypto/envelope';
import { getScopedTeacher } from '@/lib/teachers/service';

/**
 * The full ID number, for managers of the teacher's own school or of its competent authority only.
 * Every reveal is audited.
 */
export async function revealIdNumber(actor: Actor, input: TeacherIdInput): Promise<string> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const teacher = await getScopedTeacher(tx, actor, input.teacherId);
    if (!mayViewFullIdNumber(actor, teacher)) throw new ForbiddenError('只有本校或其主管教育行政部门的管理员可以查看完整证件号码');
    const [stored] = await tx.select({ enc: teachers.idNumberEnc, masked: teachers.idNumberMasked }).from(teachers).where(eq(teachers.id, teacher.id));
    await recordAudit(tx, actor, { action: 'teacher.idNumber.view', unitPath: teacher.unitPath, targetType: 'teacher', targetId: teacher.id, detail: { idNumber: stored.masked } });
    return revealStoredIdNumber(stored.enc!);
  });
}

/** The SQL twin of maskIdNumber, for values inside stored JSON (idempotent on masked values). */
function sqlMask(text: string): string {
  return `(case when length(${text}) <= 8 then repeat('*', length(${text})) else left(${text}, 4) || repeat('*', length(${text}) - 8) || right(${text}, 4) end)`;
}

/** A diff array with the idNumber entries' values masked each by itself, in the original order. */
function maskedDiff(column: string): string {
  const value = (key: string) => `case when jsonb_typeof(e->'${key}') = 'string' then to_jsonb(${sqlMask(`(e->>'${key}')`)}) else e->'${key}' end`;
  return `(select coalesce(jsonb_agg(case when e->>'field' = 'idNumber' then e || jsonb_build_object('oldValue', ${value('oldValue')}, 'newValue', ${value('newValue')}) else e end order by n), '[]'::jsonb)
    from jsonb_array_elements(${column}) with ordinality as d(e, n))`;
}

/**
 * Encrypts ID numbers still held in clear (rows from before encryption at rest, or loaded raw by the
 * scale tools): the teacher row gets its hash, ciphertext and mask, the record JSON, versions and
 * field history the mask, the login its hashed name, and the clear column is emptied last, one
 * transaction per batch so that a crash leaves every row either wholly sealed or wholly not. Runs at
 * every start (through the unique index on the legacy column, so it costs nothing once all is sealed).
 * Answers how many rows it sealed.
 */
export async function sealLegacyIdNumbers(executor: Executor, batch = 5000): Promise<number> {
  let sealed = 0;
  for (;;) {
    const done = await executor.transaction(async (tx) => {
      const rows = await tx
        .select({ id: teachers.id, idNumber: teachers.legacyIdNumber, accountId: teachers.accountId })
        .from(teachers)
        .where(isNotNull(teachers.legacyIdNumber))
        .orderBy(teachers.id)
        .limit(batch)
        .for('update');
      if (rows.length === 0) return 0;
      const values = JSON.stringify(
        rows.map((row) => {
          const stored = storeIdNumber(row.idNumber!);
          return { id: row.id, account_id: row.accountId, login: teacherLoginName(row.idNumber!), hash: stored.idNumberHash, enc: stored.idNumberEnc, masked: stored.idNumberMasked };
        }),
      );
      const rowsType = sql`jsonb_to_recordset(${values}::jsonb) as v(id int, account_id int, login text, hash text, enc text, masked text)`;
      await tx.execute(sql`update accounts a set username = v.login from ${rowsType} where a.id = v.account_id and a.role = 'teacher'`);
      await tx.execute(sql`
        update teacher_versions tv set
          snapshot = case when jsonb_typeof(tv.snapshot #> '{record,basic,idNumber}') = 'string'
            then jsonb_set(tv.snapshot, '{record,basic,idNumber}', to_jsonb(${sql.raw(sqlMask(`(tv.snapshot #>> '{record,basic,idNumber}')`))})) else tv.snapshot end,
          diff = ${sql.raw(maskedDiff('tv.diff'))}
        from ${rowsType} where tv.teacher_id = v.id`);
      await tx.execute(sql`
        update teacher_field_changes c set
          old_value = case when jsonb_typeof(c.old_value) = 'string' then to_jsonb(${sql.raw(sqlMask(`(c.old_value #>> '{}')`))}) else c.old_value end,
          new_value = case when jsonb_typeof(c.new_value) = 'string' then to_jsonb(${sql.raw(sqlMask(`(c.new_value #>> '{}')`))}) else c.new_value end
        from ${rowsType} where c.teacher_id = v.id and c.field = 'idNumber'`);
      // The clear column is emptied last, with the rest: the check constraint holds at every step.
      await tx.execute(sql`
        update teachers t set id_number_hash = v.hash, id_number_enc = v.enc, id_number_masked = v.masked, id_number = null,
          record = case when t.record ? 'basic' then jsonb_set(t.record, '{basic,idNumber}', to_jsonb(v.masked)) else t.record end
        from ${rowsType} where t.id = v.id`);
      return rows.length;
    });
    if (done === 0) return sealed;
    sealed += done;
  }
}

/**
 * Key rotation for ID numbers: every ciphertext not under the active key is decrypted and encrypted
 * again, in id order and batches, each row only if it did not change meanwhile. Answers how many.
 */
export async function reencryptIdNumbers(executor: Executor, batch = 5000): Promise<number> {
  const active = activeKeyId();
  let after = 0;
  let changed = 0;
  for (;;) {
    const rows = await executor
      .select({ id: teachers.id, enc: teachers.idNumberEnc })
      .from(teachers)
      .where(and(isNotNull(teachers.idNumberEnc), sql`${teachers.id} > ${after}`))
      .orderBy(teachers.id)
      .limit(batch);
    if (rows.length === 0) return changed;
    after = rows.at(-1)!.id;
    const stale = rows.filter((row) => textKeyIdOf(row.enc!) !== active).map((row) => ({ id: row.id, old: row.enc!, enc: encryptText(decryptText(row.enc!)) }));
    if (stale.length === 0) continue;
    const updated = rowsOf<{ id: number }>(
      await executor.execute(sql`
        update teachers t set id_number_enc = v.enc from jsonb_to_recordset(${JSON.stringify(stale)}::jsonb) as v(id int, old text, enc text)
        where t.id = v.id and t.id_number_enc = v.old returning t.id`),
    );
    changed += updated.length;
  }
}
