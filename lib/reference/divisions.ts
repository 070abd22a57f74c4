import data from './data/divisions.json';

export type DivisionLevel = 'province' | 'prefecture' | 'county';

export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
}

export const divisions: readonly Division[] = data.divisions as Division[];

export const divisionsByCode: ReadonlyMap<string, Division> = new Map(divisions.map((d) => [d.code, d]));

/** The division itself and every division above it, nearest first. */
export function divisionAncestry(code: string): Division[] {
  const chain: Division[] = [];
  let current = divisionsByCode.get(code);
  while (current) {
    chain.push(current);
    current = current.parentCode ? divisionsByCode.get(current.parentCode) : undefined;
  }
  return chain;
}

export function provinceCodeOf(divisionCode: string): string {
  return `${divisionCode.slice(0, 2)}0000`;
}
