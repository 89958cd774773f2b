import * as Y from 'yjs';
import { SECTION_FIELD, sectionToYUpdate } from '../../collab/schema/index.ts';
import { FLOWCHARTS_MAP } from '../../collab/schema/flowchart.ts';
import { newSectionTemplate } from '../../collab/schema/template.ts';
import { buildSection, DEMO_UNITS } from '../../server/seed/demo-content.ts';
import { findAll, newRiskRow } from './yblocks.ts';

/**
 * Random edits of a section document made with real Yjs operations, the way a client (honest
 * or not) can make them: typing, formatting, adding and deleting blocks, rows and steps, and
 * setting values the schema does or does not allow. Seeded, so a failing case can be replayed.
 */

export type Rng = {
	next(): number;
	int(n: number): number;
	pick<T>(list: readonly T[]): T;
	chance(p: number): boolean;
};

/** mulberry32: small, fast and good enough to pick test cases. */
export function seeded(seed: number): Rng {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (n) => Math.floor(next() * n),
		pick: (list) => list[Math.floor(next() * list.length)],
		chance: (p) => next() < p
	};
}

/** A real section to start from: the new-section template or one of the demo sections. */
export function baseSection(r: Rng): Y.Doc {
	const specs = DEMO_UNITS.flatMap((u) => u.sections);
	const content = r.chance(0.25) ? newSectionTemplate('新事项') : buildSection(r.pick(specs));
	const doc = new Y.Doc();
	doc.clientID = 1 + r.int(1_000_000);
	Y.applyUpdate(doc, sectionToYUpdate(content));
	return doc;
}

/** A client's copy of `doc`, with a client id drawn from `r` (so a case replays the same way). */
export function clientOf(doc: Y.Doc, r: Rng): Y.Doc {
	const c = new Y.Doc();
	c.clientID = 1_000_001 + r.int(1_000_000_000);
	Y.applyUpdate(c, Y.encodeStateAsUpdate(doc));
	return c;
}

type Mutation = (doc: Y.Doc, r: Rng) => boolean;

/**
 * `levels` blockquotes one inside the other at `at` in `parent`, in one transaction, built
 * top-down as typing would (Yjs recurses when it integrates a prepared tree, not this way);
 * `inner` goes into the innermost one.
 */
export function nestBlockquotes(parent: Y.XmlFragment, levels: number, at = 0, inner: Y.XmlElement[] = []) {
	parent.doc!.transact(() => {
		let p = parent;
		for (let i = 0; i < levels; i++) {
			const q = new Y.XmlElement('blockquote');
			p.insert(i === 0 ? at : 0, [q]);
			p = q;
		}
		p.insert(0, inner);
	});
}

const text = () => '风险防控abc';
const fragment = (d: Y.Doc) => d.getXmlFragment(SECTION_FIELD);
const elements = (d: Y.Doc, ...names: string[]) => names.flatMap((n) => findAll(fragment(d), n));
const anyElement = (d: Y.Doc): Y.XmlElement[] => {
	const out: Y.XmlElement[] = [];
	const walk = (el: Y.XmlFragment | Y.XmlElement) => {
		for (const c of el.toArray()) if (c instanceof Y.XmlElement) out.push(c), walk(c);
	};
	walk(fragment(d));
	return out;
};
const texts = (root: Y.XmlFragment | Y.XmlElement): Y.XmlText[] => {
	const out: Y.XmlText[] = [];
	for (const c of root.toArray()) {
		if (c instanceof Y.XmlText) out.push(c);
		else if (c instanceof Y.XmlElement) out.push(...texts(c));
	}
	return out;
};
/** The element's first text node, created when it has none (as typing into it would). */
const textIn = (el: Y.XmlElement): Y.XmlText => {
	const t = el.toArray().find((c) => c instanceof Y.XmlText);
	if (t instanceof Y.XmlText) return t;
	const fresh = new Y.XmlText();
	el.insert(0, [fresh]);
	return fresh;
};
const withText = (name: string, t = text(), attrs: Record<string, unknown> = {}) => {
	const el = new Y.XmlElement(name);
	for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
	if (t) el.insert(0, [new Y.XmlText(t)]);
	return el;
};
/** Yjs cannot copy an element whose attribute holds a shared type (it would integrate that type twice). */
const copyable = (el: Y.XmlElement): boolean =>
	Object.values(el.getAttributes() as Record<string, unknown>).every((v) => !(v instanceof Y.AbstractType)) && el.toArray().every((c) => !(c instanceof Y.XmlElement) || copyable(c));
