import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EditionSnapshot } from '../../server/editions/snapshot.ts';
import { printedRows, stepLabel } from '../../server/export/book.ts';
import { LEVEL_FILL, renderXlsx, XLSX_HEADERS } from '../../server/export/xlsx.ts';
import { demoSnapshot } from '../helpers/edition-snapshot.ts';

/** The risk register of the demo manual, read back with exceljs as Excel would open it. */

let snapshot: EditionSnapshot;
let sheet: ExcelJS.Worksheet;
let book: ExcelJS.Workbook;

beforeAll(async () => {
	snapshot = demoSnapshot();
	book = new ExcelJS.Workbook();
	await book.xlsx.load((await renderXlsx(snapshot)) as unknown as ArrayBuffer);
	sheet = book.getWorksheet('廉政风险清单')!;
});

const risks = () => snapshot.units.flatMap((u) => u.sections.flatMap((s) => printedRows(s.content).map((r) => ({ unit: u, section: s, row: r }))));
const text = (v: ExcelJS.CellValue) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? ''));

describe('Excel risk register', () => {
	it('has the header, styled, frozen and filtered', () => {
		expect(sheet).toBeDefined();
		expect((sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1)).toEqual(XLSX_HEADERS);
		expect(XLSX_HEADERS).toEqual(['单位', '职权事项', '流程环节', '风险点', '风险表现形式', '风险类别', '风险等级', '防控措施', '责任岗位/责任人', '责任领导', '制度建设计划', '完成时限']);
		const head = sheet.getCell('A1');
		expect(head.font?.bold).toBe(true);
		expect((head.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FF7F1D1D');
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
		expect(sheet.autoFilter).toBe(`A1:L${risks().length + 1}`);
	});

	it('has one row per risk, in book order, with the linked step', () => {
		const all = risks();
		expect(sheet.rowCount).toBe(all.length + 1);
		all.forEach(({ unit, section, row }, i) => {
			const values = (sheet.getRow(i + 2).values as ExcelJS.CellValue[]).slice(1).map(text);
			expect(values.slice(0, 5)).toEqual([unit.name, section.title, stepLabel(section, row.stepId), row.cells.point, row.cells.form]);
			expect(values[5]).toBe(row.category);
			expect(values.slice(7, 11)).toEqual([row.cells.measure, row.cells.post, row.cells.leader, row.cells.plan]);
			expect(values[11]).toBe(row.deadline ?? '');
		});
		// 受理决定 is the flowchart step the first demo risk is linked to.
		expect(text(sheet.getCell('C2').value)).toBe('受理决定');
		expect(sheet.getCell('L2').value).toEqual(new Date(Date.UTC(2014, 9, 31)));
		expect(sheet.getCell('L2').numFmt).toContain('年');
	});

	it('colours each level (高 red, 中 orange, 低 green) and wraps long text', () => {
		const seen = new Set<string>();
		risks().forEach(({ row }, i) => {
			const cell = sheet.getCell(i + 2, 7);
			expect(cell.value).toBe(row.level ? { high: '高', medium: '中', low: '低' }[row.level] : '未定级');
			if (!row.level) return;
			seen.add(row.level);
			expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe(LEVEL_FILL[row.level].fill);
			expect(cell.font?.color?.argb).toBe(LEVEL_FILL[row.level].font);
		});
		expect([...seen].sort()).toEqual(['high', 'low', 'medium']);
		expect(LEVEL_FILL.high.fill).toBe('FFFFC7CE');
		expect(sheet.getCell('E2').alignment?.wrapText).toBe(true);
		expect(sheet.getColumn(5).width).toBeGreaterThan(30);
		expect(sheet.getColumn(7).width).toBeLessThan(12);
	});

	it('says which edition it is on a second sheet', () => {
		const about = book.getWorksheet('版本信息')!;
		const rows = new Map<string, string>();
		about.eachRow((r) => rows.set(text(r.getCell(1).value), text(r.getCell(2).value)));
		expect(rows.get('手册名称')).toBe('国家铁路局行政许可廉政风险防控手册');
		expect(rows.get('版次')).toBe('第2版');
		const levels = risks().map((r) => r.row.level);
		expect(rows.get('风险点')).toBe(`共${levels.length}个：高${levels.filter((l) => l === 'high').length}个，中${levels.filter((l) => l === 'medium').length}个，低${levels.filter((l) => l === 'low').length}个`);
	});
});
