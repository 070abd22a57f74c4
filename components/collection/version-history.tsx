import { describeDiff } from '@/lib/collection/describe';
import type { RecordWorkflowView } from '@/lib/collection/queries';
import { reviewActionNames, versionKindNames } from '@/lib/collection/schemas';
import { formatDateTime } from '@/lib/format';
import { DiffTable } from './diff-table';

/** Every approved version with its field diff, and the timeline of decisions (who, when, what, comment). */
export function VersionHistory({ workflow }: { workflow: RecordWorkflowView }) {
  return (
    <div className="grid gap-4 lg:grid-cols-5">
      <section className="space-y-3 lg:col-span-3" data-testid="versions">
        <h2 className="font-semibold text-slate-900">生效版本</h2>
        {workflow.versions.length === 0 && <p className="card p-4 text-sm text-slate-500">记录尚未生效，暂无版本。</p>}
        {workflow.versions.map((version, i) => {
          const changes = describeDiff(workflow.catalogue, version.diff);
          return (
            <details key={version.version} open={i === 0} className="card p-4" data-testid={`version-${version.version}`}>
              <summary className="cursor-pointer text-sm">
                <span className="font-medium text-slate-900">第 {version.version} 版</span>
                <span className="ml-2 rounded bg-green-50 px-1.5 py-0.5 text-xs text-green-800">{versionKindNames[version.kind] ?? version.kind}</span>
                <span className="ml-2 text-slate-600">
                  {version.approvedByName} 于 {formatDateTime(version.approvedAt)} 批准 · {changes.length} 项
                </span>
              </summary>
              <div className="mt-3 max-h-96 overflow-auto">
                <DiffTable changes={changes} testId="version-diff" />
              </div>
            </details>
          );
        })}
      </section>
      <section className="space-y-3 lg:col-span-2">
        <h2 className="font-semibold text-slate-900">审核记录</h2>
        <ol className="card divide-y divide-slate-100" data-testid="timeline">
          {workflow.timeline.length === 0 && <li className="p-4 text-sm text-slate-500">暂无审核记录。</li>}
          {workflow.timeline.map((row) => (
            <li key={row.id} className="p-3 text-sm">
              <p className="font-medium text-slate-800">{reviewActionNames[row.action] ?? row.action}</p>
              <p className="text-xs text-slate-500">
                {row.accountName}（{row.unitName}）· {formatDateTime(row.createdAt)}
              </p>
              {row.comment && <p className="mt-1 text-slate-700">{row.comment}</p>}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
