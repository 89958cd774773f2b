import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { artifact, BrowserUser } from '../helpers/browser.ts';

const SOON = { timeout: 10_000, interval: 100 };

/** A comment on a flowchart step is drawn on that step, in the editable chart and in the read-only one. */
describe('comment badges on flowchart steps', () => {
	const server = new TestServer();
	let expert: ApiClient;
	let manualId: string;
	let section: { id: string };
	let stepId: string;
	let editor: BrowserUser;
	let reviewer: BrowserUser;

	beforeAll(async () => {
		await server.start();
		expert = await signIn(server, 'zhuanjia');
		const d = await demoSection(expert, '设备监督管理司');
		manualId = d.manual.id;
		section = d.section;
		const content = (await expert.get(`/api/sections/${section.id}`)).body;
		const chartId = Object.keys(content.flowcharts)[0];
		stepId = Object.entries(content.flowcharts[chartId].nodes as Record<string, { label: string }>).find(([, s]) => s.label === '专家评审')![0];
		expect((await expert.post(`/api/sections/${section.id}/comments`, { anchor: { type: 'step', flowchartId: chartId, stepId }, body: '请写明专家回避的具体办法。' })).status).toBe(201);
		editor = await new BrowserUser(server.url).launch();
		reviewer = await new BrowserUser(server.url).launch();
	});
	afterAll(async () => {
		await editor?.close();
		await reviewer?.close();
		await server.dispose();
	});

	it('shows the count on the step for the unit’s editor (editable chart) and for the expert (read-only picture)', async () => {
		await editor.open(`/manuals/${manualId}/sections/${section.id}`, 'shebei1');
		await editor.editable();
		const node = editor.page.locator(`.svelte-flow__node[data-id="${stepId}"] .fc-comments`);
		await expect.poll(() => node.textContent(), SOON).toBe('1');
		await reviewer.open(`/manuals/${manualId}/sections/${section.id}`, 'zhuanjia');
		const mark = reviewer.page.locator(`.fc-static .fc-step[data-step-id="${stepId}"] .fc-comments text`);
		await expect.poll(() => mark.textContent(), SOON).toBe('1');
		await reviewer.page.locator('.fc-static').scrollIntoViewIfNeeded();
		await reviewer.page.screenshot({ path: artifact('step-comment-badge.png') });
	});
});
