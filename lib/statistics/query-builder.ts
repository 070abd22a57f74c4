import { basicSubsetKey, nationalCatalogue } from '@/lib/indicators/catalogue';
import { codeTables, type CodeItem } from '@/lib/indicators/code-tables';
import { hasControlCharacters } from '@/lib/http/params';

/** Client-safe: the combined query's conditions on 基本信息 indicators, and how they travel in the URL. */
export type QueryOperator = 'in' | 'between' | 'contains';

export interface QueryCondition {
  field: string;
  op: QueryOperator;
  /** in: codes; between: [from, to] (either may be empty); contains: [text]. */
  values: string[];
}

export interface QueryField {
  key: string;
  label: string;
  type: 'code' | 'codes' | 'date' | 'month' | 'text' | 'number';
  options: CodeItem[];
}

const excluded = new Set(['idNumber', 'photo', 'formerName']);

/** 基本信息 indicators a query may combine (ID numbers are searched on the list, never by pattern). */
export const queryFields: QueryField[] = nationalCatalogue
  .find((subset) => subset.key === basicSubsetKey)!
  .fields.filter((field) => !excluded.has(field.key) && field.type !== 'photo' && field.type !== 'year')
  .map((field) => ({
    key: field.key,
    label: field.label,
    type: field.type === 'boolean' ? 'code' : (field.type as QueryField['type']),
    options: field.codeTable ? codeTables[field.codeTable] : [],
  }));

const fieldsByKey = new Map(queryFields.map((field) => [field.key, field]));

export function operatorFor(field: QueryField): QueryOperator {
  if (field.type === 'code' || field.type === 'codes') return 'in';
  if (field.type === 'text') return 'contains';
  return 'between';
}

/** "field~op~v1,v2": one URL parameter `cond` per condition. */
export function encodeCondition(condition: QueryCondition): string {
  return `${condition.field}~${condition.op}~${condition.values.map((v) => v.replaceAll(',', '，')).join(',')}`;
}

/** Conditions from the URL; anything malformed or unknown is dropped rather than guessed. */
export function parseConditions(raw: string | string[] | undefined): QueryCondition[] {
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const conditions: QueryCondition[] = [];
  for (const item of list.slice(0, 10)) {
    if (item.length > 500) continue;
    const [key, op, rest = ''] = item.split('~');
    const field = fieldsByKey.get(key);
    if (!field || op !== operatorFor(field)) continue;
    const values = rest.split(',').map((v) => v.trim());
    if (op === 'in') {
      const codes = values.filter((v) => field.options.some((o) => o.code === v));
      if (codes.length) conditions.push({ field: key, op, values: codes });
    } else if (op === 'between') {
      const pattern = field.type === 'date' ? /^\d{4}-\d{2}-\d{2}$/ : field.type === 'month' ? /^\d{4}-\d{2}$/ : /^-?\d+(\.\d+)?$/;
      const [from = '', to = ''] = values;
      const ok = (v: string) => v === '' || pattern.test(v);
      if ((from || to) && ok(from) && ok(to)) conditions.push({ field: key, op, values: [from, to] });
    } else if (values[0] && values[0].length <= 50 && !hasControlCharacters(values[0])) {
      conditions.push({ field: key, op, values: [values[0]] });
    }
  }
  return conditions;
}

export function describeCondition(condition: QueryCondition): string {
  const field = fieldsByKey.get(condition.field)!;
  if (condition.op === 'in') return `${field.label}为${condition.values.map((code) => field.options.find((o) => o.code === code)?.name ?? code).join('或')}`;
  if (condition.op === 'contains') return `${field.label}包含“${condition.values[0]}”`;
  const [from, to] = condition.values;
  return `${field.label}${from ? `自 ${from}` : ''}${to ? `至 ${to}` : ''}`;
}

export function queryFieldOf(key: string): QueryField | undefined {
  return fieldsByKey.get(key);
}
