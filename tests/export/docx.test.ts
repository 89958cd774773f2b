import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { flowchartIdsOf } from '../../collab/schema/extract.ts';
import type { EditionSnapshot } from '../../server/editions/snapshot.ts';
import { printedRows } from '../../server/export/book.ts';
import { renderDocx, type ExportProgress } from '../../server/export/docx.ts';
import { demoSnapshot } from '../helpers/edition-snapshot.ts';
import { pdfPages, pdfPageSizes, pdfToPngs, toPdf } from '../helpers/libreoffice.ts';
import { unzip } from '../helpers/zip.ts';

/**
 * The demo manual as a Word book, read back twice: its XML (what Word is told) and the PDF real
 * LibreOffice makes of it (what a reader sees). One conversion for the whole file.
 */

let snapshot: EditionSnapshot;
let files: Map<string, Buffer>;
let documentXml: string;
let stylesXml: string;
const progress: ExportProgress[] = [];
let pages: string[];
/** Page text without spaces and line breaks (table cells wrap anywhere). */
let flat: string[];
let sizes: [number, number][];

const xml = (name: string) => files.get(name)?.toString('utf8') ?? '';
const sectionsWithRisks = () => snapshot.units.flatMap((u) => u.sections).filter((s) => printedRows(s.content).length);

beforeAll(async () => {
	snapshot = demoSnapshot();
	const docx = await renderDocx(snapshot, (p) => progress.push(p), { sample: true });
	files = unzip(docx);
	documentXml = xml('word/document.xml');
	stylesXml = xml('word/styles.xml');
	const pdf = toPdf('manual.docx', docx);
	pages = pdfPages(pdf);
	flat = pages.map((p) => p.replace(/\s+/g, ''));
	sizes = pdfPageSizes(pdf);
	// For people to look at (artifacts/ is not in git): cover, contents, first item, a landscape risk table.
	const out = path.resolve(import.meta.dirname, '../../artifacts/export');
	mkdirSync(out, { recursive: true });
	const landscape = sizes.findIndex(([w, h]) => w > h) + 1;
	pdfToPngs(pdf, path.join(out, 'docx-page'), [1, 2, 3, 4, landscape], 60);
}, 240_000);

