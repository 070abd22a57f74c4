'use client';

/** Opens the browser's print dialog (which also saves as PDF); hidden on paper. */
export function PrintButton({ label = '打印', tone = 'primary' }: { label?: string; tone?: 'primary' | 'secondary' }) {
  return (
    <button type="button" className={`${tone === 'primary' ? 'btn-primary' : 'btn-secondary'} print:hidden`} onClick={() => window.print()} data-testid="print-button">
      {label}
    </button>
  );
}
