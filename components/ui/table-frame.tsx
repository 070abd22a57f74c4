'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * The one frame for every console table. Cells do not wrap (codes, dates and short labels stay on one
 * line; a cell marked `cell-wrap` may wrap), the first column (or the first two, when the first is a
 * selection box) stays in view while the rest scrolls, and a table wider than the screen says so: a
 * line above it and a shade at the edge that still hides columns. The styles live in globals.css.
 */
export function TableFrame({ children, label, sticky = 1, card = true, maxHeight, className = '', testId }: { children: ReactNode; label: string; sticky?: 0 | 1 | 2; card?: boolean; maxHeight?: string; className?: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflow, setOverflow] = useState({ wide: false, atStart: true, atEnd: true });

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const wide = element.scrollWidth > element.clientWidth + 1;
      setOverflow({ wide, atStart: element.scrollLeft <= 1, atEnd: element.scrollLeft + element.clientWidth >= element.scrollWidth - 1 });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    element.addEventListener('scroll', measure, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', measure);
    };
  }, []);

  return (
    <div className={`${card ? 'card' : 'rounded-md border border-slate-200'} ${className}`} data-testid={testId}>
      {overflow.wide && (
        <p className="border-b border-slate-100 px-3 py-1 text-xs text-slate-600" data-testid="table-scroll-cue">
          表格较宽，可左右滑动查看其余各列 <span aria-hidden="true">→</span>
        </p>
      )}
      <div className="relative">
        <div
          ref={ref}
          // A scrolling region must be reachable by keyboard (WCAG 2.1.1) and named for screen readers.
          tabIndex={overflow.wide ? 0 : undefined}
          role="region"
          aria-label={label}
          className="table-frame overflow-auto focus-visible:outline-2 focus-visible:outline-brand-600"
          data-sticky={sticky || undefined}
          data-scrolled={overflow.atStart ? undefined : ''}
          style={maxHeight ? { maxHeight } : undefined}
        >
          {children}
        </div>
        {overflow.wide && !overflow.atEnd && <div aria-hidden="true" className="pointer-events-none absolute inset-y-0 right-0 w-8 bg-gradient-to-l from-slate-900/10 to-transparent" />}
      </div>
    </div>
  );
}
