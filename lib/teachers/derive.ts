import type { FieldValue, RecordValues } from '@/lib/indicators/form-schema';
import { checkResidentIdNumber } from '@/lib/reference/id-number';

/** Client-safe: values the system computes instead of asking for them. */

// GB/T 4658 levels, best first; the two-digit top codes rank just below their "graduated" detail codes.
const educationRank = ['11', '14', '10', '21', '20', '31', '30', '40', '60', '70', '80', '90'];
const degreeRank = ['2', '3', '4', '1', '0'];

function best(values: string[], rank: string[]): string {
  const ranked = values.filter((value) => rank.includes(value)).sort((a, b) => rank.indexOf(a) - rank.indexOf(b));
  return ranked[0] ?? '';
}

/** Highest education and degree come from the 学习经历 entries. */
export function deriveHighest(educationEntries: RecordValues[]): { highestEducation: string; highestDegree: string } {
  const pick = (key: string) => educationEntries.map((entry) => entry[key]).filter((value): value is string => typeof value === 'string' && value !== '');
  return { highestEducation: best(pick('educationLevel'), educationRank), highestDegree: best(pick('degreeLevel'), degreeRank) };
}

/** The birth date of a resident ID number is the birth date of the record. */
export function birthDateFromId(idType: FieldValue | undefined, idNumber: FieldValue | undefined): string | null {
  if (idType !== '1' || typeof idNumber !== 'string') return null;
  const check = checkResidentIdNumber(idNumber);
  return check.ok ? check.birthDate : null;
}
