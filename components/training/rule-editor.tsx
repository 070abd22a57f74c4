'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { FormAlert } from '@/components/forms/field';
import { saveRuleAction } from '@/lib/training/actions';
import { trainingCategories, trainingLevels, type ConversionRule, type TrainingCategory, type TrainingLevel } from '@/lib/training/rules';

interface Row<K extends string> {
  category: K;
  credits: string;
}
interface FormRule {
  effectiveFrom: string;
  cycleYears: string;
  cycleStartYear: string;
  requiredHours: string;
  requiredCredits: string;
  conversions: { categories: TrainingCategory[]; levels: TrainingLevel[]; mode: 'hours' | 'credits'; value: string; principalFactor: string }[];
  capsPerYear: Row<TrainingCategory>[];
  capsPerCycle: Row<TrainingCategory>[];
  minimumsPerCycle: Row<TrainingCategory>[];
  offsets: { from: TrainingCategory; to: TrainingCategory }[];
  note: string;
}

const text = (value: number | undefined) => (value === undefined ? '' : String(value));

function toForm(rule: ConversionRule, effectiveFrom: string): FormRule {
  return {
    effectiveFrom,
    cycleYears: String(rule.cycleYears),
    cycleStartYear: String(rule.cycleStartYear),
    requiredHours: text(rule.requiredHours),
    requiredCredits: text(rule.requiredCredits),
    conversions: rule.conversions.map((c) => ({ categories: c.categories, levels: c.levels, mode: c.hoursPerCredit !== undefined ? 'hours' : 'credits', value: text(c.hoursPerCredit ?? c.creditsPerHour), principalFactor: String(c.principalFactor) })),
    capsPerYear: rule.capsPerYear.map((c) => ({ category: c.category, credits: String(c.credits) })),
    capsPerCycle: rule.capsPerCycle.map((c) => ({ category: c.category, credits: String(c.credits) })),
    minimumsPerCycle: rule.minimumsPerCycle.map((c) => ({ category: c.category, credits: String(c.credits) })),
    offsets: rule.offsets,
    note: '',
  };
}

const number = (value: string) => (value.trim() === '' ? undefined : Number(value));

function fromForm(form: FormRule) {
  return {
    effectiveFrom: form.effectiveFrom,
    cycleYears: number(form.cycleYears),
    cycleStartYear: number(form.cycleStartYear),
    requiredHours: number(form.requiredHours),
    requiredCredits: number(form.requiredCredits),
    conversions: form.conversions.map((c) => ({ categories: c.categories, levels: c.levels, ...(c.mode === 'hours' ? { hoursPerCredit: number(c.value) } : { creditsPerHour: number(c.value) }), principalFactor: number(c.principalFactor) ?? 1 })),
    capsPerYear: form.capsPerYear.map((c) => ({ category: c.category, credits: number(c.credits) })),
    capsPerCycle: form.capsPerCycle.map((c) => ({ category: c.category, credits: number(c.credits) })),
    minimumsPerCycle: form.minimumsPerCycle.map((c) => ({ category: c.category, credits: number(c.credits) })),
    offsets: form.offsets,
  };
}

const sectionNames: Record<string, string> = { conversions: '转化规则', capsPerYear: '每年上限', capsPerCycle: '周期上限', minimumsPerCycle: '周期最低要求', offsets: '类别抵扣' };

/** "第 2 条转化规则：每学分学时须大于 0" from a server path like rule.conversions.1.hoursPerCredit. */
function describeError(path: string, message: string): string {
  const parts = path.split('.');
  const section = parts[1];
  if (section && sectionNames[section] && parts[2] !== undefined) return `第 ${Number(parts[2]) + 1} 条${sectionNames[section]}：${message}`;
  return message;
}

const categoryOptions = Object.entries(trainingCategories) as [TrainingCategory, string][];

