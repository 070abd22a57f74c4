import 'server-only';
import { dictionary } from '@zxcvbn-ts/language-common';

/** The 49,000 most common passwords of the zxcvbn-ts list, lower case. */
const commonPasswords = new Set(dictionary.passwords.map((p) => p.toLowerCase()));

/**
 * Why a new password that meets the length and class rule is still refused, or null. It must not
 * contain the account name or the holder's ID number, and must not be a common password, also not
 * one dressed up with capitals, digits or symbols around it ("Password@2026").
 */
export function passwordScreenFailure(password: string, personal: { username: string; idNumber?: string | null }): string | null {
  const lower = password.toLowerCase();
  const names = [personal.username, personal.idNumber].filter((s): s is string => Boolean(s && s.length >= 4)).map((s) => s.toLowerCase());
  if (names.some((name) => lower.includes(name))) return '密码不能包含账号或身份证件号码';
  const idDigits = personal.idNumber?.replace(/\D/g, '') ?? '';
  if (idDigits.length >= 15 && [idDigits.slice(-6), idDigits.slice(6, 14)].some((part) => lower.includes(part))) return '密码不能包含身份证件号码中的出生日期或末 6 位';
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (commonPasswords.has(lower) || (core.length >= 3 && commonPasswords.has(core))) return '该密码过于常见，容易被猜中，请换一个';
  return null;
}
