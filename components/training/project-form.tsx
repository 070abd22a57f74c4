'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Controller, useForm, type Resolver } from 'react-hook-form';
import { z } from 'zod';
import { CodeMultiSelect } from '@/components/forms/code-select';
import { Field, FormAlert } from '@/components/forms/field';
import { codeTables } from '@/lib/indicators/code-tables';
import { registerProjectAction } from '@/lib/training/actions';
import { trainingCategories } from '@/lib/training/rules';
import { registerProjectSchema } from '@/lib/training/schemas';
import { showFieldErrors } from '@/components/forms/field-errors';

type ProjectForm = z.input<typeof registerProjectSchema>;

/** 登记培训项目 (an authority) or 申报校本研修项目 (a school, approved by its authority). */
export function ProjectForm({ institutions, school, levelName, year }: { institutions: { id: number; code: string; name: string }[]; school: boolean; levelName: string; year: number }) {
  const router = useRouter();
  const form = useForm<ProjectForm>({
    resolver: zodResolver(registerProjectSchema) as unknown as Resolver<ProjectForm>,
    defaultValues: { code: '', name: '', category: school ? '04' : '01', year, startDate: '', endDate: '', plannedHours: '' as unknown as number, capacity: '' as unknown as number, stages: [], subjects: [], forPrincipals: false, nominationOpen: false, institutionIds: [], description: '' },
  });
  const [subjects, setSubjects] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const errors = form.formState.errors;
  const aria = (name: string, error?: unknown) => ({ 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${name}-error` : undefined });

  const onSubmit = form.handleSubmit((data) =>
    startTransition(async () => {
      setMessage(null);
      const result = await registerProjectAction({ ...data, subjects: subjects.split(/[,，、\s]+/).filter(Boolean) });
      if (!result.ok) {
        showFieldErrors(form.setError, result.fieldErrors);
        setMessage(result.message);
        return;
      }
      router.push(`/training/projects/${result.data.projectId}`);
    }),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="card max-w-3xl space-y-4 p-4">
      <FormAlert message={message} />
      <p className="text-sm text-slate-600">
        项目级别：<strong>{levelName}</strong>（由登记单位的层级决定）
        {school && '。校本研修项目提交后由学校的主管教育行政部门审核，通过后方可报名。'}
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="code" label="项目编号 *" error={errors.code?.message} hint="本系统内唯一，如 2026-XC-001">
          <input id="code" className="input font-mono" autoComplete="off" {...aria('code', errors.code)} {...form.register('code')} />
        </Field>
        <Field id="name" label="项目名称 *" error={errors.name?.message}>
          <input id="name" className="input" {...aria('name', errors.name)} {...form.register('name')} />
        </Field>
        {school ? (
          <div className="space-y-1">
            <p className="block text-sm font-medium text-slate-700">培训类别</p>
            <p className="input bg-slate-50">校本研修</p>
          </div>
        ) : (
          <Field id="category" label="培训类别 *" error={errors.category?.message}>
            <select id="category" className="input" {...aria('category', errors.category)} {...form.register('category')}>
              {Object.entries(trainingCategories).map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id="year" label="项目年度 *" error={errors.year?.message}>
          <input id="year" type="number" inputMode="numeric" className="input" {...aria('year', errors.year)} {...form.register('year')} />
        </Field>
        <Field id="startDate" label="开始日期 *" error={errors.startDate?.message}>
          <input id="startDate" type="date" lang="zh-CN" className="input" {...aria('startDate', errors.startDate)} {...form.register('startDate')} />
        </Field>
        <Field id="endDate" label="结束日期 *" error={errors.endDate?.message}>
          <input id="endDate" type="date" lang="zh-CN" className="input" {...aria('endDate', errors.endDate)} {...form.register('endDate')} />
        </Field>
        <Field id="plannedHours" label="计划学时 *" error={errors.plannedHours?.message}>
          <input id="plannedHours" inputMode="decimal" className="input" {...aria('plannedHours', errors.plannedHours)} {...form.register('plannedHours')} />
        </Field>
        <Field id="capacity" label="计划人数 *" error={errors.capacity?.message}>
          <input id="capacity" inputMode="numeric" className="input" {...aria('capacity', errors.capacity)} {...form.register('capacity')} />
        </Field>
        <Field id="stages" label="面向学段" error={errors.stages?.message} hint="不选：面向所有学段">
          <Controller control={form.control} name="stages" render={({ field }) => <CodeMultiSelect id="stages" options={codeTables.teachingStage} value={field.value ?? []} onChange={field.onChange} />} />
        </Field>
        <Field id="subjects" label="面向学科" hint="多个学科用逗号或顿号分隔；不填：所有学科">
          <input id="subjects" className="input" value={subjects} onChange={(e) => setSubjects(e.target.value)} />
        </Field>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">承训机构{school ? '' : ' *'}</legend>
        {institutions.length === 0 ? (
          <p className="text-sm text-slate-500">{school ? '主管部门尚未登记培训机构。未指定承训机构的校本研修，参训教师完成后在“申报校本研修、自主研修学时”中申报学时，经学校和主管部门审核确认。' : '本单位尚未登记培训机构，请先在“培训机构”中登记或添加。'}</p>
        ) : (
          <Controller
            control={form.control}
            name="institutionIds"
            render={({ field }) => (
              <div className="grid gap-1 sm:grid-cols-2">
                {institutions.map((institution) => (
                  <label key={institution.id} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      checked={(field.value ?? []).includes(institution.id)}
                      onChange={(e) => field.onChange(e.target.checked ? [...(field.value ?? []), institution.id] : (field.value ?? []).filter((id) => id !== institution.id))}
                    />
                    {institution.name}
                    <span className="font-mono text-xs text-slate-500">{institution.code}</span>
                  </label>
                ))}
              </div>
            )}
          />
        )}
        {errors.institutionIds?.message && (
          <p className="text-xs text-red-600" role="alert">
            {errors.institutionIds.message}
          </p>
        )}
      </fieldset>
      <div className="flex flex-wrap gap-4 text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" {...form.register('forPrincipals')} />
          校长（园长）及学校管理人员培训
        </label>
        {!school && (
          <label className="flex items-center gap-2">
            <input type="checkbox" {...form.register('nominationOpen')} />
            开放下级学校推荐参训教师
          </label>
        )}
      </div>
      <Field id="description" label="项目说明" error={errors.description?.message}>
        <textarea id="description" className="input min-h-20" maxLength={1000} {...form.register('description')} />
      </Field>
      <div className="flex justify-end">
        <button type="submit" className="btn-primary" disabled={pending} data-testid="training-project-submit">
          {pending ? '正在提交…' : school ? '提交审核' : '登记项目'}
        </button>
      </div>
    </form>
  );
}