/** The province sysadmin's rule editor: a new version from a date, prefilled with the rule in force or an example. */
export function RuleEditor({ current, examples, today }: { current: ConversionRule; examples: { key: string; label: string; rule: ConversionRule }[]; today: string }) {
  const router = useRouter();
  const form = useForm<FormRule>({ defaultValues: toForm(current, today) });
  const conversions = useFieldArray({ control: form.control, name: 'conversions' });
  const lists = {
    capsPerYear: useFieldArray({ control: form.control, name: 'capsPerYear' }),
    capsPerCycle: useFieldArray({ control: form.control, name: 'capsPerCycle' }),
    minimumsPerCycle: useFieldArray({ control: form.control, name: 'minimumsPerCycle' }),
  };
  const offsets = useFieldArray({ control: form.control, name: 'offsets' });
  const [problems, setProblems] = useState<string[]>([]);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const watched = form.watch();

  const onSubmit = form.handleSubmit((data) =>
    startTransition(async () => {
      setMessage(null);
      setProblems([]);
      const result = await saveRuleAction({ rule: fromForm(data), note: data.note });
      if (!result.ok) {
        setProblems(Object.entries(result.fieldErrors ?? {}).flatMap(([path, messages]) => messages.map((m) => describeError(path, m))));
        return setMessage({ tone: 'error', text: result.message });
      }
      setMessage({ tone: 'success', text: `已保存为第 ${result.data.version} 版，自 ${data.effectiveFrom} 起用于学分确认；此前已确认的学分不变。` });
      router.refresh();
    }),
  );
  const checkboxes = <K extends string>(options: [K, string][], value: K[], onChange: (next: K[]) => void, label: string) => (
    <fieldset className="flex flex-wrap gap-x-3 gap-y-1">
      <legend className="sr-only">{label}</legend>
      {options.map(([code, name]) => (
        <label key={code} className="flex items-center gap-1 text-xs">
          <input type="checkbox" checked={value.includes(code)} onChange={(e) => onChange(e.target.checked ? [...value, code] : value.filter((c) => c !== code))} />
          {name}
        </label>
      ))}
    </fieldset>
  );

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <div className="card flex flex-wrap items-center gap-2 p-3 text-sm">
        <span className="text-slate-600">从示例填入：</span>
        {examples.map((example) => (
          <button key={example.key} type="button" className="btn-secondary" onClick={() => form.reset(toForm(example.rule, form.getValues('effectiveFrom')))}>
            {example.label}
          </button>
        ))}
      </div>
      <section className="card grid gap-3 p-4 sm:grid-cols-3">
        <label className="text-sm">
          生效日期 *
          <input type="date" lang="zh-CN" min={today} className="input mt-1" {...form.register('effectiveFrom')} data-testid="rule-effective-from" />
        </label>
        <label className="text-sm">
          周期年数
          <input inputMode="numeric" className="input mt-1" {...form.register('cycleYears')} />
        </label>
        <label className="text-sm">
          周期起算年份
          <input inputMode="numeric" className="input mt-1" {...form.register('cycleStartYear')} />
        </label>
        <label className="text-sm">
          周期学时要求
          <input inputMode="numeric" className="input mt-1" placeholder="如 360" {...form.register('requiredHours')} />
        </label>
        <label className="text-sm">
          周期学分要求
          <input inputMode="decimal" className="input mt-1" placeholder="不要求可不填" {...form.register('requiredCredits')} />
        </label>
      </section>
      <section className="card space-y-3 p-4" aria-labelledby="conversions-title">
        <h2 id="conversions-title" className="text-sm font-semibold text-slate-700">
          转化规则 <span className="font-normal text-slate-500">（按顺序取第一条适用的；不选类别或级别表示全部）</span>
        </h2>
        {conversions.fields.map((field, index) => (
          <div key={field.id} className="space-y-2 rounded-md border border-slate-200 p-3">
            <div className="flex items-center justify-between text-xs text-slate-500">
              <span>第 {index + 1} 条</span>
              <button type="button" className="text-red-700 underline" onClick={() => conversions.remove(index)}>
                删除
              </button>
            </div>
            {checkboxes(categoryOptions, watched.conversions[index]?.categories ?? [], (next) => form.setValue(`conversions.${index}.categories`, next), '培训类别')}
            {checkboxes(Object.entries(trainingLevels) as [TrainingLevel, string][], watched.conversions[index]?.levels ?? [], (next) => form.setValue(`conversions.${index}.levels`, next), '项目级别')}
            <div className="flex flex-wrap items-end gap-2 text-sm">
              <select aria-label={`第 ${index + 1} 条的折算方式`} className="input w-36" {...form.register(`conversions.${index}.mode`)}>
                <option value="hours">每学分学时</option>
                <option value="credits">每学时学分</option>
              </select>
              <input aria-label={`第 ${index + 1} 条的折算值`} inputMode="decimal" className="input w-24" {...form.register(`conversions.${index}.value`)} />
              <label className="flex items-center gap-1">
                校长培训计入比例
                <input inputMode="decimal" className="input w-20" {...form.register(`conversions.${index}.principalFactor`)} />
              </label>
            </div>
          </div>
        ))}
        <button type="button" className="btn-secondary" onClick={() => conversions.append({ categories: [], levels: [], mode: 'hours', value: '', principalFactor: '1' })}>
          添加转化规则
        </button>
      </section>
      <section className="card grid gap-4 p-4 lg:grid-cols-3">
        {(Object.keys(lists) as (keyof typeof lists)[]).map((key) => (
          <div key={key} className="space-y-2">
            <h2 className="text-sm font-semibold text-slate-700">{sectionNames[key]}（学分）</h2>
            {lists[key].fields.map((field, index) => (
              <div key={field.id} className="flex items-center gap-2">
                <select aria-label={`${sectionNames[key]}第 ${index + 1} 条的类别`} className="input" {...form.register(`${key}.${index}.category`)}>
                  {categoryOptions.map(([code, name]) => (
                    <option key={code} value={code}>
                      {name}
                    </option>
                  ))}
                </select>
                <input aria-label={`${sectionNames[key]}第 ${index + 1} 条的学分`} inputMode="decimal" className="input w-20" {...form.register(`${key}.${index}.credits`)} />
                <button type="button" className="text-xs text-red-700 underline" onClick={() => lists[key].remove(index)}>
                  删除
                </button>
              </div>
            ))}
            <button type="button" className="btn-secondary" onClick={() => lists[key].append({ category: '01', credits: '' })}>
              添加
            </button>
          </div>
        ))}
      </section>
      <section className="card space-y-2 p-4">
        <h2 className="text-sm font-semibold text-slate-700">类别抵扣（超出本类最低要求的学分可抵另一类的不足）</h2>
        {offsets.fields.map((field, index) => (
          <div key={field.id} className="flex flex-wrap items-center gap-2 text-sm">
            <select aria-label={`第 ${index + 1} 条抵扣的来源类别`} className="input w-44" {...form.register(`offsets.${index}.from`)}>
              {categoryOptions.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
            可抵
            <select aria-label={`第 ${index + 1} 条抵扣的目标类别`} className="input w-44" {...form.register(`offsets.${index}.to`)}>
              {categoryOptions.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
            <button type="button" className="text-xs text-red-700 underline" onClick={() => offsets.remove(index)}>
              删除
            </button>
          </div>
        ))}
        <button type="button" className="btn-secondary" onClick={() => offsets.append({ from: '01', to: '02' })}>
          添加抵扣
        </button>
      </section>
      <section className="card space-y-2 p-4">
        <label className="block text-sm">
          修订说明
          <input className="input mt-1" maxLength={200} {...form.register('note')} />
        </label>
        {message && <FormAlert tone={message.tone} message={message.text} />}
        {problems.length > 0 && (
          <ul className="list-disc pl-5 text-sm text-red-700" data-testid="rule-problems">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
        <div className="flex justify-end">
          <button type="submit" className="btn-primary" disabled={pending} data-testid="rule-save">
            {pending ? '正在保存…' : '保存为新版本'}
          </button>
        </div>
      </section>
    </form>
  );
}

