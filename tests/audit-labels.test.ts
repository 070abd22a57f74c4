import { describe, expect, it } from 'vitest';
import { describeAuditDetail } from '@/lib/audit/labels';
import { formatDateTime } from '@/lib/format';

describe('audit detail in words', () => {
  it('reads lockouts, failures and school changes', () => {
    expect(describeAuditDetail({ reason: 'bad_password', failures: 3 }, formatDateTime)).toBe('密码错误；第 3 次');
    expect(describeAuditDetail({ lockedUntil: '2026-11-28T14:13:32.000Z' }, (d) => formatDateTime(d).slice(11))).toBe('锁定至 22:13');
    expect(describeAuditDetail({ code: '2132000001', changes: { name: { from: '原名', to: '新名' }, status: { from: 'active', to: 'closed' }, authorityCode: { from: '320102', to: '320104' } } }, formatDateTime)).toBe(
      '代码 2132000001；名称：原名 → 新名；状态：正常 → 已撤销；主管部门：320102 → 320104',
    );
    expect(describeAuditDetail({ attempted: 'teacher.record', reason: 'not_found', id: 5 }, formatDateTime)).toBe('不存在或不在管辖范围内；尝试打开教师信息页；编号 5');
    expect(describeAuditDetail(null, formatDateTime)).toBe('');
  });
});
