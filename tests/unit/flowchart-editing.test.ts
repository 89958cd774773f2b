import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { FLOWCHARTS_MAP, orderedSteps, readAllFlowcharts, readFlowchart, writeFlowchart, type FlowchartData, type FlowStep } from '../../collab/schema/flowchart.ts';
import { boxesOverlap } from '../../collab/schema/flowchart-route.ts';
import { stepBox } from '../../collab/schema/flowchart-svg.ts';
import { buildSection } from '../../collab/schema/template.ts';
import { DEMO_UNITS } from '../../server/seed/demo-content.ts';
import { FlowchartBinding } from '../../src/lib/editor/flowchart/binding.ts';
import { ChartPresence } from '../../src/lib/editor/flowchart/chart-presence.ts';
import { autoLayout, planInsertAfter } from '../../src/lib/editor/flowchart/layout.ts';
import { StepIndex, type StepIndexChange } from '../../src/lib/editor/flowchart/step-index.ts';
import { mapThroughDelta, textDiff } from '../../src/lib/editor/flowchart/text-field.ts';
import { random, step } from '../helpers/flowchart-data.ts';

/** A document holding the first demo section's chart, and that chart's Y.Map. */
function demoDoc(unit = 2, section = 0): { doc: Y.Doc; chart: Y.Map<unknown>; id: string; data: FlowchartData } {
	const doc = new Y.Doc();
	const [id, data] = Object.entries(buildSection(DEMO_UNITS[unit].sections[section]).flowcharts!)[0];
	writeFlowchart(doc, id, data);
	return { doc, chart: doc.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).get(id)!, id, data };
}

/** Two documents that exchange every update, as two browsers through the server would; `hold` queues them (both offline). */
function pair() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	const queue: [Y.Doc, Uint8Array][] = [];
	let holding = false;
	const relay = (to: Y.Doc) => (update: Uint8Array, origin: unknown) => {
		if (origin === 'relay') return;
		if (holding) queue.push([to, update]);
		else Y.applyUpdate(to, update, 'relay');
	};
	a.on('update', relay(b));
	b.on('update', relay(a));
	return {
		a,
		b,
		hold: () => (holding = true),
		release: () => {
			holding = false;
			for (const [to, u] of queue.splice(0)) Y.applyUpdate(to, u, 'relay');
		}
	};
}

const inOrder = (text: string, word: string) => {
	let at = 0;
	for (const ch of text) if (ch === word[at]) at++;
	return at === word.length;
};

describe('text field edits', () => {
	it('finds the one edit a keystroke made, placed by the caret', () => {
		expect(textDiff('审查', '审查甲', 3)).toEqual({ index: 2, remove: 0, insert: '甲' });
		// Typing "a" into "aa" at the start: the caret says where.
		expect(textDiff('aa', 'aaa', 1)).toEqual({ index: 0, remove: 0, insert: 'a' });
		expect(textDiff('aa', 'aaa', 2)).toEqual({ index: 1, remove: 0, insert: 'a' });
		// Backspace and forward delete in a run of equal characters.
		expect(textDiff('abbbc', 'abbc', 2)).toEqual({ index: 2, remove: 1, insert: '' });
		expect(textDiff('abbbc', 'abbc', 1)).toEqual({ index: 1, remove: 1, insert: '' });
		// A selection replaced by a paste.
		expect(textDiff('技术审查', '技术复核查', 4)).toEqual({ index: 2, remove: 1, insert: '复核' });
		expect(textDiff('x', '', 0)).toEqual({ index: 0, remove: 1, insert: '' });
	});

	it('moves the caret over a colleague’s edit, and keeps it before text inserted exactly there', () => {
		expect(mapThroughDelta(3, [{ insert: 'ab' }])).toBe(5);
		expect(mapThroughDelta(3, [{ retain: 3 }, { insert: 'ab' }])).toBe(3);
		expect(mapThroughDelta(3, [{ retain: 5 }, { insert: 'ab' }])).toBe(3);
		expect(mapThroughDelta(3, [{ retain: 1 }, { delete: 1 }])).toBe(2);
		expect(mapThroughDelta(3, [{ retain: 1 }, { delete: 5 }])).toBe(1);
		expect(mapThroughDelta(3, [{ retain: 3 }, { delete: 2 }])).toBe(3);
	});
});

