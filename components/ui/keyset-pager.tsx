import Link from 'next/link';

/** Footer of a keyset-paginated list: back to the first page, and on to the next when there is one. */
export function KeysetPager({ firstHref, nextHref, firstLabel = '回到第一页', nextLabel = '下一页' }: { firstHref: string | null; nextHref: string | null; firstLabel?: string; nextLabel?: string }) {
  if (!firstHref && !nextHref) return null;
  return (
    <div className="flex justify-between text-sm">
      {firstHref ? <Link href={firstHref} className="text-brand-600 hover:underline">{firstLabel}</Link> : <span />}
      {nextHref && <Link href={nextHref} className="text-brand-600 hover:underline">{nextLabel}</Link>}
    </div>
  );
}
