'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { useForm, type Resolver, type UseFormReturn } from 'react-hook-form';
import { Field, FormAlert } from '@/components/forms/field';
import { codeTables } from '@/lib/indicators/code-tables';
import { linkInstitutionAction, registerInstitutionAction, updateInstitutionAction } from '@/lib/training/actions';
import { registerInstitutionSchema, updateInstitutionSchema, type RegisterInstitutionInput, type UpdateInstitutionInput } from '@/lib/training/schemas';
import { showFieldErrors } from '@/components/forms/field-errors';

type InstitutionDetails = Pick<RegisterInstitutionInput, 'name' | 'institutionType' | 'contactName' | 'contactPhone'>;

function ariaOf(id: string, error?: unknown) {
  return { 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined } as const;
}

/** Name, type and contact: the same fields when registering and when editing an institution. */
function InstitutionDetailFields({ idPrefix, form }: { idPrefix: string; form: UseFormReturn<InstitutionDetails> }) {
  const errors = form.formState.errors;
  const id = (name: string) => `${idPrefix}${name}`;
  return (
    <>
      <Field id={id('name')} label="机构名称 *" error={errors.name?.message}>
        <input id={id('name')} className="input" {...ariaOf(id('name'), errors.name)} {...form.register('name')} />
      </Field>
      <Field id={id('institutionType')} label="机构类型 *" error={errors.institutionType?.message}>
        <select id={id('institutionType')} className="input" {...ariaOf(id('institutionType'), errors.institutionType)} {...form.register('institutionType')}>
          {codeTables.institutionType.map((item) => (
            <option key={item.code} value={item.code}>
              {item.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id={id('contactName')} label="联系人 *" error={errors.contactName?.message}>
        <input id={id('contactName')} className="input" {...ariaOf(id('contactName'), errors.contactName)} {...form.register('contactName')} />
      </Field>
      <Field id={id('contactPhone')} label="联系电话 *" error={errors.contactPhone?.message}>
        <input id={id('contactPhone')} inputMode="tel" className="input" {...ariaOf(id('contactPhone'), errors.contactPhone)} {...form.register('contactPhone')} />
      </Field>
    </>
  );
}

/** 修改机构信息 or 停用: only the registering authority; a closed institution's account no longer signs in. */
export function EditInstitutionForm({ institution }: { institution: UpdateInstitutionInput & { code: string } }) {
  const router = useRouter();
  const { code, ...values } = institution;
  const form = useForm<UpdateInstitutionInput>({ resolver: zodResolver(updateInstitutionSchema) as Resolver<UpdateInstitutionInput>, defaultValues: values });
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const prefix = `edit-${institution.id}-`;
  // Opened from the table's 修改 link: the form above the table takes the focus, so a screen reader follows.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const onSubmit = form.handleSubmit((data) =>
    startTransition(async () => {
      setMessage(null);
      const result = await updateInstitutionAction(data);
      if (!result.ok) {
        showFieldErrors(form.setError, result.fieldErrors);
        return setMessage({ tone: 'error', text: result.message });
      }
      setMessage({ tone: 'success', text: data.status === 'closed' ? '已保存。该机构已停用，其报送账号不能再登录，新项目不能再选择它。' : '已保存' });
      router.refresh();
    }),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="card space-y-3 p-4" aria-labelledby={`${prefix}title`} data-testid="institution-edit">
      <h2 id={`${prefix}title`} ref={heading} tabIndex={-1} className="text-sm font-semibold text-slate-700 focus:outline-none">
        修改机构信息 <span className="font-mono text-xs text-slate-500">{code}</span>
      </h2>
      {message && <FormAlert tone={message.tone} message={message.text} />}
      <div className="grid gap-3 sm:grid-cols-2">
        <InstitutionDetailFields idPrefix={prefix} form={form as unknown as UseFormReturn<InstitutionDetails>} />
        <Field id={`${prefix}status`} label="状态 *" error={form.formState.errors.status?.message} hint="停用后机构的报送账号不能登录，新项目不能再选择该机构">
          <select id={`${prefix}status`} className="input" aria-describedby={form.formState.errors.status ? `${prefix}status-error` : `${prefix}status-hint`} {...form.register('status')}>
            <option value="active">正常</option>
            <option value="closed">停用</option>
          </select>
        </Field>
      </div>
      <div className="flex justify-end gap-2">
        <Link href="/training/institutions" className="btn-secondary">
          返回
        </Link>
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? '正在保存…' : '保存'}
        </button>
      </div>
    </form>
  );
}

/** 登记培训机构: the unit and its submitting account; the sysadmin then issues the password. */
export function RegisterInstitutionForm({ mayIssue }: { mayIssue: boolean }) {
  const router = useRouter();
  const form = useForm<RegisterInstitutionInput>({ resolver: zodResolver(registerInstitutionSchema) as Resolver<RegisterInstitutionInput>, defaultValues: { code: '', name: '', institutionType: '01', contactName: '', contactPhone: '' } });
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const errors = form.formState.errors;
  const onSubmit = form.handleSubmit((data) =>
    startTransition(async () => {
      setMessage(null);
      const result = await registerInstitutionAction(data);
      if (!result.ok) {
        showFieldErrors(form.setError, result.fieldErrors);
        return setMessage({ tone: 'error', text: result.message });
      }
      form.reset();
      setMessage({ tone: 'success', text: `已登记。机构的报送账号为 ${result.data.username}，${mayIssue ? '请在“下级账号分发”中发放其初始密码。' : '请由本单位系统管理员在“下级账号分发”中发放初始密码。'}` });
      router.refresh();
    }),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="card space-y-3 p-4" aria-labelledby="register-institution-title">
      <h2 id="register-institution-title" className="text-sm font-semibold text-slate-700">
        登记培训机构
      </h2>
      {message && <FormAlert tone={message.tone} message={message.text} />}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="code" label="机构代码 *" error={errors.code?.message} hint="6 至 16 位字母或数字，如 PX33010601">
          <input id="code" className="input font-mono" autoComplete="off" {...ariaOf('code', errors.code)} {...form.register('code')} />
        </Field>
        <InstitutionDetailFields idPrefix="" form={form as unknown as UseFormReturn<InstitutionDetails>} />
      </div>
      <div className="flex justify-end">
        <button type="submit" className="btn-primary" disabled={pending} data-testid="institution-submit">
          {pending ? '正在登记…' : '登记'}
        </button>
      </div>
    </form>
  );
}

/** 添加已有机构: another authority's institution, by its code. */
export function LinkInstitutionForm() {
  const router = useRouter();
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="card flex flex-col gap-2 self-start p-4 sm:flex-row sm:items-end"
      onSubmit={(event) => {
        event.preventDefault();
        startTransition(async () => {
          const result = await linkInstitutionAction({ code });
          if (!result.ok) return setMessage({ tone: 'error', text: result.fieldErrors?.code?.[0] ?? result.message });
          setCode('');
          setMessage({ tone: 'success', text: '已添加到本单位的培训机构名单' });
          router.refresh();
        });
      }}
    >
      <div className="flex-1 space-y-1">
        <label htmlFor="link-code" className="block text-sm font-medium text-slate-700">
          添加其他单位登记的机构（机构代码）
        </label>
        <input id="link-code" className="input font-mono" value={code} onChange={(e) => setCode(e.target.value)} />
        {message && <FormAlert tone={message.tone} message={message.text} />}
      </div>
      <button type="submit" className="btn-secondary" disabled={pending || code.trim() === ''}>
        添加
      </button>
    </form>
  );
}
