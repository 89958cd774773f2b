import {
	AlignmentType,
	BorderStyle,
	HeadingLevel,
	ImageRun,
	LineRuleType,
	Paragraph,
	ShadingType,
	Table,
	TableCell,
	TableLayoutType,
	TableRow,
	TextRun,
	VerticalAlignTable,
	WidthType,
	type IRunOptions
} from 'docx';
import { powerItemOf, riskRowsOf, textOf, type RiskRowData } from '../../collab/schema/extract.ts';
import { BASIS_LABEL, POWER_FIELDS } from '../../collab/schema/power-item.ts';
import { LEVEL_COLOR } from '../../collab/schema/risk-table.ts';
import type { EditionSection } from '../editions/snapshot.ts';
import { basisText, isBlankRow, isoDateText, levelText, RISK_COLUMNS, stripNumbering } from './book.ts';
import { FONT, fonts, LANDSCAPE_TEXT_HEIGHT, LANDSCAPE_TEXT_WIDTH, LIST_REF, mm, PORTRAIT_TEXT_HEIGHT, PORTRAIT_TEXT_WIDTH, SIZE, STYLE_ID, TABLE_BORDERS } from './docx-style.ts';
import type { FlowchartImage } from './flowchart-image.ts';

/**
 * One power item's section text (ProseMirror JSON) as Word blocks, in document order: headings
 * renumbered to the book's levels, the card as a two-column table, flowcharts as pictures, risk
 * tables as Word tables on landscape pages, everything else as body text.
 */

type JSONNode = { type?: string; attrs?: Record<string, unknown>; content?: JSONNode[]; text?: string; marks?: { type: string; attrs?: Record<string, unknown> }[] };

export type Block = Paragraph | Table;
export type Orientation = 'portrait' | 'landscape';
/** Blocks that share a page orientation; a change of orientation is a Word section break. */
export type PageRun = { orientation: Orientation; blocks: Block[] };

export type SectionContext = {
	section: EditionSection;
	/** Flowchart id → its picture, rendered beforehand. */
	images: Map<string, FlowchartImage>;
	/** Numbers each ordered list apart (Word numbering instances). */
	nextListInstance: () => number;
};

// ---------------------------------------------------------------------------------------------
// Text

function runsOf(nodes: JSONNode[] | undefined, base: IRunOptions = {}): TextRun[] {
	const runs: TextRun[] = [];
	for (const n of nodes ?? []) {
		if (n.type === 'hardBreak') runs.push(new TextRun({ ...base, break: 1 }));
		else if (typeof n.text === 'string' && n.text) {
			const o: { -readonly [K in keyof IRunOptions]: IRunOptions[K] } = { ...base, text: n.text };
			for (const m of n.marks ?? []) {
				if (m.type === 'bold') o.bold = true;
				// Chinese typesetting emphasises with 楷体 rather than slanting the characters.
				else if (m.type === 'italic') o.font = fonts(FONT.kaiti);
				else if (m.type === 'underline') o.underline = {};
				else if (m.type === 'strike') o.strike = true;
				else if (m.type === 'code') o.font = fonts(FONT.fangsong, 'Courier New');
			}
			runs.push(new TextRun(o));
		} else if (n.content) runs.push(...runsOf(n.content, base));
	}
	return runs;
}

const hasText = (n: JSONNode) => textOf(n).trim() !== '';

// ---------------------------------------------------------------------------------------------
// Tables

type CellOptions = { width: number; bold?: boolean; head?: boolean; center?: boolean; shade?: string; size?: number; color?: string };

/** Cell padding, set once per table (a big edition has tens of thousands of cells). */
const CELL_MARGINS = { top: 40, bottom: 40, left: 80, right: 80 };

function cell(lines: string[], o: CellOptions): TableCell {
	const style = o.head ? STYLE_ID.cellHead : o.center ? STYLE_ID.cellCenter : STYLE_ID.cell;
	const plain = !o.bold && !o.size && !o.color;
	return new TableCell({
		width: { size: o.width, type: WidthType.DXA },
		verticalAlign: VerticalAlignTable.CENTER,
		shading: o.shade ? { type: ShadingType.CLEAR, color: 'auto', fill: o.shade } : undefined,
		children: (lines.length ? lines : ['']).map(
			(text) => new Paragraph({ style, children: text ? [plain ? new TextRun(text) : new TextRun({ text, bold: o.bold, size: o.size, color: o.color })] : [] })
		)
	});
}

/**
 * Whether a row is short enough to keep on one page. Rows are kept whole (a risk is read as one),
 * but Word crops a row taller than the page when it may not split, so a very long one may.
 * Estimated from the text: a CJK character is one em wide, lines are 1.25 em, half a page is the limit.
 */
function keepWhole(cells: { lines: string[]; width: number }[], size: number, pageHeight: number): boolean {
	const em = size * 10; // half-points → twips
	const tallest = Math.max(
		...cells.map(({ lines, width }) => {
			const perLine = Math.max(1, Math.floor((width - CELL_MARGINS.left - CELL_MARGINS.right) / em));
			return lines.reduce((n, l) => n + Math.max(1, Math.ceil([...l].length / perLine)), 0);
		})
	);
	return tallest * em * 1.25 < pageHeight / 2;
}

