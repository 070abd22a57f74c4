import Link from 'next/link';

/** The views of a case list (待我处理, 派出, 交流来校 …) as tabs; the current one is marked for assistive technology too. */
export function ViewTabs<V extends string>({ label, views, names, current, hrefOf }: { label: string; views: readonly V[]; names: Record<V, string>; current: V; hrefOf: (view: V) => string }) {
  return (
    <nav aria-label={label} className="flex flex-wrap gap-1 border-b border-slate-200">
      {views.map((key) => (
        <Link
          key={key}
          href={hrefOf(key)}
          aria-current={key === current ? 'page' : undefined}
          className={`-mb-px border-b-2 px-3 py-2 text-sm ${key === current ? 'border-brand-600 font-semibold text-brand-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
        >
          {names[key]}
        </Link>
      ))}
    </nav>
  );
}
