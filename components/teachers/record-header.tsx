'use client';

import { useRef, useState, useTransition } from 'react';
import { FormAlert } from '@/components/forms/field';
import { revealIdNumberAction, uploadPhotoAction } from '@/lib/teachers/actions';

/** The masked ID number with an audited reveal for the school and its authority. */
export function IdNumberReveal({ teacherId, masked, full, mayReveal }: { teacherId: number; masked: string; full: string | null; mayReveal: boolean }) {
  const [shown, setShown] = useState<string | null>(full);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span className="font-mono" data-testid="id-number">{shown ?? masked}</span>
      {!shown && mayReveal && (
        <button
          type="button"
          className="text-xs text-brand-600 hover:underline"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await revealIdNumberAction({ teacherId });
              if (result.ok) setShown(result.data);
              else setError(result.message);
            })
          }
        >
          显示完整号码（将记录日志）
        </button>
      )}
      {error && <span className="text-xs text-red-600">{error}</span>}
    </span>
  );
}

export function PhotoBlock({ teacherId, hasPhoto, canUpload, version }: { teacherId: number; hasPhoto: boolean; canUpload: boolean; version: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const upload = (file: File) => {
    setMessage(null);
    const data = new FormData();
    data.set('teacherId', String(teacherId));
    data.set('photo', file);
    startTransition(async () => {
      const result = await uploadPhotoAction(data);
      if (!result.ok) setMessage(result.fieldErrors?.photo?.[0] ?? result.message);
      if (input.current) input.current.value = '';
    });
  };
  return (
    <div className="flex flex-col items-center gap-2">
      <div className="flex h-32 w-24 items-center justify-center overflow-hidden rounded-md border border-slate-200 bg-slate-50 text-xs text-slate-500">
        {hasPhoto ? (
          <img src={`/teachers/${teacherId}/photo?v=${encodeURIComponent(version)}`} alt="教师照片" className="h-full w-full object-cover" />
        ) : (
          '暂无照片'
        )}
      </div>
      {canUpload && (
        <>
          <label className="cursor-pointer text-xs text-brand-600 hover:underline">
            {pending ? '正在上传…' : hasPhoto ? '更换照片' : '上传照片'}
            <input ref={input} type="file" accept="image/jpeg,.jpg,.jpeg" className="sr-only" aria-label="上传照片（JPG，不超过 60 KB）" onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />
          </label>
          <p className="text-center text-[11px] text-slate-500">JPG，≤ 60 KB</p>
        </>
      )}
      <FormAlert message={message} />
    </div>
  );
}
