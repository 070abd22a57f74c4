import { getCurrentActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { getImportCatalogue } from '@/lib/teacher-import/queries';
import { buildImportTemplate } from '@/lib/teacher-import/template';
import { stageNames } from '@/lib/reference/school-types';

/** The import template generated from the school's province settings and stage. */
export async function GET() {
  const actor = await getCurrentActor();
  if (!actor || !can(actor, 'teacher.import')) return new Response('不存在', { status: 404 });
  const { school, catalogue } = await getImportCatalogue(actor);
  const content = await buildImportTemplate(catalogue, `${school.name}（${stageNames[school.stage]}）教师信息批量导入表`);
  return new Response(new Uint8Array(content), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent('教师信息导入模板.xlsx')}`,
    },
  });
}
