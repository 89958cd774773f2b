import { AlignmentType, BorderStyle, Document, HeadingLevel, LineRuleType, NumberFormat, Packer, Paragraph, TableOfContents, TextRun, type ISectionOptions } from 'docx';
import { flowchartIdsOf, riskRowsOf } from '../../collab/schema/extract.ts';
import { renderFlowchartSvg, riskLevelsByStep } from '../../collab/schema/flowchart-svg.ts';
import type { EditionSnapshot } from '../editions/snapshot.ts';
import { chineseNumber, coverDate, dateTimeText, isoDateText } from './book.ts';
import { FLOWCHART_BOX, labelTable, sectionRuns, type Block, type PageRun } from './docx-content.ts';
import { emptyFooter, FONT, fonts, fontTableXml, numbering, pageNumberFooter, pageProperties, SIZE, STYLE_ID, styles } from './docx-style.ts';
import { flowchartPngs, type FlowchartImage, type PictureStore } from './flowchart-image.ts';

/**
 * The published manual as a Word book (DESIGN.md §1 Export, issue #8): cover, table of contents,
 * one chapter per unit (一、), one section per power item (（一）) with its card, flowchart and
 * risk table, then the approval records and the edition's facts as an appendix. A pure
 * function of the edition snapshot.
 */

export type ExportProgress = {
	stage: 'flowcharts' | 'document' | 'packing';
	done: number;
	total: number;
};

export type DocxOptions = {
	/** Marks the cover 示例数据 (the demo manual). */
	sample?: boolean;
	/** Flowchart pictures kept from earlier (drawn when the edition was published). */
	pictures?: PictureStore;
};

const body = (text: string) => new Paragraph({ style: STYLE_ID.body, children: [new TextRun(text)] });

/** "国家铁路局行政许可" / "廉政风险防控手册": a long title breaks before its generic ending, else in the middle. */
function titleLines(title: string): string[] {
	const t = title.trim();
	if ([...t].length <= 12) return [t];
	const suffix = /(廉政风险防控手册|手册)$/.exec(t);
	if (suffix && suffix.index > 0 && [...t.slice(0, suffix.index)].length <= 16) return [t.slice(0, suffix.index), suffix[0]];
	const chars = [...t];
	const half = Math.ceil(chars.length / 2);
	return [chars.slice(0, half).join(''), chars.slice(half).join('')];
}

function cover(snapshot: EditionSnapshot, options: DocxOptions): ISectionOptions {
	const children: Paragraph[] = [];
	const line = (text: string, o: { font: string; latin?: string; size: number; before?: number; color?: string; bold?: boolean }) =>
		new Paragraph({
			alignment: AlignmentType.CENTER,
			spacing: { before: o.before ?? 0, after: 0, line: Math.round(o.size * 10 * 1.5), lineRule: LineRuleType.EXACT },
			children: [new TextRun({ text, font: fonts(o.font, o.latin ?? o.font), size: o.size, color: o.color, bold: o.bold })]
		});
	if (options.sample)
		children.push(
			new Paragraph({
				alignment: AlignmentType.RIGHT,
				children: [
					new TextRun({
						text: ' 示例数据 ',
						font: fonts(FONT.heiti, FONT.heiti),
						size: SIZE.三号,
						color: 'C00000',
						border: { style: BorderStyle.SINGLE, size: 12, color: 'C00000', space: 2 }
					})
				]
			})
		);
	// Spacing in twips within the 225 mm (12 756 twip) type area: title at about a fifth, issuer and date near the foot.
	const lines = titleLines(snapshot.manual.title);
	lines.forEach((t, i) => children.push(line(t, { font: FONT.title, size: SIZE.小初, before: i === 0 ? (options.sample ? 2600 : 3180) : 0 })));
	children.push(line(snapshot.manual.edition ? `（${snapshot.manual.edition}）` : '', { font: FONT.kaiti, latin: FONT.latin, size: SIZE.三号, before: 600 }));
	children.push(line(`第${snapshot.number}版`, { font: FONT.fangsong, latin: FONT.latin, size: SIZE.三号, before: 240 }));
	children.push(line('国家铁路局', { font: FONT.title, size: SIZE.小二, before: 3800 + (2 - lines.length) * 1080 }));
	children.push(line(coverDate(snapshot.publishedAt), { font: FONT.fangsong, size: SIZE.三号, before: 200 }));
	return { properties: pageProperties('portrait'), footers: { default: emptyFooter() }, children };
}

