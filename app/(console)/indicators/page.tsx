import type { Metadata } from 'next';
import { IndicatorSettingsForm } from '@/components/indicators/settings-form';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { getProvinceSettings, getSettingsRecheck, listSettingsHistory } from '@/lib/indicators/queries';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { defaultProvinceSettings } from '@/lib/indicators/settings';

export const metadata: Metadata = { title: '指标体系设置' };

export default async function IndicatorsPage() {
  const actor = await requirePermission('indicator.configure');
  const [current, history, recheck] = await Promise.all([getProvinceSettings(actor.unitId), listSettingsHistory(actor.unitId), getSettingsRecheck(actor.unitId)]);
  const checking = recheck !== null && !recheck.finished;
  return (
    <div className="space-y-4">
      <PageTitle title="指标体系设置" description={`${actor.unitName}在国家核心指标基础上选定、扩展本省教师信息指标，并按学段设定教师本人可填报的指标。当前为第 ${current.version} 版${current.version === 0 ? '（国家默认）' : ''}。`} />
      {checking && (
        <div role="status" className="card flex flex-wrap items-center gap-3 border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="settings-recheck">
          <AutoRefresh active intervalMs={2000} />
          <span>
            正在按第 {recheck.version} 版指标重新检查本省 {recheck.total.toLocaleString('zh-CN')} 份草稿的完整性，已检查 {recheck.done.toLocaleString('zh-CN')} 份。
            检查完成前，进度统计中的“信息完整”人数可能尚未更新；报送时仍逐份按新指标检查。
          </span>
          <progress className="h-2 w-40" max={Math.max(1, recheck.total)} value={recheck.done} aria-label="草稿重新检查进度" />
        </div>
      )}
      <IndicatorSettingsForm version={current.version} settings={current.settings ?? defaultProvinceSettings()} />
      <section className="card p-4">
        <h2 className="mb-2 font-semibold">版本记录</h2>
        {history.length === 0 ? (
          <p className="text-sm text-slate-500">尚未修改，使用国家默认指标。</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="settings-history">
            {history.map((row) => (
              <li key={row.version} className="flex flex-wrap justify-between gap-2 py-2">
                <span>第 {row.version} 版 {row.note && <span className="text-slate-600">· {row.note}</span>}</span>
                <span className="text-xs text-slate-500">{row.createdByName} · {formatDateTime(row.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
