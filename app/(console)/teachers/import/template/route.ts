import { getReadyActor } from '@/lib/auth/session';
import { can } from '@/lib/auth/policy';
import { getImportCatalogue } from '@/lib/teacher-import/queries';
import { buildImportTemplate } from '@/lib/teacher-import/template';
import { stageNames } from '@/lib/reference/school-types';
import { fileResponse, notFoundResponse } from '@/lib/http/download';

/** The import template generated from the school's province settings and stage. */
export async function GET() {
  const actor = await getReadyActor();
  if (!actor || !can(actor, 'teacher.import')) return notFoundResponse();
  const { school, catalogue } = await getImportCatalogue(actor);
  const content = await buildImportTemplate(catalogue, `${school.name}（${stageNames[school.stage]}）教师信息批量导入表`);
  return fileResponse(content, '教师信息导入模板.xlsx');
}
