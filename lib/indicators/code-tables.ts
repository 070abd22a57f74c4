import codes from '@/lib/reference/data/codes.json';
import { personnelStatusItems } from '@/lib/mobility/status';

/** Client-safe code tables for the teacher record: the GB/T tables from the reference data, plus project tables. */
export interface CodeItem {
  code: string;
  name: string;
}

type ReferenceTable = { items: { code?: string; name: string }[] };

/** Tables given as labels only get two-digit codes in the order listed; the order is part of the data contract. */
function fromReference(table: ReferenceTable): CodeItem[] {
  return table.items.map((item, index) => ({ code: item.code ?? String(index + 1).padStart(2, '0'), name: item.name }));
}

function labels(...names: string[]): CodeItem[] {
  return names.map((name, index) => ({ code: String(index + 1).padStart(2, '0'), name }));
}

const reference = codes as unknown as Record<string, ReferenceTable>;

export const codeTables = {
  yesNo: [
    { code: '1', name: '是' },
    { code: '0', name: '否' },
  ],
  gender: fromReference(reference.gender).filter((item) => item.code === '1' || item.code === '2'),
  maritalStatus: fromReference(reference.maritalStatus),
  healthStatus: fromReference(reference.healthStatus),
  ethnicGroup: fromReference(reference.ethnicGroup),
  politicalStatus: fromReference(reference.politicalStatus),
  educationLevel: fromReference(reference.educationLevel),
  degreeLevel: fromReference(reference.degreeLevel),
  idDocumentType: fromReference(reference.idDocumentType),
  postCategory: fromReference(reference.postCategory),
  teacherTitle: fromReference(reference.teacherTitle),
  staffSource: fromReference(reference.staffSource),
  employmentForm: fromReference(reference.employmentForm),
  contractStatus: fromReference(reference.contractStatus),
  // The national 3-digit list (lib/mobility/status.ts).
  personnelStatus: personnelStatusItems,
  assessmentResult: fromReference(reference.assessmentResult),
  // ISO 3166-1 numeric: the countries and regions teachers most often hold or studied in.
  country: [
    { code: '156', name: '中国' },
    { code: '344', name: '中国香港' },
    { code: '446', name: '中国澳门' },
    { code: '158', name: '中国台湾' },
    { code: '840', name: '美国' },
    { code: '826', name: '英国' },
    { code: '392', name: '日本' },
    { code: '410', name: '韩国' },
    { code: '276', name: '德国' },
    { code: '250', name: '法国' },
    { code: '643', name: '俄罗斯' },
    { code: '036', name: '澳大利亚' },
    { code: '124', name: '加拿大' },
    { code: '702', name: '新加坡' },
    { code: '528', name: '荷兰' },
    { code: '752', name: '瑞典' },
    { code: '756', name: '瑞士' },
    { code: '380', name: '意大利' },
    { code: '724', name: '西班牙' },
    { code: '554', name: '新西兰' },
    { code: '458', name: '马来西亚' },
    { code: '764', name: '泰国' },
    { code: '999', name: '其他国家或地区' },
  ],
  staffCategory: labels('专任教师', '行政人员', '教辅人员', '工勤人员', '校办企业职工', '其他附设机构人员'),
  keyTeacherLevel: labels('国家级骨干教师', '省级骨干教师', '市级骨干教师', '县级骨干教师', '校级骨干教师', '否'),
  itAbility: labels('精通', '熟练', '良好', '一般', '较弱'),
  studyMode: labels('全日制', '非全日制'),
  workUnitType: labels('中小学', '幼儿园', '中等职业学校', '特殊教育学校', '高等学校', '教育行政部门', '其他机关', '其他事业单位', '企业', '部队', '其他'),
  postGrade: labels(
    '专业技术一级', '专业技术二级', '专业技术三级', '专业技术四级', '专业技术五级', '专业技术六级', '专业技术七级',
    '专业技术八级', '专业技术九级', '专业技术十级', '专业技术十一级', '专业技术十二级', '专业技术十三级',
    '管理岗位五级', '管理岗位六级', '管理岗位七级', '管理岗位八级', '管理岗位九级', '管理岗位十级', '工勤技能岗位', '未定级',
  ),
  leadershipPost: labels('校长（园长）', '党组织书记', '副校长（副园长）', '党组织副书记', '中层干部', '无'),
  socialInsurance: labels('养老保险', '医疗保险', '失业保险', '工伤保险', '生育保险', '住房公积金', '职业年金'),
  certificateType: labels('幼儿园教师资格', '小学教师资格', '初级中学教师资格', '高级中学教师资格', '中等职业学校教师资格', '中等职业学校实习指导教师资格', '高等学校教师资格'),
  registrationResult: labels('合格', '暂缓注册', '不合格', '未注册'),
  ethicsRecordKind: labels('师德考核', '荣誉表彰', '违反师德处理'),
  ethicsResult: labels('优秀', '合格', '基本合格', '不合格'),
  honourLevel: labels('国家级', '省部级', '地市级', '县区级', '校级'),
  disciplineType: labels('警告', '记过', '降低岗位等级', '撤职', '开除', '其他处理'),
  term: labels('第一学期', '第二学期'),
  teachingStage: labels('学前教育', '小学', '初中', '普通高中', '中等职业教育', '特殊教育', '高等教育'),
  trainingCategory: labels('国家级', '省级', '市级', '县级', '校本研修', '自主研修'),
  trainingMode: labels('线下面授', '线上网络', '线上线下混合'),
  /** 研修形式: the categories the conversion rules name (lib/training/rules.ts keeps the same codes). */
  trainingForm: labels('集中培训', '网络研修', '混合式研修', '校本研修', '自主研修', '实践研修（跟岗、教研）'),
  institutionType: labels('教师培训院校', '高等学校', '网络研修平台', '其他'),
  researchKind: labels('课题', '论文', '著作', '教学成果奖', '专利', '其他'),
  talentProgramme: labels('国家级人才项目', '省级人才项目', '市级人才项目', '特级教师', '名师名校长', '其他'),
  rotationKind: labels('城乡交流', '校际交流', '支教', '对口帮扶', '其他'),
} satisfies Record<string, CodeItem[]>;

export type CodeTableKey = keyof typeof codeTables;

const nameIndex = new Map<string, Map<string, string>>();

/** The name of a code, or the code itself when it is not in the table (old data stays readable). */
export function codeName(table: CodeTableKey, code: string): string {
  let index = nameIndex.get(table);
  if (!index) nameIndex.set(table, (index = new Map(codeTables[table].map((item) => [item.code, item.name]))));
  return index.get(code) ?? code;
}
