/** Month arithmetic on 'YYYY-MM' strings, the form record months and case months take. Client-safe. */
export function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function monthOf(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month `delta` months after (or before) the given one. */
export function addMonths(month: string, delta: number): string {
  return monthOf(monthIndex(month) + delta);
}
