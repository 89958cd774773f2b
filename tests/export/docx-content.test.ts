import { describe, expect, it } from 'vitest';
import { readSection, sectionToYUpdate } from '../../collab/schema/index.ts';
import type { EditionSnapshot } from '../../server/editions/snapshot.ts';
import { renderDocx } from '../../server/export/docx.ts';
import * as Y from 'yjs';
import { snapshotOf } from '../helpers/edition-snapshot.ts';
import { unzip } from '../helpers/zip.ts';

/**
 * Everything else a section may hold, in the editor's schema, as the Word book prints it: in
 * order, numbered by the book's levels, with marks and lists. Reads the XML (no LibreOffice).
 */

const t = (text: string, marks?: string[]) => ({ type: 'text', text, ...(marks ? { marks: marks.map((type) => ({ type })) } : {}) });
const p = (...content: object[]) => ({ type: 'paragraph', content });
const h = (level: number, text: string) => ({ type: 'heading', attrs: { level }, content: [t(text)] });
const li = (...content: object[]) => ({ type: 'listItem', content });
const row = (id: string, cells: Record<string, string> = {}) => ({
	type: 'riskRow',
	attrs: { id, level: cells.point ? 'high' : null },
	content: ['point', 'form', 'measure', 'post', 'leader', 'plan'].map((field) => ({ type: 'riskCell', attrs: { field }, ...(cells[field] ? { content: [t(cells[field])] } : {}) }))
});
const emptyRow = row('r1');

const content = {
	type: 'doc',
	content: [
		h(2, '一、职权目录'),
		h(3, '（一）补充说明'),
		p(t('加粗', ['bold']), t('楷体强调', ['italic']), { type: 'hardBreak' }, t('第二行')),
		p(),
		{ type: 'bulletList', content: [li(p(t('甲项'))), li(p(t('乙项')), { type: 'bulletList', content: [li(p(t('乙项之一')))] })] },
		{ type: 'orderedList', content: [li(p(t('第一步'))), li(p(t('第二步')))] },
		{ type: 'orderedList', content: [li(p(t('另起第一步')))] },
		{ type: 'blockquote', content: [p(t('引文内容'))] },
		{ type: 'horizontalRule' },
		{ type: 'flowchart', attrs: { id: 'f-missing' } },
		h(2, '二、风险情况'),
		{ type: 'riskTable', attrs: { id: 't1' }, content: [emptyRow] },
		h(2, '三、结尾'),
		p(t('完'))
	]
};

/** A risk as long as a page: its row may break across pages (Word would crop it otherwise). */
const LONG = '对申请材料逐项核对并记录核对意见，'.repeat(80);
const tables = {
	type: 'doc',
	content: [{ type: 'riskTable', attrs: { id: 't2' }, content: [row('r2', { point: '短风险', measure: '简短措施' }), row('r3', { point: '长风险', measure: LONG })] }]
};

/** Through a real Y.Doc, as publishing stores it: the content must fit the editor schema. */
function stored(json: object) {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, sectionToYUpdate({ content: json }));
	return readSection(doc);
}

function snapshot(): EditionSnapshot {
	const base = snapshotOf([]);
	return {
		...base,
		units: [
			{ id: 'u1', name: '综合司', sections: [{ id: 's1', title: '其他内容示例', ...stored(content) }, { id: 's2', title: '长表格示例', ...stored(tables) }] },
			{ id: 'u2', name: '人事司', sections: [] }
		],
		records: { approvals: [{ ...snapshotOf([]).records.decisions[0], id: 'a1', unitId: 'u9', unitName: '已撤销的单位', attendees: ['甲'], attachment: null }], decisions: [] }
	};
}

describe('Word export: the rest of a section', () => {
	it('prints headings, text, lists and quotes in order, numbered by the book', async () => {
		const files = unzip(await renderDocx(snapshot()));
		const xml = files.get('word/document.xml')!.toString();
		// The body: what follows the table of contents (whose entries repeat the headings).
		const body = xml.slice(xml.indexOf('</w:sdt>'));
		const paragraphs = [...body.matchAll(/<w:p>(.*?)<\/w:p>/gs)].map((m) => ({
			style: /<w:pStyle w:val="([^"]+)"/.exec(m[1])?.[1] ?? '',
			text: [...m[1].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((x) => x[1]).join(''),
			xml: m[1]
		}));
		const at = (text: string) => paragraphs.findIndex((x) => x.text === text);
		const order = ['一、综合司', '（一）其他内容示例', '1.职权目录', '（1）补充说明', '加粗楷体强调第二行', '甲项', '乙项', '乙项之一', '第一步', '第二步', '另起第一步', '引文内容', '（流程图数据缺失）', '2.风险情况', '（本事项未列出廉政风险点。）', '3.结尾', '完', '二、人事司', '本单位暂无职权事项。'];
		const positions = order.map(at);
		for (const [i, pos] of positions.entries()) expect(pos, order[i]).toBeGreaterThanOrEqual(0);
		expect([...positions].sort((a, b) => a - b)).toEqual(positions);

		expect(paragraphs[at('一、综合司')].style).toBe('Heading1');
		expect(paragraphs[at('（一）其他内容示例')].style).toBe('Heading2');
		expect(paragraphs[at('1.职权目录')].style).toBe('Heading3');
		expect(paragraphs[at('（1）补充说明')].style).toBe('Heading4');

		const marked = paragraphs[at('加粗楷体强调第二行')].xml;
		expect(marked).toMatch(/<w:b\/>.*?加粗/s);
		expect(marked).toMatch(/w:eastAsia="楷体_GB2312".*?楷体强调/s);
		expect(marked).toContain('<w:br/>');

		const num = (text: string) => {
			const x = paragraphs[at(text)].xml;
			return { level: /<w:ilvl w:val="(\d)"/.exec(x)?.[1], list: /<w:numId w:val="(\d+)"/.exec(x)?.[1] };
		};
		expect(num('甲项')).toEqual({ level: '0', list: num('乙项').list });
		expect(num('乙项之一').level).toBe('1');
		expect(num('第一步').list).toBe(num('第二步').list);
		expect(num('第一步').list).not.toBe(num('甲项').list);
		// A second ordered list counts from （1） again: a list instance of its own.
		expect(num('另起第一步').list).not.toBe(num('第一步').list);
		expect(paragraphs[at('引文内容')].xml).toMatch(/<w:ind [^>]*w:left="640"/);

		// A risk table with nothing filled in makes no landscape page: only the second item's does.
		expect(xml.match(/w:orient="landscape"/g)).toHaveLength(1);
		const rows = [...xml.matchAll(/<w:tr>.*?<\/w:tr>/gs)].map((m) => m[0]);
		const rowOf = (text: string) => rows.find((r) => r.includes(text))!;
		expect(rowOf('短风险')).toContain('<w:cantSplit/>');
		expect(rowOf('长风险')).not.toContain('<w:cantSplit/>');
		// Records of a unit no longer in the manual still appear.
		expect(xml).toContain('已撤销的单位');
		const numbering = files.get('word/numbering.xml')!.toString();
		expect(numbering).toContain('（%1）');
	});
});
