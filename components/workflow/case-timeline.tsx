import { formatDateTime } from '@/lib/format';

export interface CaseTimelineEvent {
  id: number;
  /** What was done, as the flow names it (确认, 同意调出 …). */
  actionName: string;
  unitName: string;
  accountName: string;
  createdAt: Date;
  /** The state it led to, and what the step recorded (a month …), as one line. */
  outcome: string;
  reason: string | null;
}

/** 办理记录 of a multi-party case: every step, who took it, when and why. */
export function CaseTimeline({ events, testId }: { events: CaseTimelineEvent[]; testId: string }) {
  return (
    <section className="card p-4">
      <h2 className="mb-2 font-semibold text-slate-900">办理记录</h2>
      <ol className="space-y-3 text-sm" data-testid={testId}>
        {events.map((event) => (
          <li key={event.id} className="border-l-2 border-slate-200 pl-3">
            <p>
              <span className="font-medium">{event.actionName}</span>
              <span className="ml-2 text-slate-600">
                {event.unitName} · {event.accountName}
              </span>
            </p>
            <p className="text-xs text-slate-500">
              {formatDateTime(event.createdAt)} · {event.outcome}
            </p>
            {event.reason && <p className="mt-1 whitespace-pre-wrap text-slate-700">{event.reason}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
