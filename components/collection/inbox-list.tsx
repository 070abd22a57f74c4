import Link from 'next/link';
import { formatDateTime } from '@/lib/format';
import type { InboxGroup } from '@/lib/inbox/queries';
import { badgeCountCap } from '@/lib/inbox/registry';
import { ReminderReadButton } from './reminder-read-button';

/** The to-do inbox: one card per kind of waiting work, each item linking to where it is done. */
export function InboxList({ groups, emptyText = '暂无待办事项。' }: { groups: InboxGroup[]; emptyText?: string }) {
  if (groups.length === 0) return <p className="card p-6 text-center text-sm text-slate-500" data-testid="inbox-empty">{emptyText}</p>;
  return (
    <div className="space-y-4">
      {groups.map((group) => (
        <section key={group.key} className="card" data-testid={`inbox-${group.key}`}>
          <header className="flex items-center justify-between gap-3 border-b border-slate-100 px-4 py-3">
            <h2 className="font-semibold text-slate-900">
              {group.label}
              <span className="ml-2 rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700">{group.count > 999 ? '999+' : group.count}</span>
            </h2>
            <Link href={group.href} className="shrink-0 text-sm text-brand-600 hover:underline">
              去处理 →
            </Link>
          </header>
          <ul className="divide-y divide-slate-100">
            {group.items.map((item) => (
              <li key={item.id} className="flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
                <Link href={item.href} className="min-w-0 flex-1 hover:underline">
                  <p className="text-sm font-medium text-slate-800">{item.title}</p>
                  {item.detail && <p className="mt-0.5 break-words text-sm text-slate-600">{item.detail}</p>}
                </Link>
                <div className="flex shrink-0 items-center gap-3">
                  {item.at && <span className="text-xs text-slate-500">{formatDateTime(item.at)}</span>}
                  {item.reminderId && <ReminderReadButton reminderId={item.reminderId} />}
                </div>
              </li>
            ))}
          </ul>
          {group.count > group.items.length && (
            <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500">{group.count >= badgeCountCap ? `另有 ${badgeCountCap - group.items.length} 项以上` : `另有 ${group.count - group.items.length} 项`}，请到处理页面查看。</p>
          )}
        </section>
      ))}
    </div>
  );
}
