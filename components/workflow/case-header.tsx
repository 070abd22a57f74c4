import Link from 'next/link';
import type { ReactNode } from 'react';

/** The head of a case page: the way back to its list, the teacher (masked ID, gender), where it stands, and the page's buttons. */
export function CaseHeader({ listHref, listLabel, caseLabel, teacherName, teacherIdMasked, teacherGender, status, actions }: { listHref: string; listLabel: string; caseLabel: string; teacherName: string; teacherIdMasked: string; teacherGender: string; status: ReactNode; actions?: ReactNode }) {
  return (
    <header className="flex flex-wrap items-start justify-between gap-3">
      <div>
        <p className="text-xs text-slate-500">
          <Link href={listHref} className="text-brand-700 underline">
            {listLabel}
          </Link>{' '}
          / {caseLabel}
        </p>
        <h1 className="mt-1 text-xl font-semibold text-slate-900">
          {teacherName}
          <span className="ml-2 text-sm font-normal text-slate-500">
            {teacherIdMasked} · {teacherGender}
          </span>
        </h1>
        <div className="mt-1 flex flex-wrap items-center gap-2">{status}</div>
      </div>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </header>
  );
}

/** A case's facts as label and value pairs, two columns from small screens up. */
export function CaseFacts({ facts, children, testId }: { facts: [string, string][]; children?: ReactNode; testId?: string }) {
  return (
    <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-2" data-testid={testId}>
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs text-slate-500">{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      {children}
    </dl>
  );
}
