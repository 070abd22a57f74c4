import type { Metadata } from 'next';
import { KeysetPager } from '@/components/ui/keyset-pager';
import { formatDateTime } from '@/lib/format';
import { PageTitle } from '@/components/ui/stat-card';
import { auditActionNames, auditTargetNames, describeAuditDetail } from '@/lib/audit/labels';
import { auditPageSize, listAuditLog } from '@/lib/audit/queries';
import { requirePermission } from '@/lib/auth/session';
import { auditorTiers } from '@/lib/auth/policy';
import { auditFilters, auditTargetParam, parseAuditParams } from '@/lib/audit/schemas';
import Link from 'next/link';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: '审计日志' };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('audit.read');
  const params = parseAuditParams(await searchParams);
  const { action, before: beforeId } = params;
  const fetched = await listAuditLog(actor, auditFilters(params));
  const hasMore = fetched.length > auditPageSize;
  const rows = fetched.slice(0, auditPageSize);
  const last = rows.at(-1);
  const keep = new URLSearchParams(Object.entries({ action, username: params.username, from: params.from, to: params.to, target: params.target }).filter((e): e is [string, string] => !!e[1]));
  const withoutTarget = new URLSearchParams([...keep].filter(([key]) => key !== 'target'));
  const target = auditFilters(params).target;
  const objectName = (type: string, id: string | null, label: string | null | undefined) => `${auditTargetNames[type] ?? type} ${label ?? (id && /^\d+$/.test(id) ? `（编号 ${id}）` : (id ?? ''))}`;
  const separated = auditorTiers.includes(actor.unitTier);
  return (
    <div className="space-y-4">
      <PageTitle
        title="审计日志"
        description={`本单位及下级单位的登录、越权尝试、账号、数据变更、查看和导出记录。日志只能追加，按日封存并以哈希链防篡改，保留不少于 6 个月。${separated ? '本级实行三员分立：系统管理员的操作同样记录在此，由安全审计员审阅。' : ''}`}
      >
        <a href={`/audit/export?${keep}`} className="btn-secondary">导出 Excel（归档）</a>
      </PageTitle>
      <form className="card grid grid-cols-1 gap-3 p-3 sm:grid-cols-5 sm:items-end">
        <label className="text-xs text-slate-600">
          操作类型
          <select name="action" defaultValue={action ?? ''} className="input mt-1">
            <option value="">全部</option>
            <option value="auth.">登录相关</option>
            <option value="account.">账号相关</option>
            <option value="school.">学校名单</option>
            <option value="teacher.">教师信息</option>
            <option value="access.">越权与拒绝访问</option>
            <option value="audit.">审计日志</option>
            {Object.entries(auditActionNames).map(([key, label]) => (
              <option key={key} value={key}>{label}</option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          操作账号
          <input name="username" defaultValue={params.username} className="input mt-1" />
        </label>
        <label className="text-xs text-slate-600">
          起始日期
          <input type="date" name="from" defaultValue={params.from} className="input mt-1" />
        </label>
        <label className="text-xs text-slate-600">
          截止日期
          <input type="date" name="to" defaultValue={params.to} className="input mt-1" />
        </label>
        {params.target && <input type="hidden" name="target" value={params.target} />}
        <button type="submit" className="btn-primary">查询</button>
      </form>
      {target && (
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="audit-target">
          只看对象：<span className="rounded bg-brand-50 px-2 py-0.5 text-brand-800">{objectName(target.type, target.id, rows.find((row) => row.targetType === target.type && row.targetId === target.id)?.targetLabel)}</span>
          <Link href={`/audit?${withoutTarget}`} className="text-brand-700 underline">
            查看全部对象
          </Link>
        </p>
      )}
      <TableFrame label="审计日志">
        <table className="w-full text-sm">
          <thead className="table-head">
            <tr>
              <th className="px-3 py-2">时间</th>
              <th className="px-3 py-2">操作账号</th>
              <th className="px-3 py-2">操作</th>
              <th className="px-3 py-2">对象</th>
              <th className="px-3 py-2">详情</th>
              <th className="px-3 py-2">IP</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="audit-rows">
            {rows.map((row) => (
              <tr key={row.id}>
                <td className="whitespace-nowrap px-3 py-2 text-xs text-slate-600">{formatDateTime(row.occurredAt)}</td>
                <td className="px-3 py-2 font-mono text-xs">{row.actorUsername ?? '—'}</td>
                <td className="px-3 py-2">{auditActionNames[row.action] ?? row.action}</td>
                <td className="cell-wrap px-3 py-2 text-xs text-slate-600">
                  {row.targetType && row.targetId ? (
                    <Link href={`/audit?${new URLSearchParams([...withoutTarget, ['target', auditTargetParam(row.targetType, row.targetId)]])}`} className="text-brand-700 hover:underline" title="只看此对象的记录">
                      {objectName(row.targetType, row.targetId, row.targetLabel)}
                    </Link>
                  ) : row.targetType ? (
                    objectName(row.targetType, row.targetId, row.targetLabel)
                  ) : (
                    '—'
                  )}
                </td>
                <td className="cell-wrap max-w-sm px-3 py-2 text-xs text-slate-600" title={row.detail ? JSON.stringify(row.detail) : ''}>
                  {describeAuditDetail(row.detail, formatDateTime)}
                </td>
                <td className="px-3 py-2 text-xs text-slate-500">{row.ip ?? '—'}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-slate-500">没有符合条件的记录</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableFrame>
      <KeysetPager
        firstHref={beforeId ? `/audit?${keep}` : null}
        nextHref={hasMore && last ? `/audit?${new URLSearchParams([...keep, ['before', String(last.id)]])}` : null}
        firstLabel="回到最新"
        nextLabel="更早的记录"
      />
    </div>
  );
}
