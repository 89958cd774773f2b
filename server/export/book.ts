import { riskRowsOf, type RiskRowData } from '../../collab/schema/extract.ts';
import type { FlowchartData } from '../../collab/schema/flowchart.ts';
import { LEVEL_LABEL } from '../../collab/schema/risk-table.ts';
import type { EditionSection } from '../editions/snapshot.ts';
// The print view's numbering (GB/T 9704), so the Word book and the printed page count alike.
import { chineseDate, chineseNumber } from '../../src/lib/manual/numbering.ts';

export { chineseNumber };

/**
 * What the Word and Excel exports say the same way: Chinese numbering and dates, risk rows as
 * printed, the step a risk belongs to.
 */

/** Digits as a book's cover writes a year: 二〇二六. */
const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Year, month, day of an instant in Beijing time. */
export function beijingDate(ms: number): { year: number; month: number; day: number } {
	const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(ms));
	const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
	return { year: get('year'), month: get('month'), day: get('day') };
}

/** 二〇二六年十一月二十七日, as on the cover of a book (the text uses 2026年11月27日). */
export function coverDate(ms: number): string {
	const { year, month, day } = beijingDate(ms);
	const y = String(year)
		.split('')
		.map((d) => DIGITS[Number(d)])
		.join('');
	return `${y}年${chineseNumber(month)}月${chineseNumber(day)}日`;
}

/** "2014-10-31" → 2014年10月31日; anything else is shown as written. */
export function isoDateText(date: string | null | undefined): string {
	if (!date) return '';
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : date;
}

/** 2026年11月27日 14:05 in Beijing time. */
export function dateTimeText(ms: number): string {
	const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(ms));
	return `${chineseDate(ms)} ${time}`;
}

export const RISK_COLUMNS = ['序号', '风险点', '风险表现形式', '风险类别', '风险等级', '防控措施', '责任岗位/责任人', '责任领导', '制度建设计划', '完成时限'] as const;

export function levelText(row: RiskRowData): string {
	return row.level ? LEVEL_LABEL[row.level] : '未定级';
}

/** A template row nobody has filled in yet is no risk: it is left out of the book. */
export function isBlankRow(row: RiskRowData): boolean {
	return !row.level && !Object.values(row.cells).some((v) => v.trim());
}

export function printedRows(doc: unknown): RiskRowData[] {
	return riskRowsOf(doc).filter((r) => !isBlankRow(r));
}

/** The label of the flowchart step a risk row is linked to, from any chart of its section. */
export function stepLabel(section: Pick<EditionSection, 'flowcharts'>, stepId: string | null): string {
	if (!stepId) return '';
	for (const chart of Object.values(section.flowcharts ?? {}) as FlowchartData[]) {
		const step = chart.nodes?.[stepId];
		if (step) return step.label;
	}
	return '';
}

/** 《法》第二十六条, or 《规定》（国铁科法〔2014〕49号） when the "article" is a document number. */
export function basisText(law: string, article: string): string {
	const a = article.trim();
	const l = law.trim();
	if (!a) return l;
	if (!l) return a;
	return /^第/.test(a) ? l + a : `${l}（${a}）`;
}

/** In-section heading text without the numbering its author typed: the book numbers by level. */
export function stripNumbering(text: string): string {
	return text.replace(/^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)]|\d+(?:\.\d+)*(?:[、.．]|\s+))\s*/, '');
}
