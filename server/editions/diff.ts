import type { EditionSection, EditionSnapshot } from './snapshot.ts';
import { powerItemOf, riskRowsOf, textOf, type RiskRowData } from '../../collab/schema/extract.ts';
import { POWER_FIELDS } from '../../collab/schema/power-item.ts';
import { LEVEL_LABEL, RISK_CELLS, type RiskLevel } from '../../collab/schema/risk-table.ts';
import type { FlowStep } from '../../collab/schema/flowchart.ts';

/**
 * What changed between two editions (or between an edition and the live text), section by
 * section: text by paragraph and card field, risk rows by row id field by field, flowchart
 * steps by step id. Positions of steps on the canvas are not content and are ignored.
 */

export type TextChange = { kind: 'added' | 'removed' | 'changed'; where: string; before?: string; after?: string };
export type FieldChange = { field: string; label: string; before: string; after: string };
export type ItemChanges = {
	added: { id: string; name: string }[];
	removed: { id: string; name: string }[];
	changed: { id: string; name: string; fields: FieldChange[] }[];
};
export type SectionDiff = {
	id: string;
	title: string;
	status: 'added' | 'removed' | 'changed' | 'same';
	text: TextChange[];
	risks: ItemChanges;
	steps: ItemChanges;
};

type SectionLike = Pick<EditionSection, 'id' | 'title' | 'content' | 'flowcharts'> & { unit?: string };

export function diffEditions(a: EditionSnapshot, b: EditionSnapshot): { sections: SectionDiff[] } {
	const flat = (e: EditionSnapshot) => e.units.flatMap((u) => u.sections.map((s) => ({ ...s, unit: u.name })));
	const before = new Map(flat(a).map((s) => [s.id, s]));
	const after = flat(b);
	const out: SectionDiff[] = [];
	for (const s of after) out.push(diffSection(before.get(s.id) ?? null, s));
	const seen = new Set(after.map((s) => s.id));
	for (const s of flat(a)) if (!seen.has(s.id)) out.push(diffSection(s, null));
	return { sections: out };
}

export function diffSection(a: SectionLike | null, b: SectionLike | null): SectionDiff {
	const base = (b ?? a)!;
	const empty = (): ItemChanges => ({ added: [], removed: [], changed: [] });
	if (!a || !b) {
		const only = (b ?? a)!;
		const risks = empty();
		const steps = empty();
		const side = b ? 'added' : 'removed';
		for (const r of riskRowsOf(only.content)) risks[side].push({ id: r.id ?? '', name: r.cells.point ?? '' });
		for (const [id, st] of allSteps(only)) steps[side].push({ id, name: st.label });
		return { id: base.id, title: base.title, status: side, text: [], risks, steps };
	}
	const text = diffText(a, b);
	if (a.title !== b.title) text.unshift({ kind: 'changed', where: '章节名称', before: a.title, after: b.title });
	const risks = diffRisks(riskRowsOf(a.content), riskRowsOf(b.content));
	const steps = diffSteps(allSteps(a), allSteps(b));
	const changed = text.length || [risks, steps].some((c) => c.added.length || c.removed.length || c.changed.length);
	return { id: b.id, title: b.title, status: changed ? 'changed' : 'same', text, risks, steps };
}

type JSONNode = { type?: string; attrs?: Record<string, unknown>; content?: JSONNode[] };

/** Paragraph-like blocks outside the card and the risk table, in order. */
function paragraphs(content: unknown): string[] {
	const out: string[] = [];
	const walk = (n: JSONNode) => {
		if (n.type === 'powerItem' || n.type === 'riskTable' || n.type === 'flowchart') return;
		if (n.type === 'paragraph' || n.type === 'heading') {
			out.push(textOf(n as never));
			return;
		}
		for (const c of n.content ?? []) walk(c);
	};
	walk(content as JSONNode);
	return out;
}

function diffText(a: SectionLike, b: SectionLike): TextChange[] {
	const out: TextChange[] = [];
	const ca = powerItemOf(a.content);
	const cb = powerItemOf(b.content);
	for (const f of POWER_FIELDS) {
		const x = ca?.fields[f.key] ?? '';
		const y = cb?.fields[f.key] ?? '';
		if (x !== y) out.push({ kind: 'changed', where: f.label, before: x, after: y });
	}
	const basis = (c: typeof ca) => (c?.basis ?? []).map((x) => [x.law, x.article].filter(Boolean).join(' '));
	out.push(...sequenceDiff(basis(ca), basis(cb), (i) => `法律依据第 ${i + 1} 项`));
	out.push(...sequenceDiff(paragraphs(a.content), paragraphs(b.content), (i) => `正文第 ${i + 1} 段`));
	return out;
}

