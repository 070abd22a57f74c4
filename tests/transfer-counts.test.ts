import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, rowsOf } from '@/lib/db';
import type { Actor } from '@/lib/auth/actor';
import { foldAggregateDeltas } from '@/lib/statistics/service';
import { openTransferStates, overdueDays } from '@/lib/transfers/chain';
import { getTransferYearTotals } from '@/lib/transfers/queries';
import { actorFor, school, teacherIn, type SchoolFixture } from './support/factories';

const states = ['filed', 'receiving_province', 'sent', 'sending_agreed', 'sending_province', 'awaiting_file', 'completed', 'rejected', 'withdrawn'] as const;
const closedStates = new Set(['completed', 'rejected', 'withdrawn']);

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** The dashboard's figures counted straight from `transfers`: completions by their day in China's time zone, 超期 by the list's rule. */
async function recount(actor: Actor) {
  const open = sql.raw(openTransferStates.map((state) => `'${state}'`).join(', '));
  const [row] = rowsOf<Record<string, number>>(
    await (await getDb()).execute(sql`
      with x as (
        select t.state, t.state_since < now() - make_interval(days => ${overdueDays}) as late, (t.closed_at at time zone 'Asia/Shanghai')::date as closed,
          t.sending_school_path <@ ${actor.unitPath}::ltree as s_in, t.receiving_school_path <@ ${actor.unitPath}::ltree as r_in,
          (now() at time zone 'Asia/Shanghai')::date as today
        from transfers t
      )
      select
        count(*) filter (where state = 'completed' and closed >= date_trunc('year', today)::date and r_in and not s_in)::int as incoming,
        count(*) filter (where state = 'completed' and closed >= date_trunc('year', today)::date and s_in and not r_in)::int as outgoing,
        count(*) filter (where state = 'completed' and closed >= date_trunc('year', today)::date and s_in and r_in)::int as internal,
        count(*) filter (where state in (${open}) and (s_in or r_in))::int as open,
        count(*) filter (where state in (${open}) and (s_in or r_in) and late)::int as overdue
      from x`),
  );
  return row;
}

describe('教师调动 figures kept per unit (migration 0032)', () => {
  it('equal a recount from transfers for every scope after random filings, steps, completions and deletions, folded or not', async () => {
    const db = await getDb();
    // Two schools in one county, one in another county of the same city, one in another province.
    const schools: SchoolFixture[] = [await school('330106'), await school('330106'), await school('330108'), await school('110101')];
    const teachers: number[] = [];
    for (let i = 0; i < 12; i++) teachers.push(await teacherIn(schools[i % schools.length], { complete: false, name: `调动计数${i}` }));
    const next = random(20261207);
    const openTeacher = new Map<number, number>();
    const ids: number[] = [];
    const place = (fixture: SchoolFixture) => sql`${fixture.school.id}::int, ${fixture.school.path}::ltree, ${`学校${fixture.school.code}`}::text`;
    // A day within the last 40 days, or late last year (a completion then is not this year's).
    // Half of them on the days around the overdue limit, so that the boundary is tested too.
    const when = () => {
      if (next(5) === 0) return sql`make_timestamptz(extract(year from now())::int - 1, 12, 31, 20, 0, 0, 'Asia/Shanghai')`;
      // On the limit's day at any hour: overdue or not by the exact time, as the list decides.
      if (next(3) === 0) return sql`now() - make_interval(days => ${overdueDays}::int, hours => ${next(48)}::int - 24)`;
      const days = next(2) === 0 ? overdueDays - 1 + next(3) : next(40);
      return sql`(date_trunc('day', now() at time zone 'Asia/Shanghai') - make_interval(days => ${days}::int) + interval '1 minute') at time zone 'Asia/Shanghai'`;
    };
    for (let i = 0; i < 60; i++) {
      const teacher = teachers[next(teachers.length)];
      let state: (typeof states)[number] = states[next(states.length)];
      if (!closedStates.has(state) && openTeacher.has(teacher)) state = 'completed';
      const [from, to] = [schools[next(schools.length)], schools[next(schools.length)]];
      const at = when();
      const [row] = rowsOf<{ id: number }>(
        await db.execute(sql`
          insert into transfers (state, teacher_id, teacher_name, teacher_id_masked, teacher_gender, sending_school_id, sending_school_path, sending_school_name,
            receiving_school_id, receiving_school_path, receiving_school_name, cross_province, reason, post_category, planned_arrival_month, state_since, filed_by, filed_by_name, closed_at, waiting_unit_id)
          values (${state}::transfer_state, ${teacher}, '计数', '1101**********0011', '1', ${place(from)}, ${place(to)}, false, '计数测试', '1', '2026-09', ${at}, 1, '计数',
            case when ${state} in ('completed', 'rejected', 'withdrawn') then ${at} end, case when ${state} in ('completed', 'rejected', 'withdrawn') then null else ${to.school.id}::int end)
          returning id`),
      );
      ids.push(Number(row.id));
      if (!closedStates.has(state)) openTeacher.set(teacher, Number(row.id));
      if (next(10) === 0) await foldAggregateDeltas();
    }
    // Steps: a state moves on (its day changes), completes or stops; a few transfers are deleted outright.
    for (let i = 0; i < 50; i++) {
      const id = ids[next(ids.length)];
      const target = states[next(states.length)];
      const [current] = rowsOf<{ teacher_id: number; state: string }>(await db.execute(sql`select teacher_id, state::text from transfers where id = ${id}`));
      if (!current) continue;
      const holder = openTeacher.get(Number(current.teacher_id));
      if (!closedStates.has(target) && holder !== undefined && holder !== id) continue;
      const at = when();
      await db.execute(sql`update transfers set state = ${target}::transfer_state, state_since = ${at}, closed_at = case when ${target} in ('completed', 'rejected', 'withdrawn') then ${at} end,
        waiting_unit_id = case when ${target} in ('completed', 'rejected', 'withdrawn') then null else receiving_school_id end where id = ${id}`);
      if (closedStates.has(target)) {
        if (holder === id) openTeacher.delete(Number(current.teacher_id));
      }
      else openTeacher.set(Number(current.teacher_id), id);
      if (next(8) === 0) await foldAggregateDeltas();
    }
    for (const id of ids.slice(0, 4)) await db.execute(sql`delete from transfers where id = ${id}`);

    const actors = [await actorFor('000000.manager'), await actorFor('330000.manager'), await actorFor('330100.manager'), await actorFor('330106.manager'), schools[0].manager, schools[3].manager, await actorFor('110000.manager')];
    const check = async () => {
      for (const actor of actors) expect({ who: actor.username, ...(await getTransferYearTotals(actor)) }).toEqual({ who: actor.username, ...(await recount(actor)) });
    };
    await check();
    // The ministry sees every transfer still standing; something is open, overdue and completed this year.
    const nation = await getTransferYearTotals(actors[0]);
    expect(nation.open).toBeGreaterThan(0);
    expect(nation.overdue).toBeGreaterThan(0);
    expect(nation.internal).toBeGreaterThan(0);
    expect(nation.incoming + nation.outgoing).toBe(0);
    // Folded, the same figures, and no row left at zero.
    await foldAggregateDeltas();
    await check();
    const [{ zero, pending }] = rowsOf<{ zero: number; pending: number }>(
      await db.execute(sql`select (select count(*)::int from transfer_counts where n = 0) as zero, (select count(*)::int from transfer_count_deltas) as pending`),
    );
    expect({ zero, pending }).toEqual({ zero: 0, pending: 0 });
  });
});
