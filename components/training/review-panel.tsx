'use client';

import { useState } from 'react';
import { reviewSubmissionAction } from '@/lib/training/actions';
import { StepButtons, type StepButton } from './step-buttons';
import { hoursText } from './labels';
import { TableFrame } from '@/components/ui/table-frame';

interface Row {
  id: number;
  teacherName: string;
  teacherIdMasked: string;
  schoolName: string;
  attendedHours: number | null;
  passed: boolean | null;
  score: number | null;
  certificateNo: string | null;
}

/**
 * 学分确认: the confirming authority checks the institution's results (all of them, or a random
 * sample), then confirms all, confirms the ticked ones and returns the rest, or returns all.
 */
export function ReviewPanel({ projectId, submissionId, rows, total, steps, sampled }: { projectId: number; submissionId: number; rows: Row[]; total: number; steps: StepButton[]; sampled: boolean }) {
  const [chosen, setChosen] = useState<number[]>([]);
  const some = chosen.length > 0;
  // Ticking rows turns 全部确认 into 确认所选; the step table has the same two steps.
  const visible = steps.filter((step) => (some ? step.action !== 'confirm' : step.action !== 'confirmSome'));
  return (
    <div className="space-y-3">
      <TableFrame label="培训结果" sticky={2} card={false} maxHeight="28rem">
        <table className="w-full text-sm" data-testid="review-table">
          <thead className="table-head sticky top-0">
            <tr>
              <th className="px-3 py-2">
                <span className="sr-only">选择</span>
              </th>
              <th className="px-3 py-2">教师</th>
              <th className="px-3 py-2">学校</th>
              <th className="px-3 py-2 text-right">实际学时</th>
              <th className="px-3 py-2">考核</th>
              <th className="px-3 py-2">证书编号</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id}>
                <td className="px-3 py-2">
                  <input type="checkbox" aria-label={`选择${row.teacherName}`} checked={chosen.includes(row.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, row.id] : chosen.filter((id) => id !== row.id))} />
                </td>
                <td className="px-3 py-2">
                  {row.teacherName}
                  <span className="block text-xs text-slate-500">{row.teacherIdMasked}</span>
                </td>
                <td className="px-3 py-2">{row.schoolName}</td>
                <td className="px-3 py-2 text-right tabular-nums">{hoursText(row.attendedHours)}</td>
                <td className="px-3 py-2">{row.passed ? '合格' : '不合格'}{row.score !== null ? `（${row.score}）` : ''}</td>
                <td className="px-3 py-2 font-mono text-xs">{row.certificateNo ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      <p className="text-xs text-slate-500">
        {sampled ? `随机抽查 ${rows.length} 条（共 ${total} 条待确认）。` : rows.length < total ? `列出前 ${rows.length} 条，共 ${total} 条待确认。` : `共 ${total} 条待确认。`}
        {some ? `已选 ${chosen.length} 人：确认所选，其余退回培训机构修改。` : '不勾选时“全部确认”确认全部结果；勾选后可只确认所选。'}
      </p>
      <StepButtons
        steps={visible}
        description="确认后按各教师所在省份当前的学时学分转化规则计算学分，写入教师的“培训研修”信息；退回须说明原因。"
        testIdPrefix="training-review"
        run={(action, reason) => reviewSubmissionAction({ projectId, id: submissionId, action: action === 'return' ? 'return' : 'confirm', participantIds: action === 'confirmSome' ? chosen : [], reason })}
      />
    </div>
  );
}
