import type { EffectiveCatalogue, EffectiveField, EffectiveSubset } from '@/lib/indicators/settings';

/**
 * Client-safe: how the import workbook is laid out for one catalogue. One sheet per subset, headed by
 * the indicator labels; every sheet but 基本信息 starts with the ID number that ties a row to a teacher.
 */
export const idNumberHeader = '身份证件号码';
export const nameHeader = '姓名';
export const guideSheetName = '填写说明';
export const codeSheetName = '代码表';
export const reasonHeader = '错误原因';

export interface SheetLayout {
  subset: EffectiveSubset;
  sheetName: string;
  /** Columns in order; the key column (ID number) comes first. */
  columns: { header: string; field: EffectiveField | null; role: 'key' | 'name' | 'field' }[];
}

export function importableFields(subset: EffectiveSubset): EffectiveField[] {
  return subset.fields.filter((field) => field.type !== 'photo' && !(field.derived && field.key !== 'birthDate'));
}

export function workbookLayout(catalogue: EffectiveCatalogue): SheetLayout[] {
  return catalogue.subsets.map((subset) => {
    if (subset.key === 'basic') {
      const fields = importableFields(subset);
      const first = ['idType', 'idNumber', 'name', 'gender', 'birthDate'];
      const ordered = [...first.map((key) => fields.find((f) => f.key === key)!).filter(Boolean), ...fields.filter((f) => !first.includes(f.key))];
      return { subset, sheetName: subset.label, columns: ordered.map((field) => ({ header: field.label, field, role: field.key === 'idNumber' ? 'key' : 'field' })) };
    }
    return {
      subset,
      sheetName: subset.label,
      columns: [
        { header: idNumberHeader, field: null, role: 'key' as const },
        { header: nameHeader, field: null, role: 'name' as const },
        ...importableFields(subset).map((field) => ({ header: field.label, field, role: 'field' as const })),
      ],
    };
  });
}
