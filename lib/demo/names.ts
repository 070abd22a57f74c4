/** Chinese names for generated teachers that agree with their gender (demo, scale and test data). */

export const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '沈', '蒋', '蔡', '叶', '潘', '杜', '戴', '钱'] as const;

export const femaleGivenNames = ['芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '秀英', '桂英', '婷', '雪', '琳', '慧', '颖', '佳怡', '晓燕', '梦瑶', '雨桐', '淑芬', '美华', '文静', '思琪', '晓雯', '丽华', '欣怡', '丹', '倩', '玲', '燕'] as const;

export const maleGivenNames = ['伟', '强', '磊', '洋', '勇', '军', '杰', '涛', '明', '超', '刚', '平', '建华', '志强', '浩然', '俊杰', '国庆', '海波', '文博', '子轩', '建国', '宇', '鹏', '斌', '峰', '浩', '晨', '凯', '思远', '明轩'] as const;

const female = new Set<string>(femaleGivenNames);
const male = new Set<string>(maleGivenNames);

/** The gender a given name suggests: '2' for the female list, '1' for the male list, null otherwise. */
export function genderOfGivenName(given: string): '1' | '2' | null {
  if (female.has(given)) return '2';
  if (male.has(given)) return '1';
  return null;
}

/** A full name for the gender, picked by two indices (deterministic for generated data). */
export function nameFor(gender: '1' | '2', surnameIndex: number, givenIndex: number): string {
  const given = gender === '2' ? femaleGivenNames : maleGivenNames;
  return surnames[surnameIndex % surnames.length] + given[givenIndex % given.length];
}
