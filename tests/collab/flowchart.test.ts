import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { FLOWCHARTS_MAP, orderedSteps, readFlowchart } from '../../collab/schema/flowchart.ts';
import { FlowchartBinding } from '../../src/lib/editor/flowchart/binding.ts';

/** The section's (only) flowchart in a client's doc: its id and its Y.Map. */
function chartOf(c: CollabClient): [string, Y.Map<unknown>] {
	const entries = [...c.doc.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).entries()];
	expect(entries.length).toBeGreaterThan(0);
	return entries[0];
}
const stepsOf = (chart: Y.Map<unknown>) => chart.get('nodes') as Y.Map<Y.Map<unknown>>;
const edgesOf = (chart: Y.Map<unknown>) => chart.get('edges') as Y.Map<Y.Map<unknown>>;
const ymap = (obj: Record<string, unknown>) => {
	const m = new Y.Map<unknown>();
	for (const [k, v] of Object.entries(obj)) m.set(k, v);
	return m;
};

describe('flowchart collaboration', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let editor1: ApiClient;
	let editor2: ApiClient;
	let section: { id: string; doc: string };
	const clients: CollabClient[] = [];
	const client = (token: string) => {
		const c = new CollabClient(server.wsUrl, section.doc, token);
		clients.push(c);
		return c;
	};
	const apiChart = async (chartId: string) => {
		const r = await admin.get(`/api/sections/${section.id}`);
		expect(r.status).toBe(200);
		return r.body.flowcharts[chartId] as { nodes: Record<string, any>; edges: Record<string, any> };
	};

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		editor1 = await signIn(server, 'shebei1');
		editor2 = await signIn(server, 'shebei2');
		section = (await demoSection(admin, '设备监督管理司')).section;
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server.dispose();
	});

	it('keeps both a rename and a move of the same step made at the same time', async () => {
		const a = client(editor1.token!);
		const b = client(editor2.token!);
		await Promise.all([a.synced(), b.synced()]);
		expect(a.scope).toBe('read-write');
		expect(b.scope).toBe('read-write');
		const [chartId, chartA] = chartOf(a);
		const [, chartB] = chartOf(b);
		const [stepId, step] = orderedSteps(readFlowchart(chartA))[2];
		const target = { x: step.x + 137, y: step.y + 41 };

		// Both edits happen before either client can have received the other's.
		stepsOf(chartA).get(stepId)!.set('label', `${step.label}（甲改名）`);
		b.doc.transact(() => {
			const s = stepsOf(chartB).get(stepId)!;
			s.set('x', target.x);
			s.set('y', target.y);
		});
		await Promise.all([a.confirmed(), b.confirmed()]);

		const merged = (c: CollabClient) => readFlowchart(chartOf(c)[1]).nodes[stepId];
		const expected = { label: `${step.label}（甲改名）`, x: target.x, y: target.y };
		await until(() => {
			const [ma, mb] = [merged(a), merged(b)];
			return ma?.label === expected.label && ma.x === expected.x && mb?.label === expected.label && mb.y === expected.y;
		}, 'both clients have the rename and the move');
		expect(merged(a)).toMatchObject(expected);
		expect(merged(b)).toMatchObject(expected);
		// Untouched fields survive too.
		expect(merged(a)).toMatchObject({ kind: step.kind, post: step.post, limitDays: step.limitDays, risk: step.risk });

		const api = await apiChart(chartId);
		expect(api.nodes[stepId]).toMatchObject(expected);
		expect(Object.keys(api.edges).length).toBeGreaterThan(0);
	});

	it('merges two people typing in the same step name at once, character by character', async () => {
		const a = client(editor1.token!);
		const b = client(editor2.token!);
		await Promise.all([a.synced(), b.synced()]);
		const [chartId, chartA] = chartOf(a);
		const [ba, bb] = [new FlowchartBinding(chartA), new FlowchartBinding(chartOf(b)[1])];
		const [stepId, step] = orderedSteps(ba.data)[3];
		expect(stepsOf(chartA).get(stepId)!.get('label')).toBeInstanceOf(Y.Text);
		const [wordA, wordB] = ['现场核验', '甲乙丙丁'];
		// Each types at the end of the name as they see it, without waiting for the other's keys.
		for (let i = 0; i < 4; i++) {
			ba.editText(stepId, 'label', ba.text(stepId, 'label').length, 0, wordA[i]);
			bb.editText(stepId, 'label', bb.text(stepId, 'label').length, 0, wordB[i]);
			await new Promise((r) => setTimeout(r, i * 7));
		}
		await Promise.all([a.confirmed(), b.confirmed()]);
		await until(() => ba.data.nodes[stepId].label === bb.data.nodes[stepId].label && ba.data.nodes[stepId].label.length === step.label.length + 8, 'both have all eight characters');
		const merged = ba.data.nodes[stepId].label;
		expect(merged.startsWith(step.label)).toBe(true);
		const added = merged.slice(step.label.length);
		const inOrder = (word: string) => [...added].filter((ch) => word.includes(ch)).join('') === word;
		expect(inOrder(wordA), added).toBe(true);
		expect(inOrder(wordB), added).toBe(true);
		// Readers get a plain string, as before.
		const api = await apiChart(chartId);
		expect(api.nodes[stepId].label).toBe(merged);
		ba.destroy();
		bb.destroy();
	});

	it('adds an edge and a step that every client and the API see', async () => {
		const a = client(editor1.token!);
		const b = client(editor2.token!);
		await Promise.all([a.synced(), b.synced()]);
		const [chartId, chartA] = chartOf(a);
		const [first] = orderedSteps(readFlowchart(chartA));
		a.doc.transact(() => {
			stepsOf(chartA).set('s-test-new', ymap({ label: '听证', x: 300, y: 500, kind: 'step', post: '法制处', limitDays: 20, risk: true, control: false, duty: '' }));
			edgesOf(chartA).set('e-test-new', ymap({ source: first[0], target: 's-test-new', label: '需听证' }));
		});
		await a.confirmed();
		await until(() => readFlowchart(chartOf(b)[1]).edges['e-test-new']?.label === '需听证', 'edge reaches the other client');
		const api = await apiChart(chartId);
		expect(api.nodes['s-test-new']).toMatchObject({ label: '听证', limitDays: 20, risk: true });
		expect(api.edges['e-test-new']).toEqual({ source: first[0], target: 's-test-new', label: '需听证' });
	});

	it('refuses a step whose position is not a number', async () => {
		const watcher = client(editor2.token!);
		const bad = client(editor1.token!);
		await Promise.all([watcher.synced(), bad.synced()]);
		const [chartId, chart] = chartOf(bad);
		stepsOf(chart).set('s-bad-x', ymap({ label: '坏步骤', x: '一百', y: 0, kind: 'step', post: '', limitDays: null, risk: false, control: false, duty: '' }));
		await until(() => bad.closes.includes('schema-violation'), 'the server closes the offending connection');
		bad.destroy();
		await new Promise((r) => setTimeout(r, 300));
		const api = await apiChart(chartId);
		expect(api.nodes['s-bad-x']).toBeUndefined();
		expect(JSON.stringify(api)).not.toContain('坏步骤');
		expect(stepsOf(chartOf(watcher)[1]).has('s-bad-x')).toBe(false);
	});

	it('refuses an edge from a step that does not exist', async () => {
		const watcher = client(editor2.token!);
		const bad = client(editor1.token!);
		await Promise.all([watcher.synced(), bad.synced()]);
		const [chartId, chart] = chartOf(bad);
		const [[target]] = orderedSteps(readFlowchart(chart));
		edgesOf(chart).set('e-dangling', ymap({ source: 's-no-such-step', target, label: '悬空连线' }));
		await until(() => bad.closes.includes('schema-violation'), 'the server closes the offending connection');
		bad.destroy();
		await new Promise((r) => setTimeout(r, 300));
		const api = await apiChart(chartId);
		expect(api.edges['e-dangling']).toBeUndefined();
		expect(JSON.stringify(api)).not.toContain('悬空连线');
		expect(edgesOf(chartOf(watcher)[1]).has('e-dangling')).toBe(false);
	});
});
