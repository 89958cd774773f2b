import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { BrowserUser } from '../helpers/browser.ts';
import { CollabClient } from '../helpers/collab-client.ts';
import { newRiskRow, riskTable } from '../helpers/yblocks.ts';
import { FLOWCHARTS_MAP, type FlowchartData } from '../../collab/schema/flowchart.ts';
import { stepBox } from '../../collab/schema/flowchart-svg.ts';

/** Polled with headroom for a loaded machine, never timed. */
const SOON = { timeout: 8_000, interval: 50 };

type Section = { id: string; doc: string; title: string };

/** Is `word` spread through `text` in order (other characters may sit in between)? */
function inOrder(text: string, word: string): boolean {
	let at = 0;
	for (const ch of text) if (ch === word[at]) at++;
	return at === word.length;
}

/** Screen rectangles of every step drawn on the canvas, by step id. */
function stepRects(page: Page) {
	return page.evaluate(() => {
		const out: Record<string, { left: number; top: number; right: number; bottom: number }> = {};
		for (const el of document.querySelectorAll<HTMLElement>('.svelte-flow__node')) {
			const r = el.getBoundingClientRect();
			out[el.dataset.id!] = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
		}
		return out;
	});
}

describe('flowchart editor in the browser', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let a: BrowserUser; // shebei1, editor of 设备监督管理司
	let b: BrowserUser; // shebei2, editor of the same unit
	let nameA: string;
	let manualId: string;
	let sections: Section[];
	const clients: CollabClient[] = [];

	const pathOf = (s: Section) => `/manuals/${manualId}/sections/${s.id}`;
	const chartOnServer = async (s: Section): Promise<[string, FlowchartData]> => {
		const body = (await admin.get(`/api/sections/${s.id}`)).body;
		return Object.entries(body.flowcharts as Record<string, FlowchartData>)[0];
	};
	const region = (u: BrowserUser) => u.page.getByRole('region', { name: '权力运行流程图编辑器' });
	const stepIds = async (s: Section) => Object.fromEntries(Object.entries((await chartOnServer(s))[1].nodes).map(([id, step]) => [step.label, id]));
	const stepNode = (u: BrowserUser, id: string) => u.page.locator(`.svelte-flow__node[data-id="${id}"]`);
	const labelField = (u: BrowserUser) => region(u).getByLabel('名称', { exact: true });
	/** A second editor's raw collaboration client on a section, as another program would write. */
	const colleague = async (s: Section) => {
		const c = new CollabClient(server.wsUrl, s.doc, (await signIn(server, 'shebei2')).token!);
		clients.push(c);
		await c.synced();
		const chart = [...c.doc.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).values()][0];
		return { c, chart, steps: chart.get('nodes') as Y.Map<Y.Map<unknown>> };
	};

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '设备监督管理司');
		manualId = demo.manual.id;
		sections = demo.unit.sections;
		nameA = (await (await signIn(server, 'shebei1')).get('/api/me')).body.displayName;
		[a, b] = await Promise.all([new BrowserUser(server.url).launch(), new BrowserUser(server.url).launch()]);
	});

	beforeEach(({ onTestFailed }) => {
		onTestFailed(() => console.error(`server output:\n${server.output}`));
		a.pageErrors.length = 0;
		b.pageErrors.length = 0;
	});

	afterEach(() => {
		expect(a.pageErrors, 'uncaught errors in the page of shebei1').toEqual([]);
		expect(b.pageErrors, 'uncaught errors in the page of shebei2').toEqual([]);
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await Promise.all([a?.close(), b?.close()]);
		await server.dispose();
	});

	it('keeps both people’s characters when they rename the same step at the same moment', async () => {
		const section = sections[0];
		await Promise.all([a.open(pathOf(section), 'shebei1'), b.open(pathOf(section), 'shebei2')]);
		await Promise.all([a.editable(), b.editable()]);
		const stepId = (await stepIds(section))['技术审查'];
		for (const u of [a, b]) {
			await stepNode(u, stepId).click();
			await labelField(u).click();
			await u.page.keyboard.press('End');
		}
		const wordA = '春夏秋冬东南西北';
		const wordB = '一二三四五六七八';
		// Both type at once, key by key, while each other's keys keep arriving.
		await Promise.all([a.page.keyboard.type(wordA, { delay: 40 }), b.page.keyboard.type(wordB, { delay: 40 })]);

		const onServer = async () => (await chartOnServer(section))[1].nodes[stepId!]?.label ?? '';
		await expect.poll(async () => (await onServer()).length, SOON).toBe('技术审查'.length + wordA.length + wordB.length);
		const merged = await onServer();
		expect(merged.startsWith('技术审查')).toBe(true);
		expect(inOrder(merged, wordA), `${wordA} in ${merged}`).toBe(true);
		expect(inOrder(merged, wordB), `${wordB} in ${merged}`).toBe(true);
		// Both side panels and both canvases show the merged name.
		await expect.poll(() => labelField(a).inputValue(), SOON).toBe(merged);
		await expect.poll(() => labelField(b).inputValue(), SOON).toBe(merged);
		await expect.poll(() => stepNode(b, stepId).textContent(), SOON).toContain(merged.slice(0, 6));
	});

	it('keeps the caret where the person was typing when a colleague’s edit arrives', async () => {
		const section = sections[0];
		await Promise.all([a.open(pathOf(section), 'shebei1'), b.open(pathOf(section), 'shebei2')]);
		await Promise.all([a.editable(), b.editable()]);
		const stepId = (await stepIds(section))['检验检测'];
		await stepNode(a, stepId).click();
		await labelField(a).click();
		await a.page.keyboard.press('Home');
		await a.page.keyboard.type('甲');
		// A colleague appends to the same name while A's caret sits after 甲.
		await stepNode(b, stepId).click();
		await labelField(b).click();
		await b.page.keyboard.press('End');
		await b.page.keyboard.type('（乙）');
		await expect.poll(() => labelField(a).inputValue(), SOON).toBe('甲检验检测（乙）');
		await a.page.keyboard.type('丙');
		await expect.poll(() => labelField(b).inputValue(), SOON).toBe('甲丙检验检测（乙）');
	});

	it('shows who is editing which step, on the step and beside the field', async () => {
		const section = sections[0];
		await Promise.all([a.open(pathOf(section), 'shebei1'), b.open(pathOf(section), 'shebei2')]);
		await Promise.all([a.editable(), b.editable()]);
		const stepId = (await stepIds(section))['专家评审'];
		await stepNode(a, stepId).click();
		await labelField(a).click();

		// B sees A's name on that step, in A's colour, and nowhere else.
		const tag = stepNode(b, stepId).locator('.fc-peer');
		await expect.poll(() => tag.textContent(), SOON).toContain(nameA);
		expect(await b.page.locator('.svelte-flow__node .fc-peer').count()).toBe(1);
		// B opens the same step: the name field says A is in it.
		await stepNode(b, stepId).click();
		const fieldTag = region(b).locator('.fc-field-peer', { hasText: nameA });
		await expect.poll(() => fieldTag.count(), SOON).toBe(1);
		expect(await fieldTag.evaluate((el) => el.closest('label')?.textContent ?? '')).toContain('名称');

		// A leaves the step: the marks go.
		await region(a).locator('.svelte-flow__pane').click({ position: { x: 5, y: 5 } });
		await expect.poll(() => b.page.locator('.svelte-flow__node .fc-peer').count(), SOON).toBe(0);
		await expect.poll(() => fieldTag.count(), SOON).toBe(0);
	});

	it('edits a step name stored as a plain string (documents from before names merged)', async () => {
		const section = sections[0];
		await a.open(pathOf(section), 'shebei1');
		await a.editable();
		const stepId = (await stepIds(section))['制证送达'];
		// The step as an older version wrote it: its texts are plain values, not Y.Text.
		const { c, steps } = await colleague(section);
		c.doc.transact(() => {
			steps.get(stepId)!.set('label', '制证送达');
			steps.get(stepId)!.set('post', '行政许可受理窗口');
		});
		await c.confirmed();
		expect(steps.get(stepId)!.get('label')).toBe('制证送达');

		await stepNode(a, stepId).click();
		await expect.poll(() => region(a).getByLabel('责任岗位', { exact: true }).inputValue(), SOON).toBe('行政许可受理窗口');
		await labelField(a).click();
		await a.page.keyboard.press('End');
		await a.page.keyboard.type('（旧）');
		await expect.poll(async () => (await chartOnServer(section))[1].nodes[stepId].label, SOON).toBe('制证送达（旧）');
		// The edited field is Y.Text from now on; the untouched one still reads as it was.
		await expect.poll(() => steps.get(stepId)!.get('label') instanceof Y.Text, SOON).toBe(true);
		expect((await chartOnServer(section))[1].nodes[stepId].post).toBe('行政许可受理窗口');
	});

	it('adds a step between the selected step and the next, making room, in one undo step', async () => {
		const section = sections[1];
		await a.open(pathOf(section), 'shebei1');
		await a.editable();
		const [, before] = await chartOnServer(section);
		const idOf = (data: FlowchartData, label: string) => Object.entries(data.nodes).find(([, s]) => s.label === label)![0];
		const from = idOf(before, '审查');
		const to = idOf(before, '专家评审/检验检测');

		await stepNode(a, from).click();
		await region(a).getByRole('button', { name: /添加步骤/ }).click();
		await expect.poll(async () => Object.keys((await chartOnServer(section))[1].nodes).length, SOON).toBe(Object.keys(before.nodes).length + 1);
		const [, after] = await chartOnServer(section);
		const added = Object.keys(after.nodes).find((id) => !before.nodes[id])!;
		const links = Object.values(after.edges).map((e) => `${e.source}>${e.target}`);
		expect(links).toContain(`${from}>${added}`);
		expect(links).toContain(`${added}>${to}`);
		expect(links).not.toContain(`${from}>${to}`);
		// Placed between them, and no step overlaps another.
		expect(after.nodes[added].y).toBeGreaterThan(after.nodes[from].y);
		expect(after.nodes[added].y).toBeLessThan(after.nodes[to].y);
		const boxes = Object.entries(after.nodes).map(([id, s]) => [id, stepBox(s)] as const);
		for (const [i, p] of boxes)
			for (const [j, q] of boxes)
				if (i < j) {
					const apart = Math.abs(p.x - q.x) >= (p.width + q.width) / 2 + 10 || Math.abs(p.y - q.y) >= (p.height + q.height) / 2 + 10;
					expect(apart, `${after.nodes[i].label} and ${after.nodes[j].label} overlap`).toBe(true);
				}

		// One undo takes it all back: the step, the links and the room made.
		await region(a).getByRole('button', { name: /撤销/ }).click();
		await expect.poll(async () => (await chartOnServer(section))[1], SOON).toEqual(before);
	});

	it('refuses to add a step after the end step, and says why', async () => {
		const section = sections[1];
		await a.open(pathOf(section), 'shebei1');
		await a.editable();
		const [, before] = await chartOnServer(section);
		await stepNode(a, (await stepIds(section))['制证送达']).click();
		await region(a).getByRole('button', { name: /添加步骤/ }).click();
		await expect.poll(() => region(a).getByRole('alert').textContent(), SOON).toContain('结束');
		expect(Object.keys((await chartOnServer(section))[1].nodes).length).toBe(Object.keys(before.nodes).length);
	});

	it('connects two steps when the line is dropped anywhere on the target step', async () => {
		const section = sections[1];
		await a.open(pathOf(section), 'shebei1');
		await a.editable();
		const [, before] = await chartOnServer(section);
		const ids = await stepIds(section);
		const source = stepNode(a, ids['补正告知']);
		const target = stepNode(a, ids['作出决定']);
		// The whole way must be on screen: a drop is found under the pointer.
		await region(a).evaluate((el) => el.scrollIntoView({ block: 'center' }));
		await source.hover();
		const handle = source.locator('.svelte-flow__handle[data-handleid="bottom"]');
		const h = (await handle.boundingBox())!;
		const t = (await target.boundingBox())!;
		await a.page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
		await a.page.mouse.down();
		// Into the body of the target, well away from any of its connection dots.
		const drop = { x: t.x + t.width * 0.3, y: t.y + t.height * 0.5 };
		await a.page.mouse.move((h.x + drop.x) / 2, (h.y + drop.y) / 2, { steps: 8 });
		await a.page.mouse.move(drop.x, drop.y, { steps: 8 });
		await a.page.mouse.up();
		await expect
			.poll(async () => {
				const [, now] = await chartOnServer(section);
				return Object.values(now.edges).some((e) => e.source === ids['补正告知'] && e.target === ids['作出决定']);
			}, SOON)
			.toBe(true);
		expect(Object.keys((await chartOnServer(section))[1].edges).length).toBe(Object.keys(before.edges).length + 1);
	});

	it('renames one option per risk row, without rebuilding their step lists, while a step name is typed', async () => {
		const section = sections[1];
		const { c, steps } = await colleague(section);
		const stepId = [...steps.entries()].find(([, s]) => String(s.get('label')) === '审查')![0];
		c.doc.transact(() => {
			const table = riskTable(c.doc);
			table.push(Array.from({ length: 500 }, (_, i) => newRiskRow(`bulk-${i}`)));
		});
		await c.confirmed();
		await a.open(pathOf(section), 'shebei1');
		await a.editable();
		const pickers = a.page.locator('.risk-row select.rr-step');
		await expect.poll(() => pickers.count(), { timeout: 30_000, interval: 200 }).toBeGreaterThanOrEqual(500);
		// Mark every row's option for the step, to see afterwards whether it is still the same element.
		const marked = await a.page.evaluate((id) => {
			const options = [...document.querySelectorAll<HTMLOptionElement>(`.risk-row select.rr-step option[value="${id}"]`)];
			(window as unknown as { __options: HTMLOptionElement[] }).__options = options;
			return options.length;
		}, stepId);
		expect(marked).toBe(await pickers.count());

		await stepNode(a, stepId).click();
		await labelField(a).click();
		await a.page.keyboard.press('End');
		await a.page.keyboard.type('（复核）');
		const options = () =>
			a.page.evaluate((id) => {
				const kept = (window as unknown as { __options: HTMLOptionElement[] }).__options;
				const now = [...document.querySelectorAll<HTMLOptionElement>(`.risk-row select.rr-step option[value="${id}"]`)];
				return { renamed: now.filter((o) => o.textContent === '审查（复核）').length, same: now.filter((o) => kept.includes(o)).length, all: now.length };
			}, stepId);
		await expect.poll(async () => (await options()).renamed, SOON).toBe(marked);
		expect(await options()).toEqual({ renamed: marked, same: marked, all: marked });
		// Adding a step still reaches every row's list.
		await region(a).getByRole('button', { name: /添加步骤/ }).click();
		await expect.poll(() => a.page.locator('.risk-row select.rr-step option', { hasText: '新步骤' }).count(), SOON).toBe(marked);
	});

	it('draws a new link around the steps in its way, its label off every step', async () => {
		const section = sections[0];
		await a.open(pathOf(section), 'shebei1');
		await a.editable();
		// A colleague links 受理 straight to 许可决定: three steps stand in the way.
		const { c, chart, steps } = await colleague(section);
		const idOf = (label: string) => [...steps.entries()].find(([, s]) => String(s.get('label')) === label)![0];
		const [from, to] = [idOf('受理'), idOf('许可决定')];
		c.doc.transact(() => {
			const link = new Y.Map<unknown>();
			(chart.get('edges') as Y.Map<Y.Map<unknown>>).set('e-bypass', link);
			link.set('source', from);
			link.set('target', to);
			link.set('label', '免于检验');
		});
		await c.confirmed();

		const edge = a.page.locator('.svelte-flow__edge[data-id="e-bypass"]');
		await edge.waitFor();
		const rects = await stepRects(a.page);
		const samples = await edge.locator('path.svelte-flow__edge-path').evaluate((p: SVGPathElement) => {
			const m = p.getScreenCTM()!;
			const out: { x: number; y: number }[] = [];
			const len = p.getTotalLength();
			for (let d = 0; d <= len; d += 2) {
				const q = p.getPointAtLength(d);
				out.push({ x: m.a * q.x + m.c * q.y + m.e, y: m.b * q.x + m.d * q.y + m.f });
			}
			return out;
		});
		expect(samples.length).toBeGreaterThan(10);
		for (const [id, r] of Object.entries(rects)) {
			if (id === from || id === to) continue;
			const inside = samples.filter((p) => p.x > r.left + 1 && p.x < r.right - 1 && p.y > r.top + 1 && p.y < r.bottom - 1);
			expect(inside, `the link runs through step ${id}`).toEqual([]);
		}
		const plate = (await edge.locator('.fc-edge-label rect').boundingBox())!;
		for (const [id, r] of Object.entries(rects)) {
			const overlaps = plate.x < r.right && plate.x + plate.width > r.left && plate.y < r.bottom && plate.y + plate.height > r.top;
			expect(overlaps, `the label covers step ${id}`).toBe(false);
		}
	});
});