function contents(): ISectionOptions {
	return {
		properties: pageProperties('portrait', { page: { pageNumbers: { start: 1, formatType: NumberFormat.UPPER_ROMAN } } }),
		footers: { default: pageNumberFooter() },
		children: [
			new Paragraph({ style: STYLE_ID.title, spacing: { after: 400 }, children: [new TextRun('目　　录')] }),
			// A real TOC field (Word fills in page numbers when it updates fields); until then, and in
			// readers that never update, it holds the entries docx writes from the headings.
			new TableOfContents('目录', { hyperlink: true, headingStyleRange: '1-2' })
		]
	};
}

/** 集体审定 and 党组研究 records, and the edition's facts. */
function appendix(snapshot: EditionSnapshot, options: DocxOptions, pageBreakBefore: boolean): Block[] {
	const out: Block[] = [new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore, children: [new TextRun('附录　审定记录与版本信息')] })];
	const h2 = (t: string) => new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(t)] });
	const h3 = (t: string) => new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun(t)] });
	const who = (p: { displayName: string; username: string }) => p.displayName || p.username;

	out.push(h2('（一）单位集体审定记录'));
	const units = [...snapshot.units.map((u) => ({ id: u.id, name: u.name }))];
	for (const a of snapshot.records.approvals) if (!units.some((u) => u.id === a.unitId)) units.push({ id: a.unitId, name: a.unitName });
	units.forEach((u, i) => {
		out.push(h3(`${i + 1}. ${u.name}`));
		const approvals = snapshot.records.approvals.filter((a) => a.unitId === u.id).sort((a, b) => a.meetingDate.localeCompare(b.meetingDate));
		if (!approvals.length) out.push(body('未录入集体审定记录。'));
		for (const a of approvals)
			out.push(
				labelTable([
					['会议日期', [isoDateText(a.meetingDate)]],
					['参会人员', [a.attendees.join('、')]],
					['审定意见', a.decision.split('\n')],
					...(a.attachment ? ([['附件', [a.attachment]]] as [string, string[]][]) : []),
					['记录人', [`${who(a.recordedBy)}（${dateTimeText(a.recordedAt)}录入）`]]
				])
			);
	});

	out.push(h2('（二）党组研究记录'));
	const decisions = [...snapshot.records.decisions].sort((a, b) => a.meetingDate.localeCompare(b.meetingDate));
	if (!decisions.length) out.push(body('未录入党组研究记录。'));
	for (const d of decisions)
		out.push(
			labelTable([
				['会议日期', [isoDateText(d.meetingDate)]],
				['研究决定', d.decision.split('\n')],
				['记录人', [`${who(d.recordedBy)}（${dateTimeText(d.recordedAt)}录入）`]]
			])
		);

	out.push(h2('（三）版本信息'));
	out.push(
		labelTable([
			['手册名称', [snapshot.manual.title]],
			['版本', [snapshot.manual.edition || '—']],
			['版次', [`第${snapshot.number}版`]],
			['发布时间', [dateTimeText(snapshot.publishedAt)]],
			['发布人', [who(snapshot.publishedBy)]],
			['发布说明', (snapshot.note || '—').split('\n')],
			['上一版本校验值', [snapshot.prevHash ?? '无（首次发布）']],
			...(options.sample ? ([['说明', ['本手册内容为示例数据。']]] as [string, string[]][]) : [])
		])
	);
	return out;
}

