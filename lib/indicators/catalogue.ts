import type { CodeTableKey } from './code-tables';

/**
 * The national core teacher indicators (DOMAIN.md "The teacher record"), kept as data: forms, import
 * templates, exports and validation are all generated from this catalogue plus the province's settings.
 * Client-safe.
 */
export type FieldType = 'text' | 'number' | 'date' | 'month' | 'year' | 'code' | 'codes' | 'boolean' | 'photo';

export interface IndicatorField {
  key: string;
  label: string;
  type: FieldType;
  /** National core: a province cannot drop it. Non-core national indicators are on by default and may be dropped. */
  core: boolean;
  required?: boolean;
  codeTable?: CodeTableKey;
  maxLength?: number;
  min?: number;
  max?: number;
  /** Whole numbers only (hours, years). */
  integer?: boolean;
  pattern?: { regex: string; message: string };
  /** Computed by the system (from the ID number or other subsets), never typed. */
  derived?: boolean;
  /** Filled by the school even though the subset is open to teachers. */
  schoolOnly?: boolean;
  /** A teacher may fill it unless the province decides otherwise. */
  teacherDefault?: boolean;
  /** Fixed at registration; changed only through the registration data (ID type, ID number, name…). */
  identity?: boolean;
  placeholder?: string;
}

export interface IndicatorSubset {
  key: string;
  label: string;
  /** A list of dated entries; only 基本信息 is a single record. */
  multi: boolean;
  /** Never teacher-fillable (seed 四(三)): assessments, pay, ethics and titles. */
  schoolOnly: boolean;
  /** The field entries are sorted by, newest first. */
  sortField?: string;
  /** The completeness check (issue 4) wants at least one entry. */
  requiresEntry?: boolean;
  fields: IndicatorField[];
}

const text = (key: string, label: string, extra: Partial<IndicatorField> = {}): IndicatorField => ({ key, label, type: 'text', core: true, maxLength: 100, ...extra });
const code = (key: string, label: string, codeTable: CodeTableKey, extra: Partial<IndicatorField> = {}): IndicatorField => ({ key, label, type: 'code', core: true, codeTable, ...extra });
const codes = (key: string, label: string, codeTable: CodeTableKey, extra: Partial<IndicatorField> = {}): IndicatorField => ({ key, label, type: 'codes', core: true, codeTable, ...extra });
const month = (key: string, label: string, extra: Partial<IndicatorField> = {}): IndicatorField => ({ key, label, type: 'month', core: true, ...extra });
const date = (key: string, label: string, extra: Partial<IndicatorField> = {}): IndicatorField => ({ key, label, type: 'date', core: true, ...extra });
const yesNo = (key: string, label: string, extra: Partial<IndicatorField> = {}): IndicatorField => ({ key, label, type: 'boolean', core: true, codeTable: 'yesNo', ...extra });
const money = (key: string, label: string, extra: Partial<IndicatorField> = {}): IndicatorField => ({ key, label, type: 'number', core: true, min: 0, max: 10_000_000, ...extra });
const year = (key: string, label: string, extra: Partial<IndicatorField> = {}): IndicatorField => ({ key, label, type: 'year', core: true, ...extra });

const teacher = { teacherDefault: true } as const;
const optional = { core: false } as const;

export const basicSubsetKey = 'basic';