describe('FlowchartBinding', () => {
	it('keeps its data equal to a full read through any sequence of edits, re-reading only what changed', () => {
		const { doc, chart } = demoDoc();
		const binding = new FlowchartBinding(chart);
		const rnd = random(7);
		const ids = () => Object.keys(readFlowchart(chart).nodes);
		for (let i = 0; i < 400; i++) {
			const before = binding.data;
			const all = ids();
			const id = all[Math.floor(rnd() * all.length)];
			const op = Math.floor(rnd() * 7);
			let touched: string | null = id ?? null;
			if (op === 0 && id) binding.editText(id, 'label', Math.floor(rnd() * 4), rnd() < 0.3 ? 1 : 0, '改');
			else if (op === 1 && id) binding.setStep(id, 'kind', rnd() < 0.5 ? 'step' : 'decision');
			else if (op === 2) {
				binding.apply({ add: [{ id: `n${i}`, step: step(`步骤${i}`, rnd() * 400, rnd() * 600) }] });
				touched = `n${i}`;
			}
			else if (op === 3 && id && all.length > 3) binding.remove(new Set([id]), new Set());
			else if (op === 4 && all.length > 1) {
				const t = all[Math.floor(rnd() * all.length)];
				binding.apply({ link: [{ id: `e${i}`, edge: { source: all[0], target: t, label: rnd() < 0.5 ? '通过' : '' } }] });
				touched = null;
			} else if (op === 5 && id) binding.move([{ id, x: rnd() * 500, y: rnd() * 500 }]);
			// A change made elsewhere, not through the binding: a plain-string field, as old documents hold.
			else if (op === 6 && id) doc.transact(() => (chart.get('nodes') as Y.Map<Y.Map<unknown>>).get(id)!.set('post', `岗位${i}`));
			expect(binding.data).toEqual(readFlowchart(chart));
			// Steps the edit did not touch keep their object: the canvas redraws only what changed.
			for (const [sid, s] of Object.entries(before.nodes)) if (sid !== touched && binding.data.nodes[sid]) expect(binding.data.nodes[sid], `step ${sid} after op ${op}`).toBe(s);
		}
		binding.destroy();
	});

	it('writes names as Y.Text, turns an old plain name into Y.Text on its first edit, and clips at the limit', () => {
		const { chart } = demoDoc();
		const binding = new FlowchartBinding(chart);
		const steps = chart.get('nodes') as Y.Map<Y.Map<unknown>>;
		const [id] = [...steps.keys()];
		expect(steps.get(id)!.get('label')).toBeInstanceOf(Y.Text);
		steps.get(id)!.set('label', '受理');
		expect(binding.data.nodes[id].label).toBe('受理');
		binding.editText(id, 'label', 2, 0, '申请');
		expect(steps.get(id)!.get('label')).toBeInstanceOf(Y.Text);
		expect(binding.data.nodes[id].label).toBe('受理申请');
		binding.editText(id, 'label', 0, 0, '长'.repeat(500));
		expect(binding.data.nodes[id].label.length).toBe(200);
		expect(binding.data.nodes[id].label.endsWith('受理申请')).toBe(true);
		binding.destroy();
	});

	it('merges two people typing in the same name at the same moment, each keeping their order', () => {
		const { a, b, hold, release } = pair();
		const [id, data] = Object.entries(buildSection(DEMO_UNITS[2].sections[0]).flowcharts!)[0];
		writeFlowchart(a, id, data);
		const chartA = a.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).get(id)!;
		const chartB = b.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).get(id)!;
		const [ba, bb] = [new FlowchartBinding(chartA), new FlowchartBinding(chartB)];
		const stepId = Object.keys(data.nodes)[2];
		const name = data.nodes[stepId].label;
		// Key by key, each at the end of what they see, with the other's keys arriving in between or not at all.
		const [wordA, wordB] = ['春夏秋冬', '一二三四'];
		for (let i = 0; i < 4; i++) {
			if (i % 2) hold();
			ba.editText(stepId, 'label', ba.text(stepId, 'label').length, 0, wordA[i]);
			bb.editText(stepId, 'label', bb.text(stepId, 'label').length, 0, wordB[i]);
			release();
		}
		const merged = ba.data.nodes[stepId].label;
		expect(bb.data.nodes[stepId].label).toBe(merged);
		expect(merged.length).toBe(name.length + 8);
		expect(merged.startsWith(name)).toBe(true);
		expect(inOrder(merged, wordA) && inOrder(merged, wordB)).toBe(true);
		// Each person's undo takes back only their own characters.
		ba.undo();
		expect(ba.data.nodes[stepId].label).toBe(name + wordB);
	});

	it('tells a text field about a colleague’s edit as a delta, and about a replaced field as a reset', () => {
		const { a, b } = pair();
		const [id, data] = Object.entries(buildSection(DEMO_UNITS[2].sections[0]).flowcharts!)[0];
		writeFlowchart(a, id, data);
		const stepId = Object.keys(data.nodes)[0];
		const mine = new FlowchartBinding(a.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).get(id)!);
		const theirs = new FlowchartBinding(b.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).get(id)!);
		const heard: unknown[] = [];
		const stop = mine.watchText(stepId, 'label', (c) => heard.push(c));
		mine.editText(stepId, 'label', 0, 0, '甲');
		expect(heard).toEqual([]);
		theirs.editText(stepId, 'label', 3, 0, '乙');
		expect(heard).toEqual([{ kind: 'delta', delta: [{ retain: 3 }, { insert: '乙' }], value: '甲受理乙' }]);
		b.transact(() => (b.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).get(id)!.get('nodes') as Y.Map<Y.Map<unknown>>).get(stepId)!.set('label', '重命名'));
		expect(heard.at(-1)).toEqual({ kind: 'reset', value: '重命名' });
		stop();
	});
});

