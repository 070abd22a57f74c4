import { stageNames } from '@/lib/reference/school-types';
import { ownershipNames, unitStatusNames } from '@/lib/units/defaults';

/** Chinese names of audit actions, for the log page and its filter. Client-safe. */
export const auditActionNames: Record<string, string> = {
  'auth.signin': '登录成功',
  'auth.signin.failed': '登录失败',
  'auth.lockout': '账号锁定',
  'auth.signin.throttled': '登录被限流（来源地址）',
  'auth.throttle.address': '来源地址被暂时封禁',
  'access.denied': '越权或拒绝访问',
  'audit.export': '导出审计日志',
  'report.export': '导出统计报表',
  'progress.export': '导出采集进度',
  'account.totp.enable': '启用双因素认证',
  'account.totp.reset': '重置双因素认证',
  'teacher.view': '查看教师完整记录（非本校）',
  'teacher.register.conflict': '登记冲突（证件号码已登记）',
  'security.passwordPolicy.save': '设置密码有效期',
  'auth.signout': '退出登录',
  'account.password.change': '修改密码',
  'account.password.reset': '重置密码',
  'account.credentials.issue': '生成初始密码',
  'account.credentials.request': '申请生成账号分发表',
  'account.credentials.export': '生成账号分发表',
  'account.credentials.download': '下载账号分发表',
  'account.unlock': '解除登录限制',
  'account.disable': '停用账号',
  'account.enable': '启用账号',
  'account.create': '新增账号',
  'school.import': '导入学校名单',
  'school.create': '新增学校',
  'school.update': '变更学校信息',
  'school.close': '撤销学校',
  'school.reopen': '恢复学校',
  'teacher.create': '登记教师',
  'teacher.import': '导入教师信息',
  'teacher.export': '导出教师信息',
  'teacher.export.download': '下载教师信息导出文件',
  'statistics.query.run': '组合查询（后台运行）',
  'teacher.idNumber.view': '查看完整证件号码',
  'indicator.settings.save': '保存指标设置',
  'record.submit': '审核上报教师记录',
  'record.approve': '审核通过教师记录',
  'record.return': '退回教师记录',
  'record.review.delegate': '授权信息管理员审核上报',
  'record.review.revoke': '收回审核上报授权',
  'record.addition.file': '提交新增信息',
  'record.addition.schoolApprove': '学校审核通过新增信息',
  'record.addition.return': '退回新增信息',
  'record.addition.approve': '新增信息审批生效',
  'record.change.file': '提交变更申请',
  'record.change.schoolApprove': '学校审核通过变更申请',
  'record.change.approve': '批准变更申请',
  'record.change.reject': '驳回变更申请',
  'collection.deadline.set': '设置采集截止日期',
  'collection.remind': '发送催办',
  'collection.reminder.read': '确认催办',
  'transfer.lookup': '调动：查找教师',
  'transfer.lookup.miss': '调动：查无此人',
  'transfer.file': '调动：调入校提交申请',
  'transfer.confirm': '调动：确认',
  'transfer.agree': '调动：调出校同意',
  'transfer.reject': '调动：不同意',
  'transfer.withdraw': '调动：撤回申请',
  'transfer.receive': '调动：调入校调档',
  'transfer.complete': '调动完成，记录转入',
  'transfer.attachment.view': '调动：查看附件',
  'status.file': '申请在职情况变动（离开本单位）',
  'status.change': '在职情况变动生效',
  'status.confirm': '确认在职情况变动',
  'status.reject': '不同意在职情况变动',
  'retiring.export': '导出即将退休名单',
  'retirement.flexible': '设置弹性退休',
  'rotation.file': '交流轮岗：派出学校申请',
  'rotation.confirm': '交流轮岗：确认',
  'rotation.reject': '交流轮岗：不同意',
  'rotation.withdraw': '交流轮岗：撤回申请',
  'rotation.return': '交流轮岗：期满返回',
  'rotation.endEarly': '交流轮岗：提前结束',
  'rotation.extend': '交流轮岗：申请延期',
  'rotation.targets': '设置交流轮岗目标',
  'rotation.plan.export': '导出交流轮岗计划',
  'account.password.bootstrap': '设置首个系统管理员密码',
  'training.institution.register': '培训：登记培训机构',
  'training.institution.update': '培训：修改培训机构',
  'training.institution.link': '培训：添加合作培训机构',
  'training.project.register': '培训：登记培训项目',
  'training.project.approve': '培训：同意登记项目',
  'training.project.reject': '培训：不同意登记项目',
  'training.project.withdraw': '培训：撤回项目',
  'training.plan.publish': '培训：发布培训计划',
  'training.plan.export': '培训：导出培训计划',
  'training.enrol': '培训：报名参训',
  'training.unenrol': '培训：取消报名',
  'training.nominate': '培训：学校推荐参训',
  'training.results.template': '培训：下载结果模板',
  'training.results.save': '培训：录入考核结果',
  'training.results.submit': '培训：提交考核结果',
  'training.submission.confirm': '培训：确认全部结果',
  'training.submission.confirmSome': '培训：确认部分结果，其余退回',
  'training.submission.return': '培训：退回考核结果',
  'training.submission.resubmit': '培训：重新提交考核结果',
  'training.filing.file': '培训：申报校本/自主研修学时',
  'training.filing.attachment': '培训：查看申报附件',
  'training.filing.approve': '培训：审核通过研修申报',
  'training.filing.reject': '培训：研修申报不通过',
  'training.filing.withdraw': '培训：撤回研修申报',
  'training.rule.save': '培训：保存学分转化规则',
  'training.completion.export': '培训：导出完成情况',
};

