import type { Metadata } from 'next';
import { SchoolImportForm } from '@/components/schools/school-import-form';
import { PageTitle } from '@/components/ui/stat-card';
import { requirePermission } from '@/lib/auth/session';
import { maxSchoolListRows } from '@/lib/schools/schemas';

export const metadata: Metadata = { title: '学校名单导入' };

export default async function SchoolImportPage() {
  const actor = await requirePermission('school.import');
  return (
    <div className="space-y-4">
      <PageTitle
        title="学校名单导入"
        description={`${actor.unitTier === 'central' ? '按发展规划部门发布的最新学校（机构）数据初始化和更新全国学校代码。' : '更新本省学校（机构）代码信息。'}整个文件校验通过后才会写入；有任何错误时不导入任何数据。单次最多 ${maxSchoolListRows.toLocaleString('zh-CN')} 行。`}
      >
        <a href="/schools/import/template" className="btn-secondary">下载导入模板</a>
      </PageTitle>
      <SchoolImportForm />
      <section className="card p-4 text-sm text-slate-600">
        <h2 className="mb-2 font-semibold text-slate-700">说明</h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>系统中已有的学校按学校标识码更新名称、办学类型、所在地、主管部门和办学性质；状态填“撤销”即标记学校撤销，其账号随之停用。</li>
          <li>新学校自动建立 1 个系统管理员、1 个信息管理员和 2 个信息查询员账号，密码由主管部门逐级分发。</li>
          <li>每一处变更都记入审计日志。</li>
        </ul>
      </section>
    </div>
  );
}