const LABEL_WIDTH = mm(30);

/** A two-column table on a portrait page: label | value (one paragraph per line of the value). */
export function labelTable(rows: [label: string, lines: string[]][], size: number = SIZE.四号): Table {
	const valueWidth = PORTRAIT_TEXT_WIDTH - LABEL_WIDTH;
	return new Table({
		rows: rows.map(
			([label, lines]) =>
				new TableRow({
					cantSplit: keepWhole([{ lines, width: valueWidth }], size, PORTRAIT_TEXT_HEIGHT),
					children: [cell([label], { width: LABEL_WIDTH, head: true, shade: 'F2F2F2', size }), cell(lines, { width: valueWidth, size })]
				})
		),
		width: { size: PORTRAIT_TEXT_WIDTH, type: WidthType.DXA },
		columnWidths: [LABEL_WIDTH, valueWidth],
		layout: TableLayoutType.FIXED,
		margins: CELL_MARGINS,
		borders: TABLE_BORDERS,
		alignment: AlignmentType.CENTER
	});
}

/** 职权目录条目: the card's fields in order, 法律依据 one law per line. */
function cardTable(node: JSONNode): Table {
	const item = powerItemOf(node);
	const rows: [string, string[]][] = [];
	for (const f of POWER_FIELDS) {
		if (f.key === 'limit') {
			const basis = (item?.basis ?? []).filter((b) => b.law.trim() || b.article.trim());
			rows.push([BASIS_LABEL, basis.map((b, i) => `${basis.length > 1 ? `${i + 1}. ` : ''}${basisText(b.law, b.article)}`)]);
		}
		rows.push([f.label, [item?.fields[f.key] ?? '']]);
	}
	return labelTable(rows);
}

/** Share of the landscape type area (225 mm) per column of the risk table. */
const RISK_WIDTHS = [11, 19, 34, 18, 18, 43, 21, 21, 21, 19].map((w) => Math.floor((w / 225) * LANDSCAPE_TEXT_WIDTH));

/** 廉政风险防控表 as a real Word table; its header row repeats on every page. */
export function riskTable(rows: RiskRowData[]): Table {
	const cellOf = (key: string) => (r: RiskRowData) => r.cells[key] ?? '';
	const header = new TableRow({
		tableHeader: true,
		cantSplit: true,
		children: RISK_COLUMNS.map((label, i) => cell([label], { width: RISK_WIDTHS[i], head: true, shade: 'D9D9D9' }))
	});
	const body = rows.map((r, n) => {
		const values: [string, Partial<CellOptions>][] = [
			[String(n + 1), { center: true }],
			[cellOf('point')(r), {}],
			[cellOf('form')(r), {}],
			[r.category, { center: true }],
			[levelText(r), { center: true, bold: !!r.level, color: r.level ? LEVEL_COLOR[r.level].slice(1) : '666666' }],
			[cellOf('measure')(r), {}],
			[cellOf('post')(r), {}],
			[cellOf('leader')(r), {}],
			[cellOf('plan')(r), {}],
			[isoDateText(r.deadline), { center: true }]
		];
		const cells = values.map(([text], i) => ({ lines: text.split('\n'), width: RISK_WIDTHS[i] }));
		return new TableRow({
			cantSplit: keepWhole(cells, SIZE.五号, LANDSCAPE_TEXT_HEIGHT),
			children: values.map(([, o], i) => cell(cells[i].lines, { width: RISK_WIDTHS[i], ...o }))
		});
	});
	return new Table({
		rows: [header, ...body],
		width: { size: RISK_WIDTHS.reduce((a, b) => a + b, 0), type: WidthType.DXA },
		columnWidths: RISK_WIDTHS,
		layout: TableLayoutType.FIXED,
		margins: CELL_MARGINS,
		borders: TABLE_BORDERS,
		alignment: AlignmentType.CENTER
	});
}

// ---------------------------------------------------------------------------------------------
// Flowchart

/** Largest picture on a portrait page, CSS px: the type area's width, and its height less a heading and a caption. */
export const FLOWCHART_BOX = { width: Math.floor((156 / 25.4) * 96), height: Math.floor((190 / 25.4) * 96) };

function flowchartBlocks(id: string, ctx: SectionContext): Block[] {
	const image = ctx.images.get(id);
	if (!image) {
		const note = ctx.section.flowcharts?.[id] ? '（流程图无法绘制，请查看系统中的流程图）' : '（流程图数据缺失）';
		return [new Paragraph({ style: STYLE_ID.caption, children: [new TextRun(note)] })];
	}
	const title = `${ctx.section.title}权力运行流程图`;
	return [
		new Paragraph({
			alignment: AlignmentType.CENTER,
			keepNext: true,
			// Auto line height, or the body's exact 28.95 pt would crop the picture to one line.
			spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 120, after: 0 },
			children: [
				new ImageRun({
					type: 'png',
					data: image.png,
					transformation: { width: Math.round(image.displayWidth), height: Math.round(image.displayHeight) },
					altText: { name: title, title, description: `${title}（廉政风险分布图：标注风险点及其等级）` }
				})
			]
		}),
		new Paragraph({ style: STYLE_ID.caption, keepNext: false, children: [new TextRun(`${title}（廉政风险分布图）`)] })
	];
}

