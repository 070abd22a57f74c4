import { TransferRoute } from '@/components/transfers/transfer-route';
import { TransferStateBadge } from '@/components/transfers/transfer-state-badge';
import { formatDateTime } from '@/lib/format';
import type { TeacherTransferProgress } from '@/lib/transfers/queries';

/** The teacher follows their own transfer on the phone: where it stands and every step so far. */
export function OwnTransfers({ transfers }: { transfers: TeacherTransferProgress[] }) {
  return (
    <section className="mt-4 space-y-3" aria-label="我的调动" data-testid="own-transfers">
      <h2 className="font-semibold text-slate-900">我的调动</h2>
      {transfers.map((transfer) => (
        <article key={transfer.id} className="card space-y-3 p-4">
          <p className="text-sm">
            {transfer.sendingSchoolName} → <span className="font-medium">{transfer.receivingSchoolName}</span>
          </p>
          <TransferStateBadge state={transfer.state} />
          <TransferRoute route={transfer.route} state={transfer.state} stoppedAt={transfer.stoppedAt} />
          {transfer.rejectionReason && <p className="text-sm text-red-700">未通过原因：{transfer.rejectionReason}</p>}
          <ol className="space-y-1 text-xs text-slate-600">
            {transfer.events.map((event, i) => (
              <li key={i}>
                {formatDateTime(event.createdAt)} · {event.unitName} · {event.label}
              </li>
            ))}
          </ol>
        </article>
      ))}
    </section>
  );
}
