import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { artifact, BrowserUser } from '../helpers/browser.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';
import { LEVEL_COLOR } from '../../collab/schema/risk-table.ts';

const SOON = { timeout: 5_000, interval: 50 };

describe('manual blocks in the browser', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let user: BrowserUser;
	let manualId: string;
	let unitId: string;
	let section: { id: string; title: string };

	const serverSection = async () => (await admin.get(`/api/sections/${section.id}`)).body;

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '运输监督管理司');
		manualId = demo.manual.id;
		unitId = demo.unit.id;
		section = demo.unit.sections[2]; // 设置或者拓宽铁路道口、人行过道审批: its 受理 step carries no risk yet
		user = await new BrowserUser(server.url).launch();
	});

	afterAll(async () => {
		await user?.close();
		await server.dispose();
	});

	it('adds a risk row, flags a step as a risk point, links them, and colours the badge by level', async () => {
		const page = user.page;
		await user.open(`/manuals/${manualId}/sections/${section.id}`, 'yunshu1');
		await user.editable();
		// Controls outside the text follow the editor once it turns editable.
		await expect.poll(() => page.getByRole('button', { name: '＋ 添加法律依据' }).isVisible(), SOON).toBe(true);
		await expect.poll(() => page.locator('.risk-row select.rr-level').first().isDisabled(), SOON).toBe(false);

		// Flag the 受理 step as a risk point in the flowchart's side panel.
		const step = page.locator('.svelte-flow__node', { hasText: '受理' }).first();
		await step.click();
		const riskBox = page.getByLabel('廉政风险点', { exact: true });
		await riskBox.check();
		const stepId = await step.getAttribute('data-id');
		expect(stepId).toMatch(/^s[a-z0-9]+$/);
		const badge = page.locator(`.svelte-flow__node[data-id="${stepId}"] .fc-badge`);
		await expect.poll(() => badge.getAttribute('data-level'), SOON).toBe('none');

		// Add a risk row with the button, type into its cells with Tab between them.
		const rows = page.locator('.risk-row');
		const before = await rows.count();
		await page.getByRole('button', { name: '＋ 添加风险点' }).click();
		await expect.poll(() => rows.count(), SOON).toBe(before + 1);
		// Its 序号 follows the rows above it.
		await expect.poll(() => rows.last().locator('.rr-index').getAttribute('data-n'), SOON).toBe(String(before + 1));
		await page.keyboard.type('道口受理');
		await page.keyboard.press('Tab');
		await page.keyboard.type('对不符合安全条件的申请违规受理');
		const row = rows.last();
		await row.locator('select.rr-level').selectOption('high');
		await row.locator('select.rr-step').selectOption({ label: '受理' });

		// The badge now takes the colour of the highest linked level.
		await expect.poll(() => badge.getAttribute('data-level'), SOON).toBe('high');
		const fill = await badge.locator('circle').first().evaluate((c) => getComputedStyle(c).fill || c.getAttribute('fill'));
		expect((fill ?? '').replace(/\s/g, '')).toBe(hexToRgb(LEVEL_COLOR.high));

		// Saved on the server, as the API shows it.
		await expect.poll(() => user.saveState.getAttribute('data-state'), SOON).toBe('saved');
		await expect
			.poll(async () => {
				const body = await serverSection();
				const added = riskRowsOf(body.content).find((r) => r.cells.point === '道口受理');
				const chart = Object.values(body.flowcharts as Record<string, { nodes: Record<string, { risk: boolean }> }>)[0];
				return added && { level: added.level, linked: added.stepId === stepId, form: added.cells.form, risk: chart.nodes[stepId!].risk };
			}, SOON)
			.toEqual({ level: 'high', linked: true, form: '对不符合安全条件的申请违规受理', risk: true });

		// Clicking the badge brings the linked row into view.
		await badge.click();
		await expect.poll(() => row.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }), SOON).toBe(true);

		// Lowering the level recolours the badge.
		await row.locator('select.rr-level').selectOption('low');
		await expect.poll(() => badge.getAttribute('data-level'), SOON).toBe('low');
	});

	it('lays the flowchart out in one step and undoes its own edits', async () => {
		const page = user.page;
		const chartOnServer = async () => {
			const body = await serverSection();
			return Object.values(body.flowcharts as Record<string, { nodes: Record<string, { x: number; y: number; label: string }> }>)[0].nodes;
		};
		const positions = (nodes: Record<string, { x: number; y: number }>) =>
			Object.entries(nodes).map(([id, n]) => `${id}:${Math.round(n.x)},${Math.round(n.y)}`).sort().join(' ');
		const region = page.getByRole('region', { name: '权力运行流程图编辑器' });
		const before = positions(await chartOnServer());

		await region.getByRole('button', { name: '自动排列' }).click();
		await expect.poll(async () => positions(await chartOnServer()), SOON).not.toBe(before);

		// One undo brings every step back: the layout was one transaction.
		await region.getByRole('button', { name: /撤销/ }).click();
		await expect.poll(async () => positions(await chartOnServer()), SOON).toBe(before);

		// Add a step with the toolbar, then undo it with the keyboard inside the chart.
		const count = Object.keys(await chartOnServer()).length;
		await region.getByRole('button', { name: /添加步骤/ }).click();
		await expect.poll(async () => Object.keys(await chartOnServer()).length, SOON).toBe(count + 1);
		await region.locator('.svelte-flow__pane').click({ position: { x: 5, y: 5 } });
		await page.keyboard.press('Control+Z');
		await expect.poll(async () => Object.keys(await chartOnServer()).length, SOON).toBe(count);
	});

	it('flags an empty required field of the power-item card', async () => {
		const page = user.page;
		const code = page.locator('.pi-field[data-field="code"]');
		const value = code.locator('.pi-value');
		const original = (await value.textContent()) ?? '';
		// Ctrl+A inside a card field selects just that field; wait until it has, then delete.
		await expect
			.poll(async () => {
				await value.click();
				await page.keyboard.press('Control+A');
				return page.evaluate(() => document.getSelection()?.toString());
			}, SOON)
			.toBe(original);
		await page.keyboard.press('Backspace');
		await expect.poll(() => code.getAttribute('class'), SOON).toContain('is-missing');
		await page.keyboard.type('GTJ-YS-SP-003');
		await expect.poll(() => code.getAttribute('class'), SOON).not.toContain('is-missing');
	});

	it('saves a full demo section and the unit’s risk distribution map as screenshots', async () => {
		const page = user.page;
		const demo = await demoSection(admin, '设备监督管理司');
		await user.open(`/manuals/${manualId}/sections/${demo.section.id}`, 'yunshu1');
		await page.locator('.svelte-flow__node, .flowchart-block svg').first().waitFor();
		await page.locator('main').evaluate((m) => (m.scrollTop = 0));
		await page.setViewportSize({ width: 1400, height: 2600 });
		await page.screenshot({ path: artifact('demo-section-full.png') });
		await user.open(`/manuals/${manualId}/map/${demo.unit.id}`, 'yunshu1');
		await page.locator('.map-card svg').first().waitFor();
		await page.screenshot({ path: artifact('risk-distribution-map.png'), fullPage: true });
		expect(await page.locator('.map-card').count()).toBe(demo.unit.sections.length);
		void unitId;
	});
});

function hexToRgb(hex: string) {
	const n = parseInt(hex.slice(1), 16);
	return `rgb(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255})`;
}
