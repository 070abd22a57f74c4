import type ExcelJS from 'exceljs';

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV / formula injection). */
const formulaLead = /^[=+\-@\t\r]/;

/** A text that would start a formula gets a leading apostrophe: still readable, never evaluated. */
export function neutralizeFormula(value: string): string {
  return formulaLead.test(value) ? `'${value}` : value;
}

/**
 * The one way to turn a workbook into bytes: every text cell that could be taken for a formula is
 * neutralised first, whoever typed it (teacher, school, import file).
 */
export async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Buffer> {
  workbook.eachSheet((sheet) => {
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (typeof cell.value === 'string' && formulaLead.test(cell.value)) cell.value = neutralizeFormula(cell.value);
      });
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