/** Line diff by longest common subsequence; a removal next to an addition reads as a change. */
function sequenceDiff(x: string[], y: string[], where: (i: number) => string): TextChange[] {
	const n = x.length;
	const m = y.length;
	const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
	for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
	const ops: { op: '-' | '+'; i: number; j: number; text: string }[] = [];
	const out: TextChange[] = [];
	let i = 0;
	let j = 0;
	const flush = () => {
		const removed = ops.filter((o) => o.op === '-');
		const added = ops.filter((o) => o.op === '+');
		const pairs = Math.min(removed.length, added.length);
		for (let k = 0; k < pairs; k++) out.push({ kind: 'changed', where: where(added[k].j), before: removed[k].text, after: added[k].text });
		for (const r of removed.slice(pairs)) out.push({ kind: 'removed', where: where(r.i), before: r.text });
		for (const a of added.slice(pairs)) out.push({ kind: 'added', where: where(a.j), after: a.text });
		ops.length = 0;
	};
	while (i < n || j < m) {
		if (i < n && j < m && x[i] === y[j]) {
			flush();
			i++;
			j++;
		} else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) ops.push({ op: '+', i, j: j++, text: y[j - 1] });
		else ops.push({ op: '-', i: i++, j, text: x[i - 1] });
	}
	flush();
	return out;
}

const levelText = (l: RiskLevel | null) => (l ? LEVEL_LABEL[l] : '未评定');

function diffRisks(a: RiskRowData[], b: RiskRowData[]): ItemChanges {
	const out: ItemChanges = { added: [], removed: [], changed: [] };
	const before = new Map(a.filter((r) => r.id).map((r) => [r.id!, r]));
	const after = new Map(b.filter((r) => r.id).map((r) => [r.id!, r]));
	for (const [id, r] of after) {
		const old = before.get(id);
		if (!old) {
			out.added.push({ id, name: r.cells.point ?? '' });
			continue;
		}
		const fields: FieldChange[] = [];
		for (const c of RISK_CELLS) if ((old.cells[c.key] ?? '') !== (r.cells[c.key] ?? '')) fields.push({ field: c.key, label: c.label, before: old.cells[c.key] ?? '', after: r.cells[c.key] ?? '' });
		if (old.level !== r.level) fields.push({ field: 'level', label: '风险等级', before: levelText(old.level), after: levelText(r.level) });
		if (old.category !== r.category) fields.push({ field: 'category', label: '风险类别', before: old.category, after: r.category });
		if ((old.deadline ?? '') !== (r.deadline ?? '')) fields.push({ field: 'deadline', label: '完成时限', before: old.deadline ?? '', after: r.deadline ?? '' });
		if ((old.stepId ?? '') !== (r.stepId ?? '')) fields.push({ field: 'stepId', label: '关联环节', before: old.stepId ?? '', after: r.stepId ?? '' });
		if (fields.length) out.changed.push({ id, name: r.cells.point || old.cells.point || '', fields });
	}
	for (const [id, r] of before) if (!after.has(id)) out.removed.push({ id, name: r.cells.point ?? '' });
	return out;
}

function allSteps(s: SectionLike): [string, FlowStep][] {
	return Object.values(s.flowcharts ?? {}).flatMap((chart) => Object.entries(chart.nodes));
}

const STEP_FIELDS: { key: keyof FlowStep; label: string }[] = [
	{ key: 'label', label: '环节名称' },
	{ key: 'kind', label: '环节类型' },
	{ key: 'post', label: '责任岗位' },
	{ key: 'limitDays', label: '办理时限（工作日）' },
	{ key: 'risk', label: '廉政风险点' },
	{ key: 'control', label: '关节点' },
	{ key: 'duty', label: '监管责任' }
];

const show = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? '是' : '否') : String(v));

function diffSteps(a: [string, FlowStep][], b: [string, FlowStep][]): ItemChanges {
	const out: ItemChanges = { added: [], removed: [], changed: [] };
	const before = new Map(a);
	const after = new Map(b);
	for (const [id, st] of after) {
		const old = before.get(id);
		if (!old) {
			out.added.push({ id, name: st.label });
			continue;
		}
		const fields = STEP_FIELDS.filter((f) => show(old[f.key]) !== show(st[f.key])).map((f) => ({ field: f.key, label: f.label, before: show(old[f.key]), after: show(st[f.key]) }));
		if (fields.length) out.changed.push({ id, name: st.label, fields });
	}
	for (const [id, st] of before) if (!after.has(id)) out.removed.push({ id, name: st.label });
	return out;
}