export const nationalCatalogue: IndicatorSubset[] = [
  {
    key: basicSubsetKey,
    label: '基本信息',
    multi: false,
    schoolOnly: false,
    fields: [
      text('name', '姓名', { required: true, identity: true, maxLength: 50 }),
      text('formerName', '曾用名', { ...teacher, ...optional, maxLength: 50 }),
      code('gender', '性别', 'gender', { required: true, identity: true }),
      code('nationality', '国籍/地区', 'country', { required: true, ...teacher }),
      code('idType', '身份证件类型', 'idDocumentType', { required: true, identity: true }),
      text('idNumber', '身份证件号码', { required: true, identity: true, maxLength: 32 }),
      date('birthDate', '出生日期', { required: true, identity: true, derived: true }),
      text('nativePlace', '籍贯', { ...teacher, maxLength: 50 }),
      text('birthplace', '出生地', { ...teacher, ...optional, maxLength: 50 }),
      code('ethnicGroup', '民族', 'ethnicGroup', { ...teacher }),
      codes('politicalStatus', '政治面貌', 'politicalStatus', { ...teacher }),
      code('maritalStatus', '婚姻状况', 'maritalStatus', { ...teacher, ...optional }),
      code('healthStatus', '健康状况', 'healthStatus', { ...teacher }),
      { key: 'photo', label: '照片', type: 'photo', core: false, ...teacher },
      code('highestEducation', '最高学历', 'educationLevel', { derived: true }),
      code('highestDegree', '最高学位层次', 'degreeLevel', { derived: true }),
      text('staffNumber', '教职工号', { maxLength: 32, pattern: { regex: '^[0-9A-Za-z-]*$', message: '教职工号只能包含字母、数字和“-”' } }),
      month('workStartDate', '参加工作年月', { required: true, ...teacher }),
      month('joinSchoolDate', '进本校年月', { required: true }),
      code('staffSource', '教职工来源', 'staffSource', { required: true }),
      code('staffCategory', '教职工类别', 'staffCategory', { required: true }),
      yesNo('onEstablishment', '是否在编', { required: true }),
      code('employmentForm', '用人形式', 'employmentForm'),
      code('contractStatus', '签订合同情况', 'contractStatus', { required: true }),
      yesNo('contractOneYearOrMore', '合同期一年以上', {}),
      code('postCategory', '岗位类别', 'postCategory', { required: true }),
      code('personnelStatus', '人员状态', 'personnelStatus', { required: true }),
      yesNo('teacherTrainingGraduate', '是否师范生', { ...teacher }),
      yesNo('specialEducationTraining', '是否受过特教专业培养培训', { ...teacher, ...optional }),
      code('keyTeacherLevel', '骨干教师', 'keyTeacherLevel', { ...optional }),
      code('itAbility', '信息技术应用能力', 'itAbility', { ...teacher, ...optional }),
    ],
  },
  {
    key: 'education',
    label: '学习经历',
    multi: true,
    schoolOnly: false,
    sortField: 'entryMonth',
    requiresEntry: true,
    fields: [
      code('educationLevel', '获得学历', 'educationLevel', { required: true, ...teacher }),
      code('country', '获得学历的国家/地区', 'country', { required: true, ...teacher }),
      text('institution', '获得学历的院校或机构', { required: true, ...teacher }),
      text('major', '所学专业', { ...teacher }),
      yesNo('teacherTrainingMajor', '是否师范类专业', { ...teacher }),
      month('entryMonth', '入学年月', { required: true, ...teacher }),
      month('graduationMonth', '毕业年月', { required: true, ...teacher }),
      code('degreeLevel', '学位层次', 'degreeLevel', { ...teacher }),
      text('degreeName', '学位名称', { ...teacher, maxLength: 50 }),
      text('degreeInstitution', '学位授予单位', { ...teacher }),
      month('degreeMonth', '学位授予年月', { ...teacher }),
      code('studyMode', '学习方式', 'studyMode', { ...teacher }),
    ],
  },
  {
    key: 'work',
    label: '工作经历',
    multi: true,
    schoolOnly: false,
    sortField: 'startMonth',
    fields: [
      text('unitName', '任职单位名称', { required: true, ...teacher }),
      month('startMonth', '任职开始年月', { required: true, ...teacher }),
      month('endMonth', '任职结束年月', { ...teacher }),
      code('unitType', '单位性质类别', 'workUnitType', { ...teacher }),
      text('post', '任职岗位', { ...teacher, maxLength: 50 }),
    ],
  },
  {
    key: 'post',
    label: '岗位聘任',
    multi: true,
    schoolOnly: false,
    sortField: 'startMonth',
    requiresEntry: true,
    fields: [
      code('postCategory', '岗位类别', 'postCategory', { required: true }),
      code('postGrade', '岗位等级', 'postGrade', { required: true }),
      yesNo('concurrentPost', '是否兼任其他岗位'),
      code('leadershipPost', '校级领导职务', 'leadershipPost'),
      month('startMonth', '聘任开始年月', { required: true }),
    ],
  },
  {
    key: 'title',
    label: '专业技术职务聘任',
    multi: true,
    schoolOnly: true,
    sortField: 'startMonth',
    fields: [
      code('title', '聘任专业技术职务', 'teacherTitle', { required: true }),
      text('appointingUnit', '聘任单位名称', { required: true }),
      month('startMonth', '聘任开始年月', { required: true }),
      month('endMonth', '聘任结束年月'),
    ],
  },
  {
    key: 'pay',
    label: '基本待遇',
    multi: true,
    schoolOnly: true,
    sortField: 'year',
    fields: [
      year('year', '年度', { required: true }),
      money('annualIncome', '年工资收入（元）', { required: true }),
      money('basePay', '月基本工资（元）'),
      money('performancePay', '绩效工资（元）'),
      money('ruralSubsidy', '乡村教师生活补助（元）'),
      money('otherAllowances', '其他津贴补贴（元）'),
      codes('socialInsurance', '五险一金', 'socialInsurance'),
    ],
  },
  {
    key: 'assessment',
    label: '年度考核',
    multi: true,
    schoolOnly: true,
    sortField: 'year',
    fields: [
      year('year', '考核年度', { required: true }),
      code('result', '考核结果', 'assessmentResult', { required: true }),
      text('assessingUnit', '考核单位名称', { required: true }),
    ],
  },
  {
    key: 'qualification',
    label: '教师资格',
    multi: true,
    schoolOnly: false,
    sortField: 'issueDate',
    fields: [
      code('certificateType', '教师资格证种类', 'certificateType', { required: true, ...teacher }),
      text('certificateNumber', '教师资格证号码', { required: true, ...teacher, maxLength: 32 }),
      text('subject', '任教学科', { ...teacher, maxLength: 50 }),
      date('issueDate', '证书颁发日期', { required: true, ...teacher }),
      text('issuingAuthority', '颁发机构', { ...teacher }),
      code('firstRegistration', '首次注册结果', 'registrationResult'),
      code('periodicRegistration', '定期注册结果', 'registrationResult'),
    ],
  },
  {
    key: 'ethics',
    label: '师德信息',
    multi: true,
    schoolOnly: true,
    sortField: 'date',
    fields: [
      code('recordKind', '记录类别', 'ethicsRecordKind', { required: true }),
      date('date', '日期', { required: true }),
      code('assessmentResult', '师德考核结论', 'ethicsResult'),
      code('honourLevel', '荣誉级别', 'honourLevel'),
      text('honourTitle', '荣誉称号'),
      code('disciplineType', '处分类别', 'disciplineType'),
      text('reason', '事由'),
      text('unitName', '实施单位', { required: true }),
      date('revokedDate', '处分撤销日期'),
    ],
  },
  {
    key: 'teaching',
    label: '教育教学',
    multi: true,
    schoolOnly: false,
    sortField: 'schoolYear',
    fields: [
      text('schoolYear', '学年', { required: true, ...teacher, pattern: { regex: '^\\d{4}-\\d{4}$', message: '学年格式为“2025-2026”' }, placeholder: '2025-2026' }),
      code('term', '学期', 'term', { required: true, ...teacher }),
      code('stage', '任课学段', 'teachingStage', { required: true, ...teacher }),
      yesNo('teaching', '是否授课', { required: true, ...teacher }),
      text('courses', '任教课程', { ...teacher }),
      { key: 'weeklyHours', label: '平均每周课堂教学课时数', type: 'number', core: true, min: 0, max: 60, ...teacher },
      { key: 'otherHours', label: '承担其他工作折合周课时', type: 'number', core: true, min: 0, max: 60, ...teacher },
    ],
  },
  {
    key: 'training',
    label: '培训研修',
    multi: true,
    schoolOnly: false,
    sortField: 'year',
    fields: [
      year('year', '培训年度', { required: true, ...teacher }),
      code('category', '培训类别', 'trainingCategory', { required: true, ...teacher }),
      text('project', '培训项目名称', { required: true, ...teacher }),
      text('institution', '培训机构名称', { ...teacher }),
      code('mode', '培训方式', 'trainingMode', { ...teacher }),
      code('form', '研修形式', 'trainingForm', { ...teacher }),
      { key: 'hours', label: '培训学时', type: 'number', core: true, min: 0, max: 2000, ...teacher },
      // Credits come only from confirmation under the province's conversion rule (lib/training), never typed.
      { key: 'credits', label: '培训学分', type: 'number', core: true, min: 0, max: 200, derived: true },
      date('endDate', '结业日期', { ...teacher }),
      text('certificateNo', '结业证书编号', { ...teacher, maxLength: 64 }),
      yesNo('overseas', '是否海外研修', { ...teacher }),
      code('overseasCountry', '海外研修国家/地区', 'country', { ...teacher }),
    ],
  },
  {
    key: 'research',
    label: '科研成果',
    multi: true,
    schoolOnly: false,
    sortField: 'date',
    fields: [
      code('kind', '成果类别', 'researchKind', { required: true, ...teacher }),
      text('title', '成果名称', { required: true, ...teacher, maxLength: 200 }),
      date('date', '取得日期', { required: true, ...teacher }),
      text('role', '本人角色', { ...teacher, maxLength: 50 }),
    ],
  },
  {
    key: 'talent',
    label: '入选人才项目',
    multi: true,
    schoolOnly: false,
    sortField: 'year',
    fields: [
      code('programme', '人才项目类别', 'talentProgramme', { required: true }),
      text('name', '项目名称', { required: true }),
      year('year', '入选年份', { required: true }),
    ],
  },
  {
    key: 'skill',
    label: '技能及证书',
    multi: true,
    schoolOnly: false,
    sortField: 'date',
    fields: [
      text('name', '技能或证书名称', { required: true, ...teacher }),
      text('level', '等级', { ...teacher, maxLength: 50 }),
      date('date', '取得日期', { ...teacher }),
      text('issuer', '发证单位', { ...teacher }),
    ],
  },
  {
    key: 'rotation',
    label: '交流轮岗',
    multi: true,
    schoolOnly: false,
    sortField: 'startMonth',
    fields: [
      // Lists show the first four: where, from when, until when.
      code('kind', '交流轮岗类型', 'rotationKind', { required: true }),
      text('toUnit', '交流轮岗单位', { required: true }),
      month('startMonth', '开始年月', { required: true }),
      month('endMonth', '结束年月'),
      text('fromUnit', '原单位', { required: true }),
      yesNo('personnelChange', '是否变更人事关系'),
    ],
  },
  {
    key: 'contact',
    label: '联系方式',
    multi: false,
    schoolOnly: false,
    fields: [
      text('address', '通信地址', { ...teacher, maxLength: 200 }),
      text('mobile', '手机号码', { required: true, ...teacher, pattern: { regex: '^1\\d{10}$', message: '手机号码应为 11 位数字，以 1 开头' }, maxLength: 11 }),
      text('email', '电子邮箱', { ...teacher, pattern: { regex: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', message: '电子邮箱格式不正确' } }),
    ],
  },
];

// 科研成果, 人才项目 and 技能证书 are national indicators outside the core: a province may leave them out.
for (const subset of nationalCatalogue) {
  if (subset.key === 'research' || subset.key === 'talent' || subset.key === 'skill') for (const field of subset.fields) field.core = false;
}

export const subsetsByKey: ReadonlyMap<string, IndicatorSubset> = new Map(nationalCatalogue.map((subset) => [subset.key, subset]));

/** "subset.field": how settings, history and the import refer to one indicator. */
export function fieldId(subsetKey: string, fieldKey: string): string {
  return `${subsetKey}.${fieldKey}`;
}