describe('Word export: the file', () => {
	it('is A4 portrait with the GB/T 9704 type area (top 37, bottom 35, left 28, right 26 mm)', () => {
		expect(documentXml).toContain('<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"/>');
		expect(documentXml).toContain('<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"');
	});

	it('sets body text in 仿宋 三号 and headings in 黑体, 楷体, titles in 小标宋, with fallbacks in the font table', () => {
		const defaults = /<w:docDefaults>.*?<\/w:docDefaults>/s.exec(stylesXml)![0];
		expect(defaults).toContain('w:eastAsia="仿宋_GB2312"');
		expect(defaults).toContain('<w:sz w:val="32"/>');
		expect(defaults).toContain('w:eastAsia="zh-CN"');
		const style = (id: string) => new RegExp(`<w:style [^>]*w:styleId="${id}".*?</w:style>`, 's').exec(stylesXml)?.[0] ?? '';
		expect(style('Heading1')).toContain('w:eastAsia="黑体"');
		expect(style('Heading2')).toContain('w:eastAsia="楷体_GB2312"');
		expect(style('BookTitle')).toContain('w:eastAsia="方正小标宋简体"');
		const fontTable = xml('word/fontTable.xml');
		expect(fontTable).toMatch(/<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋,[^"]*"\/>.*?<w:charset w:val="86"\/>/);
		expect(fontTable).toContain('<w:font w:name="黑体">');
	});

	it('puts every risk table on a landscape section, with its header row repeated on each page', () => {
		const landscape = documentXml.match(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/g) ?? [];
		expect(landscape).toHaveLength(sectionsWithRisks().length);
		const tables = [...documentXml.matchAll(/<w:tbl>.*?<\/w:tbl>/gs)].filter((m) => m[0].includes('风险表现形式'));
		expect(tables).toHaveLength(sectionsWithRisks().length);
		for (const t of tables) {
			const firstRow = /<w:tr>.*?<\/w:tr>/s.exec(t[0])![0];
			expect(firstRow).toContain('<w:tblHeader/>');
			expect(t[0].match(/<w:tblHeader\/>/g)).toHaveLength(1);
			// The section a table belongs to is described by the next sectPr after it.
			const sectPr = /<w:sectPr>.*?<\/w:sectPr>/s.exec(documentXml.slice(t.index! + t[0].length))![0];
			expect(sectPr).toContain('w:orient="landscape"');
		}
	});

	it('has a real table-of-contents field, filled with the units and items until Word updates it', () => {
		expect(documentXml).toMatch(/<w:instrText[^>]*>\s*TOC [^<]*\\o &quot;1-2&quot;[^<]*<\/w:instrText>/);
		const toc = /<w:sdt>.*?<\/w:sdt>/s.exec(documentXml)![0];
		for (const [i, u] of snapshot.units.entries()) expect(toc).toContain(`${['一', '二', '三'][i]}、${u.name}`);
		expect(toc).toContain('（一）行政许可申请统一受理');
	});

	it('embeds each flowchart once, as a PNG', () => {
		const charts = snapshot.units.flatMap((u) => u.sections).reduce((n, s) => n + flowchartIdsOf(s.content).length, 0);
		const media = [...files.keys()].filter((k) => k.startsWith('word/media/'));
		expect(media).toHaveLength(charts);
		for (const m of media) expect(files.get(m)!.subarray(1, 4).toString('latin1')).toBe('PNG');
		expect(documentXml.match(/<pic:pic /g)).toHaveLength(charts);
	});

	it('numbers pages "— 1 —" in the footer', () => {
		const footers = [...files.keys()].filter((k) => /^word\/footer\d+\.xml$/.test(k)).map(xml);
		const numbered = footers.filter((f) => /PAGE/.test(f));
		expect(numbered.length).toBeGreaterThanOrEqual(1);
		for (const f of numbered) expect(f).toMatch(/>— <\/w:t>.*PAGE.*> —<\/w:t>/s);
	});

	it('reports progress through flowcharts, document and packing', () => {
		const last = (stage: ExportProgress['stage']) => progress.filter((p) => p.stage === stage).at(-1)!;
		expect(last('flowcharts')).toMatchObject({ done: 6, total: 6 });
		expect(last('document')).toMatchObject({ done: 6, total: 6 });
		expect(last('packing')).toMatchObject({ done: 1, total: 1 });
		expect(progress.map((p) => p.stage).indexOf('document')).toBeGreaterThan(progress.map((p) => p.stage).lastIndexOf('flowcharts'));
	});
});

describe('Word export: as LibreOffice reads it', () => {
	it('opens with a cover: title, edition, number, date in Chinese, the issuer, the sample mark', () => {
		const cover = flat[0];
		for (const s of ['国家铁路局行政许可', '廉政风险防控手册', '（2014年版）', '第2版', '国家铁路局', '二〇二六年十一月二十七日', '示例数据']) expect(cover).toContain(s);
		expect(sizes[0]).toEqual([595, 842]);
	});

	it('lists the units and items on the contents page, numbered 一、 and （一）', () => {
		const toc = flat[1];
		expect(toc).toContain('目录');
		expect(toc.indexOf('一、科技与法制司')).toBeLessThan(toc.indexOf('（一）行政许可申请统一受理'));
		expect(toc.indexOf('二、运输监督管理司')).toBeLessThan(toc.indexOf('（三）设置或者拓宽铁路道口、人行过道审批'));
		expect(toc).toContain('附录');
	});

	it('has one chapter per unit and one section per item, in order, with the card', () => {
		const body = flat.slice(2).join('');
		let at = 0;
		snapshot.units.forEach((u, i) => {
			const chapter = body.indexOf(`${['一', '二', '三'][i]}、${u.name}`, at);
			expect(chapter, u.name).toBeGreaterThanOrEqual(at);
			at = chapter;
			u.sections.forEach((s, j) => {
				const item = body.indexOf(`（${['一', '二', '三'][j]}）${s.title}`, at);
				expect(item, s.title).toBeGreaterThan(at);
				at = item;
			});
		});
		for (const s of ['1.职权目录', '职权名称', '职权编码', 'GTJ-KF-XK-001', '职权内容', '行使主体', '法律依据', '《中华人民共和国行政许可法》第二十六条', '办理时限', '2.权力运行流程图', '3.廉政风险防控表', '4.说明'])
			expect(body).toContain(s);
		expect(body).toContain('行政许可申请统一受理权力运行流程图（廉政风险分布图）');
	});

	it('prints every risk row in a table on landscape pages, header repeated on each of them', () => {
		const landscapePages = sizes.map(([w, h], i) => (w > h ? i : -1)).filter((i) => i >= 0);
		expect(landscapePages.length).toBeGreaterThanOrEqual(sectionsWithRisks().length);
		for (const i of landscapePages) expect(sizes[i]).toEqual([842, 595]);
		for (const s of sectionsWithRisks())
			for (const r of printedRows(s.content)) {
				// First characters of cells: table cells wrap, and a line is at least this long.
				// Rows never split: a row's cells are on one page.
				const page = landscapePages.find((i) => flat[i].includes(r.cells.form.slice(0, 6)) && flat[i].includes(r.cells.measure.slice(0, 6)));
				expect(page, r.cells.form).toBeDefined();
				// Whichever page a row falls on, the header is on it too.
				for (const h of ['序号', '风险点', '风险表现形式', '风险类别', '风险等级', '防控措施', '责任领导', '完成时限']) expect(flat[page!], `page ${page! + 1}`).toContain(h);
			}
		expect(landscapePages.map((i) => flat[i]).join('')).toContain('2014年10月31日');
		// A table that runs over a page: the header row is printed again.
		const continued = landscapePages.filter((i) => flat[i].includes('风险表现形式') && !flat[i].includes('廉政风险防控表'));
		expect(continued.length).toBeGreaterThanOrEqual(1);
	});

	it('numbers the body pages "— 1 —" from the first chapter on', () => {
		const first = flat.findIndex((p) => p.startsWith('一、科技与法制司'));
		expect(first).toBe(2);
		expect(pages[first]).toMatch(/—\s*1\s*—/);
		expect(pages[first + 1]).toMatch(/—\s*2\s*—/);
		expect(pages[1]).toMatch(/—\s*I\s*—/);
		expect(pages[0]).not.toMatch(/—\s*\d+\s*—/);
	});

	it('ends with the records and the edition facts', () => {
		const tail = flat.slice(-3).join('');
		for (const s of ['附录', '单位集体审定记录', '科技与法制司', '2026年9月21日', '党组研究记录', '版本信息', '第2版', '根据考核评估意见修订后发布。']) expect(tail).toContain(s);
	});
});