// ---------------------------------------------------------------------------------------------
// The walk

export function sectionRuns(ctx: SectionContext): PageRun[] {
	const content = ctx.section.content as JSONNode;
	const runs: PageRun[] = [{ orientation: 'portrait', blocks: [] }];
	/** Headings wait here until the next block shows which page (portrait or landscape) they head. */
	let pending: Block[] = [];
	/**
	 * Text stays on the pages it follows: after a risk table, on its landscape pages (a few lines
	 * of explanation do not get a portrait page of their own); cards and flowcharts are portrait.
	 */
	const text = 'current';
	const place = (where: Orientation | typeof text, blocks: Block[]) => {
		const orientation = where === 'current' ? runs[runs.length - 1].orientation : where;
		let run = runs[runs.length - 1];
		if (run.orientation !== orientation) runs.push((run = { orientation, blocks: [] }));
		run.blocks.push(...pending, ...blocks);
		pending = [];
	};

	const headingNodes = (content.content ?? []).filter((n) => n.type === 'heading');
	const top = Math.min(...headingNodes.map((n) => Number(n.attrs?.level ?? 1)));
	const counters = [0, 0];

	const heading = (n: JSONNode): Paragraph | null => {
		const text = stripNumbering(textOf(n).trim());
		if (!text) return null;
		const depth = Number(n.attrs?.level ?? 1) - top;
		let number = '';
		if (depth === 0) {
			counters[0]++;
			counters[1] = 0;
			number = `${counters[0]}.`;
		} else if (depth === 1) number = `（${++counters[1]}）`;
		const level = depth === 0 ? HeadingLevel.HEADING_3 : depth === 1 ? HeadingLevel.HEADING_4 : HeadingLevel.HEADING_5;
		return new Paragraph({ heading: level, children: [new TextRun(number + text)] });
	};

	const list = (n: JSONNode, level: number, out: Block[]) => {
		const ordered = n.type === 'orderedList';
		const instance = ordered ? ctx.nextListInstance() : undefined;
		for (const item of n.content ?? []) {
			for (const child of item.content ?? []) {
				if (child.type === 'bulletList' || child.type === 'orderedList') list(child, Math.min(level + 1, 3), out);
				else if (hasText(child))
					out.push(
						new Paragraph({
							style: STYLE_ID.plain,
							numbering: { reference: ordered ? LIST_REF.ordered : LIST_REF.bullets, level, instance },
							children: runsOf(child.content)
						})
					);
			}
		}
	};

	for (const n of content.content ?? []) {
		switch (n.type) {
			case 'heading': {
				const p = heading(n);
				if (p) pending.push(p);
				break;
			}
			case 'powerItem':
				place('portrait', [cardTable(n)]);
				break;
			case 'flowchart':
				place('portrait', flowchartBlocks(String(n.attrs?.id ?? ''), ctx));
				break;
			case 'riskTable': {
				const rows = riskRowsOf(n).filter((r) => !isBlankRow(r));
				const caption = new Paragraph({ style: STYLE_ID.caption, children: [new TextRun(`${ctx.section.title}廉政风险防控表`)] });
				// A table with no risk filled in is a sentence on the page the text is on, not a landscape page.
				if (rows.length) place('landscape', [caption, riskTable(rows)]);
				else place(text, [new Paragraph({ style: STYLE_ID.body, children: [new TextRun('（本事项未列出廉政风险点。）')] })]);
				break;
			}
			case 'bulletList':
			case 'orderedList': {
				const out: Block[] = [];
				list(n, 0, out);
				if (out.length) place(text, out);
				break;
			}
			case 'blockquote': {
				const paras = (n.content ?? []).filter(hasText).map((c) => new Paragraph({ style: STYLE_ID.body, indent: { left: 640, right: 640 }, children: runsOf(c.content, { font: fonts(FONT.kaiti) }) }));
				if (paras.length) place(text, paras);
				break;
			}
			case 'codeBlock':
				if (hasText(n))
					place(
						text,
						textOf(n)
							.split('\n')
							.map((line) => new Paragraph({ style: STYLE_ID.plain, children: [new TextRun({ text: line, font: fonts(FONT.fangsong, 'Courier New'), size: SIZE.四号 })] }))
					);
				break;
			case 'horizontalRule':
				place(text, [new Paragraph({ style: STYLE_ID.plain, border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '808080', space: 1 } }, children: [] })]);
				break;
			default:
				// paragraph, and any block this walk does not know: its text as body text
				if (hasText(n)) place(text, [new Paragraph({ style: STYLE_ID.body, children: n.type === 'paragraph' ? runsOf(n.content) : [new TextRun(textOf(n))] })]);
		}
	}
	if (pending.length) place(text, []);
	return runs.filter((r) => r.blocks.length);
}
