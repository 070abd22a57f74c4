import { describeProblem, type CompletenessProblem } from '@/lib/teachers/completeness';
import { basicSubsetKey } from '@/lib/indicators/catalogue';
import type { RecordValues } from '@/lib/indicators/form-schema';
import { recordStateNames } from '@/lib/teachers/schemas';
import type { TeacherRecordView } from '@/lib/teachers/queries';
import { EntryList } from './entry-list';
import { IdNumberReveal, PhotoBlock } from './record-header';
import { SectionForm } from './section-form';

const stateStyles = { draft: 'bg-amber-50 text-amber-800', submitted: 'bg-blue-50 text-blue-800', effective: 'bg-green-50 text-green-800' } as const;

/** The whole record, every configured subset; the same page serves staff and the teacher on a phone. */
export function TeacherRecord({ view, audience }: { view: TeacherRecordView; audience: 'staff' | 'teacher' }) {
  const basic = view.record[basicSubsetKey] ?? {};
  const photoField = view.catalogue.subsets[0].fields.find((field) => field.type === 'photo');
  const canUploadPhoto = Boolean(photoField) && (audience === 'teacher' ? view.catalogue.selfFillable.includes(photoField!.id) : view.editable[basicSubsetKey].length > 0);
  const noteFor = (schoolOnly: boolean) => (audience === 'teacher' ? (schoolOnly ? '由学校或教育行政部门填报' : '由学校填报') : '只读');
  return (
    <div className="space-y-4">
      <section className="card flex gap-4 p-4">
        {photoField && <PhotoBlock teacherId={view.id} hasPhoto={view.hasPhoto} canUpload={canUploadPhoto} version={view.updatedAt.toISOString()} />}
        <div className="min-w-0 flex-1 space-y-1 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <h2 className="text-lg font-semibold text-slate-900" data-testid="teacher-name">{view.name}</h2>
            <span className={`rounded px-2 py-0.5 text-xs ${stateStyles[view.recordState]}`} data-testid="record-state">
              {recordStateNames[view.recordState]}
            </span>
          </div>
          <p className="text-slate-600">
            证件号码：
            <IdNumberReveal teacherId={view.id} masked={view.idNumberMasked} full={view.idNumberFull} mayReveal={view.mayReveal} />
          </p>
          <p className="text-slate-600">
            {view.unitName}（{view.unitCode}）· {view.stageName}
          </p>
          {view.recordState === 'submitted' && <p className="text-xs text-slate-500">记录已报送，审核期间不能修改。</p>}
          {view.recordState === 'effective' && <p className="text-xs text-slate-500">记录已生效（第 {view.effectiveVersion} 版），修改须通过变更申请。</p>}
          {typeof basic.staffNumber === 'string' && <p className="text-slate-600">教职工号：{basic.staffNumber}</p>}
        </div>
      </section>

      {view.completeness && <CompletenessPanel problems={view.completeness} audience={audience} />}

      <nav aria-label="信息集" className="-mx-1 flex gap-1 overflow-x-auto pb-1 text-sm sm:flex-wrap sm:overflow-visible">
        {view.catalogue.subsets.map((subset) => (
          <a key={subset.key} href={`#subset-${subset.key}`} className="shrink-0 rounded-full border border-slate-200 bg-white px-3 py-1 text-slate-700 hover:border-brand-600">
            {subset.label}
            {subset.multi && <span className="ml-1 text-xs text-slate-500">{view.entries[subset.key]?.length ?? 0}</span>}
          </a>
        ))}
      </nav>

      {view.catalogue.subsets.map((subset) => (
        <section key={subset.key} id={`subset-${subset.key}`} className="card scroll-mt-20 p-4" data-testid={`subset-${subset.key}`}>
          <header className="mb-3 flex flex-wrap items-center gap-2">
            <h3 className="font-semibold text-slate-900">{subset.label}</h3>
            {subset.schoolOnly && <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600">由学校或教育行政部门填报</span>}
            {audience === 'teacher' && !subset.schoolOnly && view.editable[subset.key].length > 0 && (
              <span className="rounded bg-brand-50 px-2 py-0.5 text-xs text-brand-700">可本人填报 {view.editable[subset.key].length} 项</span>
            )}
            {audience === 'teacher' && view.changeable[subset.key].length > 0 && (
              <span className="rounded bg-brand-50 px-2 py-0.5 text-xs text-brand-700">可申请更正 {view.changeable[subset.key].length} 项</span>
            )}
          </header>
          {subset.multi ? (
            <EntryList
              teacherId={view.id}
              subset={subset}
              entries={view.entries[subset.key] ?? []}
              editable={view.editable[subset.key]}
              changeable={view.changeable[subset.key]}
              addable={view.addable[subset.key]}
              // A teacher corrects entries; deleting one is the school's request.
              mayRequestDelete={audience === 'staff'}
              readOnlyNote={noteFor(subset.schoolOnly)}
            />
          ) : (
            <SectionForm
              teacherId={view.id}
              revision={view.revision}
              subset={subset}
              values={(view.record[subset.key] ?? {}) as RecordValues}
              editable={view.editable[subset.key]}
              changeable={view.changeable[subset.key]}
              readOnlyNote={noteFor(subset.schoolOnly)}
            />
          )}
        </section>
      ))}
    </div>
  );
}

/** A draft says up front what the completeness check at reporting would refuse, with links to the subsets. */
function CompletenessPanel({ problems, audience }: { problems: CompletenessProblem[]; audience: 'staff' | 'teacher' }) {
  if (problems.length === 0) {
    return (
      <p className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900" data-testid="completeness">
        记录已完整，{audience === 'teacher' ? '学校可以报送。' : '可以报送审核。'}
      </p>
    );
  }
  return (
    <section className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="completeness">
      <h2 className="font-medium">报送前还须完善 {problems.length} 处：</h2>
      <ul className="mt-1 list-disc space-y-0.5 pl-5">
        {problems.slice(0, 8).map((problem, i) => (
          <li key={i}>
            <a href={`#subset-${problem.subset}`} className="underline">
              {describeProblem(problem)}
            </a>
          </li>
        ))}
        {problems.length > 8 && <li>另有 {problems.length - 8} 处</li>}
      </ul>
    </section>
  );
}
