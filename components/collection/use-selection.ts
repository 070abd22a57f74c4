'use client';

import { useState } from 'react';

/** Checkbox selection over a page of rows: toggle one, toggle the whole page, replace, clear. */
export function useSelection(pageIds: number[]) {
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const allSelected = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  return {
    selected,
    allSelected,
    toggle: (id: number) =>
      setSelected((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    toggleAll: () => setSelected(allSelected ? new Set() : new Set(pageIds)),
    replace: (ids: number[]) => setSelected(new Set(ids)),
  };
}
