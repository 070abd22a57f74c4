import { queryFieldOf, type QueryCondition } from './query-builder';

/**
 * Which pre-counted dimension (`teacher_stat_buckets`) answers a combined query's count, if any. The
 * counts are per dimension, so conditions on two fields are answerable only where a dimension crosses
 * them: 性别 × 出生年份 ('birth') and 专任教师 × 最高学历 ('ft_education').
 */
export interface AggregatePlan {
  dim: string;
  /** The buckets to sum; null for all of the dimension's buckets. */
  buckets: string[] | null;
  /** For 'birth' (buckets "gender:year"): the genders and the years kept. */
  birth?: { genders: string[] | null; fromYear: number | null; toYear: number | null };
}

/** Single-valued coded fields with a dimension of their own, bucket = the code. */
const codedDims: Record<string, string> = {
  gender: 'gender',
  highestEducation: 'education',
  personnelStatus: 'status',
  highestDegree: 'degree',
  staffCategory: 'staff_category',
  postCategory: 'post',
  employmentForm: 'employment',
  keyTeacherLevel: 'key_teacher',
  teacherTrainingGraduate: 'normal_graduate',
};

/** Year bounds of a date range, when it covers whole calendar years (else the buckets do not answer it). */
function wholeYears(values: string[]): { fromYear: number | null; toYear: number | null } | null {
  const [from = '', to = ''] = values;
  if (from && !from.endsWith('-01-01')) return null;
  if (to && !to.endsWith('-12-31')) return null;
  return { fromYear: from ? Number(from.slice(0, 4)) : null, toYear: to ? Number(to.slice(0, 4)) : null };
}

export function aggregatePlanOf(conditions: QueryCondition[]): AggregatePlan | null {
  const byField = new Map<string, QueryCondition>();
  for (const condition of conditions) {
    if (byField.has(condition.field)) return null;
    byField.set(condition.field, condition);
  }
  const fields = [...byField.keys()].sort().join('+');
  const values = (field: string) => byField.get(field)!.values;
  switch (fields) {
    case '':
      return { dim: 'total', buckets: null };
    case 'birthDate':
    case 'birthDate+gender': {
      const years = wholeYears(values('birthDate'));
      if (!years) return null;
      return { dim: 'birth', buckets: null, birth: { genders: byField.has('gender') ? values('gender') : null, ...years } };
    }
    case 'ethnicGroup': {
      // The buckets are 汉族 and 少数民族: answerable for exactly one of the two.
      const chosen = new Set(values('ethnicGroup'));
      if (chosen.size === 1 && chosen.has('01')) return { dim: 'ethnic', buckets: ['han'] };
      const minorities = queryFieldOf('ethnicGroup')!.options.filter((o) => o.code !== '01').map((o) => o.code);
      if (!chosen.has('01') && minorities.every((code) => chosen.has(code))) return { dim: 'ethnic', buckets: ['minority'] };
      return null;
    }
    case 'onEstablishment':
      return { dim: 'establishment', buckets: values('onEstablishment') };
    case 'politicalStatus':
      // Several statuses per teacher: one bucket per status held, so only one status sums without double counting.
      return values('politicalStatus').length === 1 ? { dim: 'political', buckets: values('politicalStatus') } : null;
    case 'highestEducation+staffCategory':
      return values('staffCategory').join() === '01' ? { dim: 'ft_education', buckets: values('highestEducation') } : null;
    default: {
      const dim = byField.size === 1 ? codedDims[fields] : undefined;
      return dim ? { dim, buckets: values(fields) } : null;
    }
  }
}