describe('StepIndex', () => {
	it('lists every step in reading order and tells which names changed', () => {
		const { doc, chart } = demoDoc();
		const index = StepIndex.of(doc);
		expect(StepIndex.of(doc)).toBe(index);
		const full = () => Object.values(readAllFlowcharts(doc)).flatMap((c) => orderedSteps(c).map(([id, s]) => ({ id, label: s.label })));
		expect(index.list()).toEqual(full());
		const heard: StepIndexChange[] = [];
		index.subscribe((c) => heard.push(c));
		const binding = new FlowchartBinding(chart);
		const [first, second] = index.list();
		binding.editText(second.id, 'label', 0, 0, '初步');
		expect(heard).toEqual([{ list: false, labels: new Set([second.id]) }]);
		expect(index.list()).toEqual(full());
		// Moving a step without changing the order, or changing its limit, says nothing.
		binding.setStep(first.id, 'limitDays', 9);
		binding.move([{ id: first.id, x: -40, y: -10 }]);
		expect(heard.length).toBe(1);
		binding.apply({ add: [{ id: 'late', step: step('补充', 0, 900) }] });
		expect(heard.at(-1)!.list).toBe(true);
		expect(index.list()).toEqual(full());
		binding.remove(new Set([second.id]), new Set());
		expect(index.list()).toEqual(full());
		// A second chart in the same section joins the list.
		writeFlowchart(doc, 'fc-second', { nodes: { z: step('附加步骤', 0, 0, { kind: 'start' }) }, edges: {} });
		expect(index.list()).toEqual(full());
		expect(index.list().some((s) => s.id === 'z')).toBe(true);
	});
});