const charts = (d: Y.Doc) => [...d.getMap<unknown>(FLOWCHARTS_MAP).values()].filter((c): c is Y.Map<unknown> => c instanceof Y.Map);
const part = (chart: Y.Map<unknown>, name: 'nodes' | 'edges') => {
	const m = chart.get(name);
	return m instanceof Y.Map ? (m as Y.Map<unknown>) : null;
};
const stepsOf = (d: Y.Doc) => charts(d).flatMap((c) => [...(part(c, 'nodes')?.entries() ?? [])].filter(([, s]) => s instanceof Y.Map) as [string, Y.Map<unknown>][]);
const edgesOf = (d: Y.Doc) => charts(d).flatMap((c) => [...(part(c, 'edges')?.entries() ?? [])].filter(([, s]) => s instanceof Y.Map) as [string, Y.Map<unknown>][]);
const ymap = (obj: Record<string, unknown>) => {
	const m = new Y.Map<unknown>();
	for (const [k, v] of Object.entries(obj)) m.set(k, v);
	return m;
};
const ytext = (s: string) => {
	const t = new Y.Text();
	t.insert(0, s);
	return t;
};

const LINK = { target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null };
/** Text formats as y-prosemirror writes marks: mark name → mark attributes. */
const MARKS: Record<string, unknown>[] = [
	{},
	{ bold: {} },
	{ italic: {} },
	{ bold: {}, italic: {} },
	{ strike: {}, underline: {} },
	{ code: {} },
	{ bold: {}, code: {} },
	{ code: {}, italic: {} },
	{ link: { href: 'https://www.nra.gov.cn/', ...LINK } },
	{ link: { href: 'mailto:jiwei@nra.gov.cn', ...LINK }, bold: {} },
	{ link: { href: 'javascript:alert(1)', ...LINK } },
	{ link: { href: 'https://example.org', ...LINK, onclick: 'x' } },
	{ link: { href: 'data:text/html,<script>', ...LINK } },
	{ comment: {} },
	{ bold: true },
	{ 'bold--abcdefgh': {} }
];

const VALUES: Record<string, unknown[]> = {
	level: ['high', 'medium', 'low', 'critical', '__proto__', '', 3],
	category: ['权力行使', '制度机制', '思想道德', '其他', ''],
	deadline: ['2025-06-30', '2024-02-29', '2025-13-01', '2025-6-3', '<img src=x onerror=alert(1)>', 20250630],
	stepId: ['s1a2b3c4', 'x'.repeat(65), '<b>x</b>', ''],
	id: ['r9z8y7x6', '', 'a b']
};

