'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState, useTransition } from 'react';
import { useFieldArray, useForm, type Resolver } from 'react-hook-form';
import { saveIndicatorSettingsAction } from '@/lib/indicators/actions';
import { FormAlert } from '@/components/forms/field';
import { fieldId, nationalCatalogue } from '@/lib/indicators/catalogue';
import { customFieldTypeNames, saveIndicatorSettingsSchema, settingsToForm, type SaveIndicatorSettingsInput } from '@/lib/indicators/schemas';
import { stages, teacherMayEverFill, type ProvinceSettings } from '@/lib/indicators/settings';
import { stageNames } from '@/lib/reference/school-types';
import { showFieldErrors } from '@/components/forms/field-errors';
import { TableFrame } from '@/components/ui/table-frame';

type FormValues = SaveIndicatorSettingsInput;

type Message = { tone: 'error' | 'success'; text: string } | null;

/**
 * The province's indicator selection (seed 三(三), 四(三)): national optional ones, its own, and what
 * teachers fill. The form starts afresh for each saved version; the message outlives it.
 */
export function IndicatorSettingsForm({ version, settings }: { version: number; settings: ProvinceSettings }) {
  const [message, setMessage] = useState<Message>(null);
  return <SettingsFormBody key={version} version={version} settings={settings} message={message} setMessage={setMessage} />;
}

