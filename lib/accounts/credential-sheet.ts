import ExcelJS from 'exceljs';
import { formatDateTime } from '@/lib/format';
import type { IssuedCredential } from './service';
import { workbookBytes } from '@/lib/spreadsheet/write';

/** The credential sheet handed down the tiers: unit code, unit name, account, initial password. */
export async function buildCredentialSheet(rows: IssuedCredential[], issuedBy: string, issuedAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '师管 教师管理信息系统';
  workbook.created = issuedAt;
  const sheet = workbook.addWorksheet('账号分发表');
  sheet.columns = [
    { header: '单位代码', key: 'unitCode', width: 14 },
    { header: '单位名称', key: 'unitName', width: 36 },
    { header: '账号', key: 'username', width: 22 },
    { header: '初始密码', key: 'password', width: 18 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.addRow([]);
  sheet.addRow([`由 ${issuedBy} 于 ${formatDateTime(issuedAt)} 生成。初始密码仅此一次显示，首次登录须修改；请妥善保管并通过安全渠道分发。`]);
  const buffer = await workbookBytes(workbook);
  return Buffer.from(buffer);
}