export async function renderDocx(snapshot: EditionSnapshot, onProgress?: (p: ExportProgress) => void, options: DocxOptions = {}): Promise<Buffer> {
	// Every flowchart first: the pictures are most of the work, and render in parallel.
	const jobs: { section: string; id: string; svg: string }[] = [];
	for (const unit of snapshot.units)
		for (const section of unit.sections) {
			const levels = riskLevelsByStep(riskRowsOf(section.content));
			for (const id of new Set(flowchartIdsOf(section.content))) {
				const data = section.flowcharts?.[id];
				if (data) jobs.push({ section: section.id, id, svg: renderFlowchartSvg(data, levels) });
			}
		}
	onProgress?.({ stage: 'flowcharts', done: 0, total: jobs.length });
	const pngs = await flowchartPngs(
		jobs.map((j) => j.svg),
		{ box: FLOWCHART_BOX, store: options.pictures, onDone: (done, total) => onProgress?.({ stage: 'flowcharts', done, total }) }
	);
	const images = new Map<string, Map<string, FlowchartImage>>();
	jobs.forEach((j, i) => {
		if (!images.has(j.section)) images.set(j.section, new Map());
		if (pngs[i]) images.get(j.section)!.set(j.id, pngs[i]);
	});

	const total = snapshot.units.reduce((n, u) => n + u.sections.length, 0);
	let done = 0;
	let listInstance = 0;
	const runs: PageRun[] = [];
	const add = (run: PageRun) => {
		const last = runs[runs.length - 1];
		if (last && last.orientation === run.orientation) last.blocks.push(...run.blocks);
		else runs.push({ orientation: run.orientation, blocks: [...run.blocks] });
	};
	/** Whether the next block shares a page with what came before (then a chapter or item must break the page). */
	const continuesPortrait = () => runs.length > 0 && runs[runs.length - 1].orientation === 'portrait';

	snapshot.units.forEach((unit, u) => {
		const chapter = (pageBreakBefore: boolean) =>
			new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore, children: [new TextRun(`${chineseNumber(u + 1)}、${unit.name}`)] });
		if (!unit.sections.length) {
			add({ orientation: 'portrait', blocks: [chapter(continuesPortrait()), body('本单位暂无职权事项。')] });
			return;
		}
		unit.sections.forEach((section, s) => {
			const parts = sectionRuns({ section, images: images.get(section.id) ?? new Map(), nextListInstance: () => ++listInstance });
			if (!parts.length) parts.push({ orientation: 'portrait', blocks: [body('（本事项暂无内容。）')] });
			const breakPage = parts[0].orientation === 'portrait' && continuesPortrait();
			const head: Paragraph[] = [];
			if (s === 0) head.push(chapter(breakPage));
			head.push(new Paragraph({ heading: HeadingLevel.HEADING_2, pageBreakBefore: s > 0 && breakPage, children: [new TextRun(`（${chineseNumber(s + 1)}）${section.title}`)] }));
			parts[0].blocks.unshift(...head);
			for (const part of parts) add(part);
			onProgress?.({ stage: 'document', done: ++done, total });
		});
	});
	add({ orientation: 'portrait', blocks: appendix(snapshot, options, continuesPortrait()) });

	const sections: ISectionOptions[] = [cover(snapshot, options), contents()];
	runs.forEach((run, i) => {
		sections.push({
			// Later sections inherit the first body section's footer; page numbers run on.
			properties: pageProperties(run.orientation, i === 0 ? { page: { pageNumbers: { start: 1, formatType: NumberFormat.DECIMAL } } } : {}),
			footers: i === 0 ? { default: pageNumberFooter() } : undefined,
			children: run.blocks
		});
	});

	const doc = new Document({
		title: snapshot.manual.title,
		subject: `${snapshot.manual.title}（${snapshot.manual.edition}，第${snapshot.number}版）`,
		creator: snapshot.publishedBy.displayName || snapshot.publishedBy.username,
		lastModifiedBy: snapshot.publishedBy.displayName || snapshot.publishedBy.username,
		description: snapshot.note,
		styles: styles(),
		numbering: numbering(),
		sections
	});
	onProgress?.({ stage: 'packing', done: 0, total: 1 });
	const buffer = await Packer.toBuffer(doc, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]);
	onProgress?.({ stage: 'packing', done: 1, total: 1 });
	return buffer;
}
