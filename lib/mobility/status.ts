import mobility from '@/lib/reference/data/mobility.json';

/**
 * 人员状态, the national 3-digit list (reference/mobility.json): 1xx at post in this unit, 2xx
 * temporarily not at post (still the unit's staff, counted in its headcount), 3xx left the unit (no
 * longer serving). Client-safe.
 */
export const personnelStatusItems: { code: string; name: string }[] = mobility.personnelStatus.items;

/** The name of a code as lists show it. */
export function statusNameOf(code: string | null | undefined): string {
  return code ? (personnelStatusItems.find((item) => item.code === code)?.name ?? code) : '未填写';
}

export const atPostStatus = '100';
export const pendingRetirementStatus = '209';
export const rotatingOutStatus = '205';
export const deceasedStatus = '303';

export type StatusGroup = 'atPost' | 'notAtPost' | 'left';

export function statusGroupOf(code: string | null | undefined): StatusGroup {
  if (code?.startsWith('3')) return 'left';
  if (code?.startsWith('2')) return 'notAtPost';
  return 'atPost';
}

/** Serving staff: at post or temporarily away; the default of every count and list. */
export function isServing(code: string | null | undefined): boolean {
  return statusGroupOf(code) !== 'left';
}

export const statusGroupNames: Record<StatusGroup, string> = { atPost: '在岗', notAtPost: '暂未在岗', left: '已离开' };

/**
 * The project's earlier 2-digit codes (labels numbered in order) and the national code each became
 * (migration 0012). 其他 had no group: it is taken as temporarily not at post.
 */
export const legacyStatusCodes: Record<string, string> = {
  '01': '100',
  '02': '201',
  '03': '202',
  '04': '203',
  '05': '204',
  '06': '205',
  '07': '206',
  '08': '207',
  '09': '208',
  '10': '209',
  '11': '210',
  '12': '211',
  '13': '307',
  '14': '301',
  '15': '303',
  '16': '299',
};

/** JY/T 1001 教职工当前状态码, accepted on import: the national code each one means. */
export const jyt1001StatusCodes: Record<string, string> = Object.fromEntries(
  mobility.staffCurrentStatusJYT1001.items.map((item) => {
    const byName: Record<string, string> = { 返聘: '100', 在职: '100', 延聘: '100', 待退休: '209', 长病假: '203', 因公出国: '207', 停职留薪: '299', 待岗: '210', 下落不明: '211', 其他: '299' };
    const left = personnelStatusItems.find((status) => status.code.startsWith('3') && status.name === item.name);
    return [item.code, left?.code ?? byName[item.name] ?? '299'];
  }),
);

/** An import cell written in JY/T 1001 (its 2-digit code or its name): the national code, or null. */
export function nationalStatusFromJyt(text: string): string | null {
  const item = mobility.staffCurrentStatusJYT1001.items.find((entry) => entry.code === text || entry.name === text);
  return item ? jyt1001StatusCodes[item.code] : null;
}