/** What a refused attempt tried: pages by their guard name, actions by their wrapper name. */
const attemptNames: Record<string, string> = {
  'teacher.record': '打开教师信息页',
  'teacher.history': '打开版本与修改记录页',
  'unit.detail': '打开单位页',
  'teacher.saveSection': '保存教师信息',
  'teacher.saveEntry': '保存教师信息条目',
  'teacher.deleteEntry': '删除教师信息条目',
  'teacher.photo': '上传照片',
  submitRecords: '报送记录',
  approveRecords: '审核通过记录',
  returnRecords: '退回记录',
  setReviewDelegation: '授权审核上报',
  fileAddition: '提交新增信息',
  decideAddition: '审批新增信息',
  fileChangeRequest: '提交变更申请',
  decideChangeRequest: '审批变更申请',
  transfer: '打开调动详情',
  'transfer.print': '打开调动审批表',
  'transfer.step': '办理调动',
  'status.record': '记录在职情况变动',
  'status.decide': '确认在职情况变动',
  'status.markPendingRetirement': '设为待退休',
  rotation: '打开交流轮岗详情',
  'retirement.flexible': '设置弹性退休',
  'rotation.step': '办理交流轮岗',
  setDeadline: '设置截止日期',
  sendReminders: '发送催办',
  markReminderRead: '确认催办',
  'account.status': '停用或启用账号',
};

export const auditTargetNames: Record<string, string> = {
  account: '账号',
  unit: '单位',
  file: '文件',
  teacher: '教师',
  transfer: '调动',
  rotation: '交流轮岗',
  reminder: '催报通知',
  training_project: '培训项目',
  training_submission: '培训结果',
  training_filing: '学时备案',
  training_rule: '学分转化规则',
};

const signInFailureReasons: Record<string, string> = {
  unknown_account: '账号不存在',
  bad_password: '密码错误',
  locked: '账号锁定期间尝试登录',
  disabled: '账号已停用或单位已撤销',
  no_password: '账号尚未发放密码',
  bad_second_factor: '动态验证码错误',
  forbidden: '无权限',
  not_found: '不存在或不在管辖范围内',
};

const unitFieldNames: Record<string, string> = {
  name: '名称',
  schoolTypeCode: '办学类型',
  stage: '学段',
  divisionCode: '所在地',
  ownership: '办学性质',
  status: '状态',
  authorityCode: '主管部门',
};

const valueNames: Record<string, string> = { ...unitStatusNames, ...ownershipNames, ...stageNames };

/** A short Chinese reading of an audit row's detail; the raw JSON stays available as a tooltip. */
export function describeAuditDetail(detail: Record<string, unknown> | null, formatTime: (d: Date) => string): string {
  if (!detail) return '';
  const parts: string[] = [];
  if (typeof detail.reason === 'string') parts.push(signInFailureReasons[detail.reason] ?? detail.reason);
  if (typeof detail.attempted === 'string') parts.push(`尝试${attemptNames[detail.attempted] ?? auditActionNames[detail.attempted] ?? detail.attempted}`);
  if (typeof detail.id === 'number' || typeof detail.teacherId === 'number') parts.push(`编号 ${detail.id ?? detail.teacherId}`);
  if (typeof detail.failures === 'number') parts.push(`第 ${detail.failures} 次`);
  if (typeof detail.address === 'string') parts.push(`地址 ${detail.address}`);
  if (typeof detail.lockedUntil === 'string') parts.push(`锁定至 ${formatTime(new Date(detail.lockedUntil))}`);
  if (typeof detail.username === 'string') parts.push(`账号 ${detail.username}`);
  if (typeof detail.idNumber === 'string') parts.push(`证件号码 ${detail.idNumber}${typeof detail.name === 'string' ? ` ${detail.name}` : ''}`);
  else if (typeof detail.name === 'string' && typeof detail.code !== 'string') parts.push(detail.name);
  if (typeof detail.rows === 'number') parts.push(`${detail.rows} 行`);
  if (typeof detail.subset === 'string') parts.push(`信息集 ${detail.subset}`);
  if (typeof detail.fields === 'number') parts.push(`${detail.fields} 项`);
  if (typeof detail.sampled === 'number') parts.push(`批量审核，抽查 ${detail.sampled} 条`);
  if ('deadline' in detail) parts.push(detail.deadline ? `截止日期 ${detail.deadline}` : '取消截止日期');
  if (typeof detail.unit === 'string') parts.push(detail.unit);
  if (typeof detail.message === 'string') parts.push(`“${detail.message}”`);
  if (typeof detail.created === 'number') parts.push(`新增 ${detail.created} 人，更新 ${detail.updated ?? 0} 人`);
  if (typeof detail.version === 'number') parts.push(`第 ${detail.version} 版`);
  if (typeof detail.code === 'string') parts.push(`代码 ${detail.code}${typeof detail.name === 'string' ? ` ${detail.name}` : ''}`);
  if (detail.changes && typeof detail.changes === 'object') {
    for (const [field, change] of Object.entries(detail.changes as Record<string, { from: unknown; to: unknown }>)) {
      const show = (value: unknown) => (value === null || value === undefined ? '空' : (valueNames[String(value)] ?? String(value)));
      parts.push(`${unitFieldNames[field] ?? field}：${show(change.from)} → ${show(change.to)}`);
    }
  }
  if (typeof detail.created === 'number') {
    parts.push(`共 ${detail.rows} 行，新增 ${detail.created}，变更 ${detail.updated}，撤销 ${detail.closed}，恢复 ${detail.reopened}`);
  }
  if (typeof detail.accounts === 'number' && typeof detail.units === 'number') parts.push(`${detail.units} 个单位 ${detail.accounts} 个账号`);
  return parts.join('；');
}