export const MUTATIONS: Record<string, Mutation> = {
	'type in a risk cell': (d, r) => {
		const cells = elements(d, 'riskCell');
		if (!cells.length) return false;
		const t = textIn(r.pick(cells));
		t.insert(r.int(t.length + 1), text());
		return true;
	},
	'type formatted text in a paragraph': (d, r) => {
		const blocks = elements(d, 'paragraph', 'heading');
		if (!blocks.length) return false;
		const t = textIn(r.pick(blocks));
		t.insert(r.int(t.length + 1), text(), r.pick(MARKS) as Record<string, object>);
		return true;
	},
	'format a range': (d, r) => {
		const all = elements(d, 'paragraph', 'heading', 'riskCell', 'powerItemField', 'codeBlock').flatMap(texts).filter((t) => t.length > 1);
		if (!all.length) return false;
		const t = r.pick(all);
		const from = r.int(t.length - 1);
		t.format(from, 1 + r.int(t.length - from - 1), r.pick(MARKS) as Record<string, object>);
		return true;
	},
	'delete text': (d, r) => {
		const all = texts(fragment(d)).filter((t) => t.length > 0);
		if (!all.length) return false;
		const t = r.pick(all);
		const from = r.int(t.length);
		t.delete(from, 1 + r.int(t.length - from));
		return true;
	},
	'bold text in a card field': (d, r) => {
		const fields = elements(d, 'powerItemField');
		if (!fields.length) return false;
		textIn(r.pick(fields)).insert(0, '粗', { bold: {} });
		return true;
	},
	'an embed in text': (d, r) => {
		const blocks = elements(d, 'paragraph', 'riskCell');
		if (!blocks.length) return false;
		textIn(r.pick(blocks)).insertEmbed(0, { image: 'x'.repeat(50) });
		return true;
	},
	'an attribute on a text node': (d, r) => {
		const all = texts(fragment(d));
		if (!all.length) return false;
		r.pick(all).setAttribute('style', 'x');
		return true;
	},
	'a new paragraph': (d, r) => {
		const f = fragment(d);
		f.insert(r.int(f.length + 1), [withText('paragraph')]);
		return true;
	},
	'a paragraph inside a paragraph': (d, r) => {
		const ps = elements(d, 'paragraph');
		if (!ps.length) return false;
		r.pick(ps).insert(0, [withText('paragraph')]);
		return true;
	},
	'a heading': (d, r) => {
		const f = fragment(d);
		f.insert(r.int(f.length + 1), [withText('heading', text(), { level: r.pick([1, 2, 3, 6, 0, 7, 99, '2', 2.5]) })]);
		return true;
	},
	'nested blockquotes': (d, r) => {
		const f = fragment(d);
		nestBlockquotes(f, r.pick([1, 3, 40, 97, 98, 99, 100, 130]), r.int(f.length + 1), [withText('paragraph')]);
		return true;
	},
	'a list': (d, r) => {
		const kind = r.pick(['bulletList', 'orderedList']);
		const list = new Y.XmlElement(kind);
		if (kind === 'orderedList') {
			list.setAttribute('start', r.pick([1, 5, 2.5, 'x', -1]) as unknown as string);
			if (r.chance(0.5)) list.setAttribute('type', r.pick(['a', 'I', 'z', '1; color:red']));
		}
		const item = new Y.XmlElement('listItem');
		if (r.chance(0.85)) item.insert(0, [withText('paragraph')]);
		list.insert(0, [item]);
		const f = fragment(d);
		f.insert(r.int(f.length + 1), [list]);
		return true;
	},
	'a code block': (d, r) => {
		const language = r.pick([null, 'javascript', 'c++', '<script>', 'x'.repeat(80)]);
		const f = fragment(d);
		f.insert(r.int(f.length + 1), [withText('codeBlock', 'let a = 1;', language ? { language } : {})]);
		return true;
	},
	'an unknown element': (d, r) => {
		const parents = [fragment(d), ...elements(d, 'paragraph', 'riskRow', 'blockquote')];
		const p = r.pick(parents);
		p.insert(r.int(p.length + 1), [withText('script', 'alert(1)')]);
		return true;
	},
	'an unknown attribute': (d, r) => {
		const all = anyElement(d);
		if (!all.length) return false;
		r.pick(all).setAttribute('onclick', 'alert(1)');
		return true;
	},
	'an attribute holding a shared type': (d, r) => {
		const rows = elements(d, 'riskRow');
		if (!rows.length) return false;
		(r.pick(rows) as unknown as { setAttribute(k: string, v: unknown): void }).setAttribute('level', ymap({ x: 'y'.repeat(100) }));
		return true;
	},
	'delete a block': (d, r) => {
		const f = fragment(d);
		if (!f.length) return false;
		f.delete(r.int(f.length), 1);
		return true;
	},
	'delete a child element': (d, r) => {
		const parents = anyElement(d).filter((e) => e.length > 0);
		if (!parents.length) return false;
		const p = r.pick(parents);
		p.delete(r.int(p.length), 1);
		return true;
	},
	'copy a block': (d, r) => {
		const f = fragment(d);
		const blocks = f.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && copyable(c));
		if (!blocks.length) return false;
		f.insert(r.int(f.length + 1), [r.pick(blocks).clone()]);
		return true;
	},
	'a risk row': (d, r) => {
		const tables = elements(d, 'riskTable');
		if (!tables.length) return false;
		const t = r.pick(tables);
		t.insert(r.int(t.length + 1), [newRiskRow('r' + r.int(1e8).toString(36))]);
		return true;
	},
	'a risk row with cells missing or out of order': (d, r) => {
		const tables = elements(d, 'riskTable');
		if (!tables.length) return false;
		const fields = ['point', 'form', 'measure', 'post', 'leader', 'plan'];
		const shape = r.pick([fields.slice(0, 5), [...fields, 'plan'], [fields[1], fields[0], ...fields.slice(2)], ['point', 'point', 'point', 'point', 'point', 'point']]);
		const row = new Y.XmlElement('riskRow');
		row.insert(0, shape.map((f) => withText('riskCell', '', { field: f })));
		const t = r.pick(tables);
		t.insert(r.int(t.length + 1), [row]);
		return true;
	},
	'copy a risk row': (d, r) => {
		const rows = elements(d, 'riskRow').filter(copyable);
		if (!rows.length) return false;
		const row = r.pick(rows);
		const table = row.parent as Y.XmlElement;
		table.insert(r.int(table.length + 1), [row.clone()]);
		return true;
	},
	'set a risk row value': (d, r) => {
		const rows = elements(d, 'riskRow');
		if (!rows.length) return false;
		const key = r.pick(Object.keys(VALUES));
		const steps = stepsOf(d).map(([id]) => id);
		const values = key === 'stepId' ? [...VALUES.stepId, ...steps, ...steps] : VALUES[key];
		r.pick(rows).setAttribute(key, r.pick(values) as string);
		return true;
	},
	'clear a risk row value': (d, r) => {
		const rows = elements(d, 'riskRow');
		if (!rows.length) return false;
		r.pick(rows).removeAttribute(r.pick(['level', 'category', 'deadline', 'stepId']));
		return true;
	},
	'rename a cell field': (d, r) => {
		const cells = elements(d, 'riskCell', 'powerItemField');
		if (!cells.length) return false;
		const cell = r.pick(cells);
		const same = cell.getAttribute('field');
		cell.setAttribute('field', r.chance(0.3) ? (same as string) : r.pick(['point', 'form', 'plan', 'name', 'limit', 'evil']));
		return true;
	},
	'a legal basis entry': (d, r) => {
		const lists = elements(d, 'legalBasis');
		if (!lists.length) return false;
		const item = new Y.XmlElement('legalBasisItem');
		item.insert(0, r.chance(0.8) ? [withText('basisLaw', '《行政许可法》'), withText('basisArticle', '第三十条')] : [withText('basisLaw', '《行政许可法》')]);
		const l = r.pick(lists);
		l.insert(r.int(l.length + 1), [item]);
		return true;
	},
	'a hard break': (d, r) => {
		const ps = elements(d, 'paragraph');
		if (!ps.length) return false;
		const p = r.pick(ps);
		p.insert(p.length, [new Y.XmlElement('hardBreak')]);
		return true;
	},
	'move a step': (d, r) => {
		const steps = stepsOf(d);
		if (!steps.length) return false;
		const [, s] = r.pick(steps);
		s.set(r.pick(['x', 'y']), r.pick([0, 130, -40, 2.5, 1e12, Number.NaN, '一百']));
		return true;
	},
	'rename a step': (d, r) => {
		const steps = stepsOf(d);
		if (!steps.length) return false;
		const [, s] = r.pick(steps);
		const key = r.pick(['label', 'post', 'duty']);
		const choice = r.int(7);
		if (choice === 0) s.set(key, '审查'.repeat(120));
		else if (choice === 6) s.set(key, ytext('审查'.repeat(r.pick([150, 600]))));
		else if (choice === 1) s.set(key, 42);
		else if (choice === 2) s.set(key, ytext('材料审查'));
		else if (choice === 3) {
			const t = ytext('材料');
			t.insertEmbed(1, { x: 1 });
			s.set(key, t);
		} else s.set(key, '现场核查');
		return true;
	},
	'type in a step label': (d, r) => {
		const labels = stepsOf(d)
			.map(([, s]) => s.get('label'))
			.filter((t): t is Y.Text => t instanceof Y.Text);
		if (!labels.length) return false;
		const t = r.pick(labels);
		if (r.chance(0.8)) t.insert(r.int(t.length + 1), '复核');
		else t.insert(0, '粗', { bold: true });
		return true;
	},
	'an unknown step field': (d, r) => {
		const steps = stepsOf(d);
		if (!steps.length) return false;
		r.pick(steps)[1].set(r.pick(['onclick', '__proto__', 'color']), 'x');
		return true;
	},
	'a step': (d, r) => {
		const cs = charts(d);
		if (!cs.length) return false;
		const nodes = part(r.pick(cs), 'nodes');
		if (!nodes) return false;
		const kind = r.pick(['step', 'step', 'decision', 'end', 'loop']);
		nodes.set('s' + r.int(1e8).toString(36), ymap({ label: '听证', x: 10, y: 20, kind, post: '法制处', limitDays: r.pick([null, 5, -1, 4000]), risk: false, control: false, duty: '' }));
		return true;
	},
	'delete a step': (d, r) => {
		const cs = charts(d);
		if (!cs.length) return false;
		const nodes = part(r.pick(cs), 'nodes');
		const keys = [...(nodes?.keys() ?? [])];
		if (!keys.length) return false;
		nodes!.delete(r.pick(keys));
		return true;
	},
	'an edge': (d, r) => {
		const cs = charts(d);
		if (!cs.length) return false;
		const chart = r.pick(cs);
		const ids = [...(part(chart, 'nodes')?.keys() ?? [])];
		const edges = part(chart, 'edges');
		if (!ids.length || !edges) return false;
		const target = r.chance(0.8) ? r.pick(ids) : 's-nowhere';
		const extra = r.chance(0.15) ? { style: 'stroke:red' } : {};
		edges.set('e' + r.int(1e8).toString(36), ymap({ source: r.pick(ids), target, label: r.chance(0.3) ? ytext('需听证') : '', ...extra }));
		return true;
	},
	'delete an edge': (d, r) => {
		const edges = edgesOf(d);
		if (!edges.length) return false;
		const [id, e] = r.pick(edges);
		(e.parent as Y.Map<unknown>).delete(id);
		return true;
	},
	'a chart field': (d, r) => {
		const cs = charts(d);
		if (!cs.length) return false;
		const chart = r.pick(cs);
		if (r.chance(0.5)) chart.set('nodes', 'none');
		else chart.set('title', '流程图');
		return true;
	},
	'a new chart': (d, r) => {
		const id = 'f' + r.int(1e8).toString(36);
		const ok = r.chance(0.7);
		d.transact(() => {
			const chart = new Y.Map<unknown>();
			d.getMap(FLOWCHARTS_MAP).set(id, ok ? chart : ('chart' as unknown as Y.Map<unknown>));
			if (!ok) return;
			chart.set('nodes', ymap({ s1: ymap({ label: '开始', x: 0, y: 0, kind: 'start', post: '', limitDays: null, risk: false, control: false, duty: '' }) }));
			chart.set('edges', new Y.Map());
		});
		return true;
	},
	'delete a chart': (d, r) => {
		const keys = [...d.getMap(FLOWCHARTS_MAP).keys()];
		if (!keys.length) return false;
		d.getMap(FLOWCHARTS_MAP).delete(r.pick(keys));
		return true;
	},
	'another root type': (d, r) => {
		const kind = r.int(4);
		if (kind === 0) d.getMap('extra').set('k', 'v');
		else if (kind === 1) d.getText('notes').insert(0, 'x'.repeat(100));
		else if (kind === 2) d.getXmlFragment('shadow').insert(0, [withText('paragraph')]);
		else d.getArray('list').push([1, 2, 3]);
		return true;
	}
};

const NAMES = Object.keys(MUTATIONS);

/** Applies `count` random mutations (each one that applies) to `doc`; returns their names. */
export function mutate(doc: Y.Doc, r: Rng, count: number): string[] {
	const done: string[] = [];
	for (let tries = 0; done.length < count && tries < count * 10; tries++) {
		const name = r.pick(NAMES);
		if (MUTATIONS[name](doc, r)) done.push(name);
	}
	return done;
}
