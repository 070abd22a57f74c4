import type { Ledger } from '@/lib/training/ledger/queries';
import { formatCredits, trainingCategories } from '@/lib/training/rules';
import { categoryName, hoursText, levelName } from './labels';

/** 培训学分档案: the current cycle against the province's requirement, per category, then every confirmed entry. Phone first. */
export function CreditLedger({ ledger }: { ledger: Ledger }) {
  const { standing, cycle } = ledger;
  const percent = Math.round(ledger.progressPermille / 10);
  const requirement = [standing.requiredHours ? `${standing.requiredHours} 学时` : null, standing.requiredCredits !== null ? formatCredits(standing.requiredCredits) : null].filter(Boolean).join(' 且 ');
  return (
    <section className="card space-y-3 p-4" aria-labelledby="ledger-title" data-testid="credit-ledger">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="ledger-title" className="font-semibold text-slate-900">
          培训学分档案
        </h2>
        <span className="text-xs text-slate-500">
          {cycle.startYear}—{cycle.endYear} 周期 · {ledger.ruleScopeName}规则第 {ledger.ruleVersion} 版
        </span>
      </div>
      <div>
        <div className="flex items-baseline justify-between text-sm">
          <span>
            本周期已获 <strong data-testid="ledger-hours">{hoursText(standing.hours)}</strong>、<strong data-testid="ledger-credits">{formatCredits(standing.credits)}</strong>
          </span>
          <span className={standing.complete ? 'text-green-700' : 'text-amber-700'}>{standing.complete ? '已达标' : `完成 ${percent}%`}</span>
        </div>
        <div className="mt-1 h-2 overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label="本周期完成进度" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
          <div className={`h-full ${standing.complete ? 'bg-green-600' : 'bg-brand-600'}`} style={{ width: `${percent}%` }} />
        </div>
        {requirement && <p className="mt-1 text-xs text-slate-500">周期要求：不少于 {requirement}</p>}
      </div>
      {standing.categories.some((c) => c.minimum > 0) && (
        <ul className="grid gap-1 text-xs sm:grid-cols-2">
          {standing.categories
            .filter((c) => c.minimum > 0)
            .map((c) => (
              <li key={c.category} className="flex justify-between rounded bg-slate-50 px-2 py-1">
                <span>{trainingCategories[c.category]}</span>
                <span className={c.met ? 'text-green-700' : 'text-amber-700'}>
                  {formatCredits(c.towardsMinimum)} / {formatCredits(c.minimum)}
                </span>
              </li>
            ))}
        </ul>
      )}
      {ledger.entries.length === 0 ? (
        <p className="text-sm text-slate-500">尚无已确认的培训学分。培训机构提交考核结果、教育行政部门确认后，学分会显示在这里。</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm" data-testid="ledger-entries">
          {ledger.entries.map((entry) => (
            <li key={entry.entryId} className="py-2">
              <p className="font-medium">{entry.project}</p>
              <p className="text-xs text-slate-500">
                {levelName(entry.level)} · {categoryName(entry.category)} · {entry.endDate} 结业{entry.institution ? ` · ${entry.institution}` : ''}
              </p>
              <p className="mt-0.5 flex flex-wrap gap-x-3 text-xs">
                <span>{hoursText(entry.hours)}</span>
                <span className="font-medium text-brand-700">{formatCredits(entry.credits)}</span>
                {entry.counted !== null && entry.counted < entry.credits && <span className="text-amber-700">超出上限，本周期计 {formatCredits(entry.counted)}</span>}
                {entry.counted === null && <span className="text-slate-500">不在本周期</span>}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
