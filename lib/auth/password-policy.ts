/** Policy: at least 8 characters drawn from at least 3 of the 4 classes. Client-safe. */
export const passwordMinLength = 8;
export const passwordPolicyText = '密码至少 8 位，且须包含大写字母、小写字母、数字、特殊符号中的至少三类';

export function passwordClassCount(password: string): number {
  return [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

export function meetsPasswordPolicy(password: string): boolean {
  return password.length >= passwordMinLength && password.length <= 128 && passwordClassCount(password) >= 3;
}
