'use client';

import * as Popover from '@radix-ui/react-popover';
import { Command } from 'cmdk';
import { useEffect, useRef, useState } from 'react';
import type { CodeItem } from '@/lib/indicators/code-tables';

interface BaseProps {
  id: string;
  options: CodeItem[];
  invalid?: boolean;
  describedBy?: string;
  disabled?: boolean;
  /** A combobox takes no name from its text: without a <label htmlFor>, name it here. */
  ariaLabel?: string;
}

/** A searchable single select over a code table: type a name or a code. */
export function CodeSelect({ id, options, value, onChange, invalid, describedBy, disabled, ariaLabel }: BaseProps & { value: string; onChange: (code: string) => void }) {
  const [open, setOpen] = useState(false);
  const selected = options.find((option) => option.code === value);
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <button
          id={id}
          type="button"
          role="combobox"
          aria-label={ariaLabel}
          aria-expanded={open}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          disabled={disabled}
          className="input flex items-center justify-between text-left"
        >
          <span className={selected ? '' : 'text-slate-500'}>{selected ? selected.name : '请选择'}</span>
          <span aria-hidden className="text-slate-400">▾</span>
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={4} className="z-50 w-[var(--radix-popover-trigger-width)] min-w-56 rounded-md border border-slate-200 bg-white shadow-lg">
          <CodeCommand
            options={options}
            isSelected={(code) => code === value}
            onPick={(code) => {
              onChange(code === value ? '' : code);
              setOpen(false);
            }}
          />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** Multi-select (政治面貌, 五险一金): the chosen names show in the trigger. */
export function CodeMultiSelect({ id, options, value, onChange, invalid, describedBy, disabled, ariaLabel }: BaseProps & { value: string[]; onChange: (codes: string[]) => void }) {
  const [open, setOpen] = useState(false);
  const names = options.filter((option) => value.includes(option.code)).map((option) => option.name);
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <button id={id} type="button" role="combobox" aria-label={ariaLabel} aria-expanded={open} aria-invalid={invalid || undefined} aria-describedby={describedBy} disabled={disabled} className="input flex items-center justify-between text-left">
          <span className={names.length ? '' : 'text-slate-500'}>{names.length ? names.join('、') : '请选择（可多选）'}</span>
          <span aria-hidden className="text-slate-400">▾</span>
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content align="start" sideOffset={4} className="z-50 w-[var(--radix-popover-trigger-width)] min-w-56 rounded-md border border-slate-200 bg-white shadow-lg">
          <CodeCommand
            options={options}
            isSelected={(code) => value.includes(code)}
            onPick={(code) => onChange(value.includes(code) ? value.filter((c) => c !== code) : [...value, code])}
          />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

function CodeCommand({ options, isSelected, onPick }: { options: CodeItem[]; isSelected: (code: string) => boolean; onPick: (code: string) => void }) {
  const searchable = options.length > 8;
  const rootRef = useRef<HTMLDivElement>(null);
  // cmdk listens for arrows and Enter on its root: a short list has no search box to hold focus, so the root takes it.
  useEffect(() => {
    if (!searchable) rootRef.current?.focus();
  }, [searchable]);
  return (
    <Command
      ref={rootRef}
      tabIndex={searchable ? undefined : -1}
      className="focus:outline-none"
      filter={(itemValue, search) => (itemValue.toLowerCase().includes(search.trim().toLowerCase()) ? 1 : 0)}
    >
      {searchable && <Command.Input autoFocus placeholder="输入名称或代码搜索" className="w-full border-b border-slate-200 px-3 py-2 text-sm outline-none" />}
      <Command.List className="max-h-64 overflow-auto p-1">
        <Command.Empty className="px-3 py-2 text-sm text-slate-500">没有匹配的选项</Command.Empty>
        {options.map((option) => (
          <Command.Item
            key={option.code}
            value={`${option.name} ${option.code}`}
            onSelect={() => onPick(option.code)}
            className="flex cursor-pointer items-center justify-between rounded px-2 py-1.5 text-sm data-[selected=true]:bg-brand-50"
          >
            <span>{option.name}</span>
            <span className="flex items-center gap-2 text-xs text-slate-500">
              {option.code}
              {isSelected(option.code) && <span className="text-brand-600">✓</span>}
            </span>
          </Command.Item>
        ))}
      </Command.List>
    </Command>
  );
}
