'use client';

/** Opens the browser's print dialog; hidden on paper. */
export function PrintButton({ label = '打印' }: { label?: string }) {
  return (
    <button type="button" className="btn-primary print:hidden" onClick={() => window.print()}>
      {label}
    </button>
  );
}
