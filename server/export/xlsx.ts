import ExcelJS from 'exceljs';
import { LEVEL_LABEL, type RiskLevel } from '../../collab/schema/risk-table.ts';
import type { EditionSnapshot } from '../editions/snapshot.ts';
import { dateTimeText, levelText, printedRows, stepLabel } from './book.ts';

/**
 * The edition's risk register (廉政风险清单) as an Excel workbook: one row per risk, the
 * header styled, filtered and frozen, levels in their colours, ready to print on landscape A4.
 * A second sheet says which edition it is. A pure function of the edition snapshot.
 */

const COLUMNS: { header: string; key: string; width: number; center?: boolean }[] = [
	{ header: '单位', key: 'unit', width: 16 },
	{ header: '职权事项', key: 'item', width: 26 },
	{ header: '流程环节', key: 'step', width: 14 },
	{ header: '风险点', key: 'point', width: 16 },
	{ header: '风险表现形式', key: 'form', width: 36 },
	{ header: '风险类别', key: 'category', width: 10, center: true },
	{ header: '风险等级', key: 'level', width: 10, center: true },
	{ header: '防控措施', key: 'measure', width: 40 },
	{ header: '责任岗位/责任人', key: 'post', width: 16 },
	{ header: '责任领导', key: 'leader', width: 16 },
	{ header: '制度建设计划', key: 'plan', width: 24 },
	{ header: '完成时限', key: 'deadline', width: 12, center: true }
];

export const XLSX_HEADERS = COLUMNS.map((c) => c.header);

/** Fill and text colour per level: the red, amber and green of Excel's own Bad / Neutral / Good. */
export const LEVEL_FILL: Record<RiskLevel, { fill: string; font: string }> = {
	high: { fill: 'FFFFC7CE', font: 'FF9C0006' },
	medium: { fill: 'FFFFE0B2', font: 'FF9C4A00' },
	low: { fill: 'FFC6EFCE', font: 'FF006100' }
};

const FONT = '仿宋';
const thin = { style: 'thin' as const, color: { argb: 'FF808080' } };
const border = { top: thin, left: thin, bottom: thin, right: thin };

/** A deadline "2027-03-30" as a date cell (sorts and filters as a date); anything else as text. */
function deadlineValue(deadline: string | null): Date | string {
	const m = deadline && /^(\d{4})-(\d{2})-(\d{2})$/.exec(deadline);
	return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : (deadline ?? '');
}

export async function renderXlsx(snapshot: EditionSnapshot): Promise<Buffer> {
	const book = new ExcelJS.Workbook();
	book.creator = snapshot.publishedBy.displayName || snapshot.publishedBy.username;
	book.title = `${snapshot.manual.title}廉政风险清单`;
	book.created = new Date(snapshot.publishedAt);

	const sheet = book.addWorksheet('廉政风险清单', {
		views: [{ state: 'frozen', ySplit: 1, xSplit: 0, zoomScale: 100 }],
		pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1', horizontalCentered: true },
		headerFooter: { oddFooter: '&C— &P —' }
	});
	sheet.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));

	const header = sheet.getRow(1);
	header.height = 28;
	header.eachCell((cell) => {
		cell.font = { name: '黑体', size: 11, bold: true, color: { argb: 'FFFFFFFF' } };
		cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF7F1D1D' } };
		cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
		cell.border = border;
	});

	for (const unit of snapshot.units)
		for (const section of unit.sections)
			for (const r of printedRows(section.content)) {
				const row = sheet.addRow({
					unit: unit.name,
					item: section.title,
					step: stepLabel(section, r.stepId),
					point: r.cells.point ?? '',
					form: r.cells.form ?? '',
					category: r.category,
					level: levelText(r),
					measure: r.cells.measure ?? '',
					post: r.cells.post ?? '',
					leader: r.cells.leader ?? '',
					plan: r.cells.plan ?? '',
					deadline: deadlineValue(r.deadline)
				});
				row.eachCell({ includeEmpty: true }, (cell, col) => {
					const c = COLUMNS[col - 1];
					cell.font = { name: FONT, size: 11 };
					cell.alignment = { vertical: 'middle', horizontal: c.center ? 'center' : 'left', wrapText: true };
					cell.border = border;
				});
				row.getCell('deadline').numFmt = 'yyyy"年"m"月"d"日"';
				if (r.level) {
					const level = row.getCell('level');
					level.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: LEVEL_FILL[r.level].fill } };
					level.font = { name: FONT, size: 11, bold: true, color: { argb: LEVEL_FILL[r.level].font } };
				}
			}
	sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, sheet.rowCount), column: COLUMNS.length } };

	const about = book.addWorksheet('版本信息');
	about.columns = [
		{ header: '项目', key: 'k', width: 16 },
		{ header: '内容', key: 'v', width: 70 }
	];
	const counts = { high: 0, medium: 0, low: 0, none: 0 };
	for (const unit of snapshot.units) for (const s of unit.sections) for (const r of printedRows(s.content)) counts[r.level ?? 'none']++;
	about.addRows([
		{ k: '手册名称', v: snapshot.manual.title },
		{ k: '版本', v: snapshot.manual.edition },
		{ k: '版次', v: `第${snapshot.number}版` },
		{ k: '发布时间', v: dateTimeText(snapshot.publishedAt) },
		{ k: '发布人', v: snapshot.publishedBy.displayName || snapshot.publishedBy.username },
		{ k: '风险点', v: `共${counts.high + counts.medium + counts.low + counts.none}个：${(['high', 'medium', 'low'] as const).map((l) => `${LEVEL_LABEL[l]}${counts[l]}个`).join('，')}${counts.none ? `，未定级${counts.none}个` : ''}` }
	]);
	about.getRow(1).font = { name: '黑体', bold: true };
	about.eachRow((row) => row.eachCell((cell) => (cell.alignment = { vertical: 'middle', wrapText: true })));

	return Buffer.from(await book.xlsx.writeBuffer());
}
