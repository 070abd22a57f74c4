import { RotationStateBadge } from '@/components/rotations/rotation-state-badge';
import type { OwnRotation } from '@/lib/rotations/queries';

/** The teacher sees their own 交流轮岗 on the phone: where, how long, and where it stands. */
export function OwnRotations({ rotations }: { rotations: OwnRotation[] }) {
  return (
    <section className="mt-4 space-y-3" aria-label="我的交流轮岗" data-testid="own-rotations">
      <h2 className="font-semibold text-slate-900">我的交流轮岗</h2>
      {rotations.map((rotation) => (
        <article key={rotation.id} className="card space-y-2 p-4 text-sm">
          <p>
            {rotation.homeSchoolName} → <span className="font-medium">{rotation.hostSchoolName}</span>
          </p>
          <RotationStateBadge state={rotation.state} />
          <dl className="grid gap-2 sm:grid-cols-2">
            <div>
              <dt className="text-xs text-slate-500">类型</dt>
              <dd>{rotation.kindName}（人事关系不变）</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">起止年月</dt>
              <dd className="tabular-nums">
                {rotation.startMonth} 至 {rotation.endMonth ?? rotation.plannedEndMonth}
                {!rotation.endMonth && '（计划）'}
              </dd>
            </div>
          </dl>
          {rotation.requestedEndMonth && <p className="text-xs text-amber-800">学校已申请延期至 {rotation.requestedEndMonth}，待主管教育行政部门确认。</p>}
        </article>
      ))}
    </section>
  );
}