function SettingsFormBody({ version, settings, message, setMessage }: { version: number; settings: ProvinceSettings; message: Message; setMessage: (message: Message) => void }) {
  const form = useForm<FormValues>({ resolver: zodResolver(saveIndicatorSettingsSchema) as Resolver<FormValues>, defaultValues: settingsToForm(version, settings) });
  const custom = useFieldArray({ control: form.control, name: 'custom' });
  const [pending, startTransition] = useTransition();
  const excluded = new Set(form.watch('excluded'));
  const selfFillable = form.watch('selfFillable');
  const customValues = form.watch('custom');
  const errors = form.formState.errors;

  const toggleExcluded = (id: string) => {
    const next = new Set(excluded);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    form.setValue('excluded', [...next], { shouldDirty: true });
  };
  const toggleSelf = (stage: (typeof stages)[number], id: string) => {
    const current = new Set(selfFillable[stage]);
    if (current.has(id)) current.delete(id);
    else current.add(id);
    form.setValue(`selfFillable.${stage}`, [...current], { shouldDirty: true });
  };

  const onSubmit = form.handleSubmit((data) => {
    setMessage(null);
    startTransition(async () => {
      const result = await saveIndicatorSettingsAction(data);
      if (!result.ok) {
        showFieldErrors(form.setError, result.fieldErrors);
        setMessage({ tone: 'error', text: result.message });
        return;
      }
      form.setValue('baseVersion', result.data.version);
      form.setValue('note', '');
      setMessage({ tone: 'success', text: `已保存为第 ${result.data.version} 版，新的指标立即用于在线填报和导入模板。` });
    });
  });

  // Rows of the self-fill matrix: national and live custom indicators a teacher may ever fill.
  const selfRows = nationalCatalogue
    .filter((subset) => !subset.schoolOnly)
    .map((subset) => ({
      subset,
      fields: [
        ...subset.fields.filter((field) => teacherMayEverFill(subset, field) && (field.core || !excluded.has(fieldId(subset.key, field.key)))).map((field) => ({ id: fieldId(subset.key, field.key), label: field.label })),
        ...customValues.filter((c) => c.subset === subset.key && c.key && !c.dropped).map((c) => ({ id: fieldId(subset.key, c.key!), label: `${c.label}（省级）` })),
      ],
    }));

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <section className="card p-4">
        <h2 className="mb-1 font-semibold">国家指标选用</h2>
        <p className="mb-3 text-sm text-slate-600">国家核心指标必须采集；其他国家指标可按需取消选用。取消后该指标在表单和模板中隐藏，已填数据保留。</p>
        <div className="space-y-3">
          {nationalCatalogue.map((subset) => (
            <fieldset key={subset.key}>
              <legend className="text-sm font-medium text-slate-800">{subset.label}</legend>
              <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                {subset.fields.map((field) => {
                  const id = fieldId(subset.key, field.key);
                  return (
                    <label key={id} className="flex items-center gap-1.5 text-sm">
                      <input type="checkbox" className="h-4 w-4" checked={field.core || !excluded.has(id)} disabled={field.core} onChange={() => toggleExcluded(id)} />
                      {field.label}
                      {field.core && <span className="text-[11px] text-slate-500">核心</span>}
                    </label>
                  );
                })}
              </div>
            </fieldset>
          ))}
        </div>
      </section>

      <section className="card p-4">
        <h2 className="mb-1 font-semibold">省级扩展指标</h2>
        <p className="mb-3 text-sm text-slate-600">在信息集中增加本省指标。已保存的指标不能改类型，可停用（数据保留）；代码类指标的选项只能在末尾增加。</p>
        <div className="space-y-3">
          {custom.fields.map((item, index) => {
            const value = customValues[index];
            const isCode = value?.type === 'code' || value?.type === 'codes';
            const err = errors.custom?.[index];
            return (
              <div key={item.id} className={`grid gap-3 rounded-md border p-3 sm:grid-cols-6 ${value?.dropped ? 'border-dashed border-slate-300 opacity-60' : 'border-slate-200'}`} data-testid="custom-indicator">
                <label className="text-xs text-slate-600 sm:col-span-2">
                  指标名称
                  <input className="input mt-1" {...form.register(`custom.${index}.label`)} aria-invalid={!!err?.label || undefined} />
                  {err?.label && <span className="text-xs text-red-600">{err.label.message}</span>}
                </label>
                <label className="text-xs text-slate-600">
                  所属信息集
                  {value?.key ? (
                    <span className="mt-1 block py-2 text-sm text-slate-800">{nationalCatalogue.find((s) => s.key === value.subset)?.label}</span>
                  ) : (
                    <select className="input mt-1" {...form.register(`custom.${index}.subset`)}>
                      {nationalCatalogue.map((subset) => <option key={subset.key} value={subset.key}>{subset.label}</option>)}
                    </select>
                  )}
                </label>
                <label className="text-xs text-slate-600">
                  类型
                  {value?.key ? (
                    <span className="mt-1 block py-2 text-sm text-slate-800">{customFieldTypeNames[value.type]}</span>
                  ) : (
                    <select className="input mt-1" {...form.register(`custom.${index}.type`)}>
                      {Object.entries(customFieldTypeNames).map(([key, name]) => <option key={key} value={key}>{name}</option>)}
                    </select>
                  )}
                  {err?.type && <span className="text-xs text-red-600">{err.type.message}</span>}
                </label>
                <div className="flex flex-col justify-end gap-2 text-sm sm:col-span-2 sm:flex-row sm:items-end sm:justify-start">
                  <label className="flex items-center gap-1.5">
                    <input type="checkbox" className="h-4 w-4" {...form.register(`custom.${index}.required`)} />
                    必填
                  </label>
                  {value?.key ? (
                    <button type="button" className="btn-secondary" onClick={() => form.setValue(`custom.${index}.dropped`, !value.dropped, { shouldDirty: true })}>
                      {value.dropped ? '恢复' : '停用'}
                    </button>
                  ) : (
                    <button type="button" className="btn-danger" onClick={() => custom.remove(index)}>移除</button>
                  )}
                </div>
                {isCode && (
                  <label className="text-xs text-slate-600 sm:col-span-6">
                    选项（每行一个）
                    <textarea rows={3} className="input mt-1" {...form.register(`custom.${index}.optionLines`)} aria-invalid={!!err?.optionLines || undefined} />
                    {err?.optionLines && <span className="text-xs text-red-600">{err.optionLines.message}</span>}
                  </label>
                )}
              </div>
            );
          })}
        </div>
        <button type="button" className="btn-secondary mt-3" onClick={() => custom.append({ subset: 'basic', label: '', type: 'text', required: false, optionLines: '', dropped: false })}>
          + 新增省级指标
        </button>
      </section>

      <section className="card p-4">
        <h2 className="mb-1 font-semibold">教师本人可填报的指标</h2>
        <p className="mb-3 text-sm text-slate-600">按学段设定。年度考核、基本待遇、师德信息和专业技术职务聘任由学校或教育行政部门统一填报，不在此列。新增的省级指标保存后出现在这里。</p>
        <TableFrame label="各学段自填规则" card={false} maxHeight="32rem">
          <table className="w-full text-sm">
            <thead className="table-head sticky top-0 z-10">
              <tr>
                <th className="px-3 py-2">指标</th>
                {stages.map((stage) => <th key={stage} className="px-2 py-2 text-center">{stageNames[stage]}</th>)}
              </tr>
            </thead>
            <tbody>
              {selfRows.map(({ subset, fields }) => [
                <tr key={subset.key} className="bg-slate-50">
                  <td colSpan={stages.length + 1} className="px-3 py-1 text-xs font-semibold text-slate-600">{subset.label}</td>
                </tr>,
                ...fields.map((field) => (
                  <tr key={field.id} className="border-t border-slate-100">
                    <td className="px-3 py-1.5">{field.label}</td>
                    {stages.map((stage) => (
                      <td key={stage} className="px-2 py-1.5 text-center">
                        <input type="checkbox" aria-label={`${stageNames[stage]}：${field.label}`} className="h-4 w-4" checked={selfFillable[stage].includes(field.id)} onChange={() => toggleSelf(stage, field.id)} />
                      </td>
                    ))}
                  </tr>
                )),
              ])}
            </tbody>
          </table>
        </TableFrame>
      </section>

      <section className="card flex flex-col gap-3 p-4 sm:flex-row sm:items-end">
        <label className="flex-1 text-xs text-slate-600">
          修改说明（记入版本记录）
          <input className="input mt-1" {...form.register('note')} placeholder="如：增加山区任教年限指标" />
        </label>
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? '正在保存…' : '保存为新版本'}</button>
      </section>
      <FormAlert tone={message?.tone} message={message?.text} />
    </form>
  );
}