describe('adding a step after another', () => {
	it('goes between the selected step and the next, moving what is below down so nothing overlaps', () => {
		for (const unit of DEMO_UNITS)
			for (const spec of unit.sections) {
				const data = Object.values(buildSection(spec).flowcharts!)[0];
				for (const [afterId, after] of Object.entries(data.nodes)) {
					const added = step('新步骤', 0, 0);
					const plan = planInsertAfter(data, afterId, added);
					if (after.kind === 'end') {
						expect(plan).toEqual({ ok: false, reason: 'after-end' });
						continue;
					}
					if (!plan.ok) throw new Error('refused');
					const moved = new Map(plan.moves.map((m) => [m.id, m]));
					const nodes: Record<string, FlowStep> = { ...data.nodes, new: { ...added, ...plan.at } };
					for (const [id, m] of moved) nodes[id] = { ...nodes[id], x: m.x, y: m.y };
					const boxes = Object.entries(nodes).map(([id, s]) => [id, stepBox(s)] as const);
					for (const [i, p] of boxes) for (const [j, q] of boxes) if (i < j) expect(boxesOverlap(p, q, 10), `${spec.title}: after ${after.label}, ${i} and ${j}`).toBe(false);
					const next = Object.values(data.edges).find((e) => e.source === afterId && data.nodes[e.target].y > after.y);
					if (next) {
						expect(plan.split?.target).toBe(next.target);
						expect(plan.at.y).toBeGreaterThan(after.y);
						expect(plan.at.y).toBeLessThan(nodes[next.target].y);
					}
				}
			}
	});

	it('splits the onward link nearest the column when a decision has several', () => {
		const data: FlowchartData = {
			nodes: { d: step('决定', 0, 0, { kind: 'decision' }), yes: step('送达', 0, 120, { kind: 'end' }), no: step('不予许可', 300, 120, { kind: 'end' }) },
			edges: { e1: { source: 'd', target: 'no', label: '不通过' }, e2: { source: 'd', target: 'yes', label: '通过' } }
		};
		const plan = planInsertAfter(data, 'd', step('新步骤', 0, 0));
		expect(plan.ok && plan.split).toEqual({ edgeId: 'e2', target: 'yes' });
	});

	it('auto-layout keeps side loops beside their step', () => {
		const data = Object.values(buildSection(DEMO_UNITS[0].sections[0]).flowcharts!)[0];
		const at = autoLayout(data);
		const id = (label: string) => Object.entries(data.nodes).find(([, s]) => s.label === label)![0];
		expect(at.get(id('补正告知'))!.y).toBe(at.get(id('形式审查'))!.y);
		expect(at.get(id('受理决定'))!.y).toBeGreaterThan(at.get(id('形式审查'))!.y);
	});
});

describe('ChartPresence', () => {
	/** Two awareness instances that hear each other, as two browsers through the server would. */
	function linked() {
		const [da, db] = [new Y.Doc(), new Y.Doc()];
		const [a, b] = [new Awareness(da), new Awareness(db)];
		const relay = (from: Awareness, to: Awareness) => ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) =>
			applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...added, ...updated, ...removed]), 'relay');
		a.on('update', relay(a, b));
		b.on('update', relay(b, a));
		return { a, b };
	}

	it('shows where a colleague is in this chart and ignores states that do not fit', () => {
		const { a, b } = linked();
		a.setLocalStateField('user', { id: 'u1', name: '林涛', color: '#0f766e' });
		const mine = new ChartPresence(a, 'fc1');
		const theirs = new ChartPresence(b, 'fc1');
		const seen: unknown[] = [];
		theirs.subscribe((p) => seen.push(p));
		mine.publish('s1', 'label');
		expect(theirs.current()).toEqual([{ clientId: a.clientID, name: '林涛', color: '#0f766e', stepId: 's1', field: 'label' }]);
		// Caret moves and other fields do not make it speak again.
		a.setLocalStateField('cursor', { anchor: 1 });
		expect(seen.length).toBe(1);
		// Another chart, a malformed name, a huge field: not shown.
		new ChartPresence(a, 'fc2').publish('s9');
		expect(theirs.current()).toEqual([]);
		for (const bad of [{ id: 'u1', name: 42, color: '#0f766e' }, { id: 'u1', name: '林'.repeat(5_000), color: '#0f766e' }, { id: 'u1', name: '林涛', color: 'red;background:url(x)' }]) {
			a.setLocalStateField('user', bad);
			a.setLocalStateField('flowchart', { chartId: 'fc1', stepId: 's1' });
			expect(theirs.current()).toEqual([]);
		}
		a.setLocalStateField('user', { id: 'u1', name: '林涛', color: '#0f766e' });
		expect(theirs.current().length).toBe(1);
		mine.destroy();
		expect(theirs.current()).toEqual([]);
	});
});
