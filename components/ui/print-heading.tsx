import { formatDateTime } from '@/lib/format';
import { PrintButton } from './print-button';

/**
 * What a printed (or saved-as-PDF) report or dashboard says on its first page: the unit, the title,
 * the data scope and when and by whom it was printed. Page numbers come from the @page rule in
 * globals.css. On screen only the button shows.
 */
export function PrintHeading({ unitName, title, official, filterText, printedBy }: { unitName: string; title: string; official: boolean; filterText?: string; printedBy: string }) {
  return (
    <div className="hidden border-b border-slate-400 pb-2 print:block" data-testid="print-heading">
      <p className="text-center text-lg font-semibold">
        {unitName} {title}
      </p>
      <p className="mt-1 flex flex-wrap justify-between gap-2 text-xs">
        <span>数据口径：{official ? '正式数据（仅统计主管部门审核生效的记录）' : '含未审核的工作数据（非正式统计数据）'}{filterText ? `；筛选：${filterText}` : ''}</span>
        <span>
          打印时间：{formatDateTime(new Date())} · 打印人：{printedBy}
        </span>
      </p>
    </div>
  );
}

/** The on-screen button that prints, or saves as PDF from the same dialog. */
export function PrintOrPdfButton() {
  return <PrintButton label="打印 / 导出 PDF" tone="secondary" />;
}
