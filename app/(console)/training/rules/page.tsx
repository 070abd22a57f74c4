import type { Metadata } from 'next';
import { PageTitle } from '@/components/ui/stat-card';
import { RuleEditor } from '@/components/training/rule-editor';
import { formatDateTime } from '@/lib/format';
import { requirePermission } from '@/lib/auth/session';
import { todayIso } from '@/lib/indicators/form-schema';
import { getRulePage } from '@/lib/training/conversion/queries';
import { exampleRules } from '@/lib/training/examples';
import { describeRule } from '@/lib/training/rules';

export const metadata: Metadata = { title: '学时学分转化规则' };

const examples = [
  { key: 'beijing', label: '北京', rule: exampleRules.beijing },
  { key: 'shaanxi', label: '陕西', rule: exampleRules.shaanxi },
  { key: 'yujiang', label: '余江', rule: exampleRules.yujiang },
  { key: 'generic', label: '通用（集中 6、非集中 8 学时折 1 学分）', rule: exampleRules.generic },
];

export default async function TrainingRulesPage() {
  const actor = await requirePermission('training.rules');
  const { versions, inForce, inForceScopeName, own } = await getRulePage(actor);
  const today = todayIso();
  const upcoming = versions.filter((v) => v.effectiveFrom > today);
  return (
    <div className="space-y-4">
      <PageTitle
        title="学时学分转化规则"
        description={`${actor.unitTier === 'central' ? '全国默认规则：未设置本省规则的省份适用。' : '本省教师的培训学时按此规则折算学分。'}每次保存为新版本，自生效日期起用于学分确认；已确认的学分不因规则调整而改变。`}
      />
      <section className="card space-y-2 p-4" aria-labelledby="in-force-title" data-testid="rule-in-force">
        <h2 id="in-force-title" className="text-sm font-semibold text-slate-700">
          当前适用：{inForce ? `${own ? '本单位' : inForceScopeName}第 ${inForce.version} 版（${inForce.effectiveFrom} 起）` : '尚未设置'}
        </h2>
        {inForce && (
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
            {describeRule(inForce.rule).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
        {upcoming.length > 0 && <p className="text-sm text-amber-800">已保存、尚未生效：{upcoming.map((v) => `第 ${v.version} 版（${v.effectiveFrom} 起）`).join('、')}</p>}
      </section>
      <RuleEditor current={inForce?.rule ?? exampleRules.generic} examples={examples} today={today} />
      {versions.length > 0 && (
        <section className="card overflow-x-auto">
          <h2 className="p-4 pb-0 text-sm font-semibold text-slate-700">历史版本</h2>
          <table className="w-full text-sm">
            <thead className="table-head">
              <tr>
                <th className="px-3 py-2">版本</th>
                <th className="px-3 py-2">生效日期</th>
                <th className="px-3 py-2">规则</th>
                <th className="px-3 py-2">保存人</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {versions.map((v) => (
                <tr key={v.id}>
                  <td className="whitespace-nowrap px-3 py-2 tabular-nums">第 {v.version} 版</td>
                  <td className="whitespace-nowrap px-3 py-2 tabular-nums">{v.effectiveFrom}</td>
                  <td className="px-3 py-2 text-xs text-slate-600">
                    {describeRule(v.rule).join('；')}
                    {v.note && <span className="block text-slate-500">说明：{v.note}</span>}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {v.createdByName}
                    <span className="block text-slate-500">{formatDateTime(v.createdAt)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
