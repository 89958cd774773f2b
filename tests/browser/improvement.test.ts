import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { artifact, BrowserUser } from '../helpers/browser.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';

const SOON = { timeout: 10_000, interval: 100 };

/** 完善提高 in the browser: measures reported by a unit, a warning answered by its leader, a red card on the map. */
describe('improvement phase in the browser', () => {
	const server = new TestServer({ HOLIDAYS: '' });
	let coordinator: ApiClient;
	let manualId: string;
	let section: { id: string; title: string };
	let unit: BrowserUser;
	let coord: BrowserUser;

	beforeAll(async () => {
		await server.start();
		coordinator = await signIn(server, 'jijian');
		const d = await demoSection(coordinator, '科技与法制司');
		manualId = d.manual.id;
		section = d.section;
		await coordinator.post(`/api/manuals/${manualId}/phase`, { phase: 'improvement' });
		unit = await new BrowserUser(server.url).launch();
		coord = await new BrowserUser(server.url).launch();
	});
	afterAll(async () => {
		await unit?.close();
		await coord?.close();
		await server.dispose();
	});

	it('lets a unit report a measure’s progress; overdue items are flagged and counted', async () => {
		await unit.open(`/manuals/${manualId}/measures`, 'kefa1');
		const page = unit.page;
		const first = page.locator('li.item').first();
		await expect.poll(() => first.getByText(/已逾期（时限/).isVisible(), SOON).toBe(true);
		await first.getByRole('button', { name: '报告落实情况' }).click();
		await first.getByLabel('落实状态').selectOption('done');
		await first.getByLabel('进展说明').fill('《行政许可受理工作规范》已印发执行。');
		await first.getByLabel('附件名称（可选）').fill('国铁科法〔2014〕60号.pdf');
		await first.getByRole('button', { name: '提交报告' }).click();
		await expect.poll(() => first.locator('.reports li').count(), SOON).toBe(1);
		await expect.poll(() => first.locator('.head .status').textContent(), SOON).toBe('已完成');
		expect(await first.getByText(/已逾期（时限/).count()).toBe(0);
		// Other units' items carry no report button for this editor.
		const others = page.locator('li.item', { hasText: '运输监督管理司' });
		expect(await others.first().getByRole('button', { name: '报告落实情况' }).count()).toBe(0);
		await page.screenshot({ path: artifact('improvement-measures.png'), fullPage: false });
	});

	it('shows a warning with its ladder and history; the unit leader answers it in writing', async () => {
		const rowId = riskRowsOf((await coordinator.get(`/api/sections/${section.id}`)).body.content)[0].id;
		const w = await coordinator.post(`/api/manuals/${manualId}/warnings`, {
			sectionId: section.id,
			rowId,
			source: '信访举报',
			subject: '受理窗口工作人员',
			description: '群众反映受理时多次要求补正材料。',
			dueAt: Date.now() + 86_400_000
		});
		await coordinator.post(`/api/warnings/${w.body.id}/dispose`, { stage: 'talk', dueAt: Date.now() + 3 * 86_400_000, note: '约谈受理窗口负责人，说明情况。' });
		const leader = new BrowserUser(server.url);
		await leader.launch();
		try {
			await leader.open(`/manuals/${manualId}/warnings`, 'kefa_leader');
			const card = leader.page.locator(`li.warning[id="${w.body.id}"]`);
			await expect.poll(() => card.locator('.ladder li.now').textContent(), SOON).toBe('提醒谈话');
			await card.getByRole('button', { name: '书面答复' }).click();
			await card.getByLabel('书面答复内容').fill('已组织谈话，补正事项改为一次性书面告知。');
			await card.getByRole('button', { name: '提交' }).click();
			await expect.poll(() => card.locator('.history li').count(), SOON).toBe(3);
			expect(await card.getByRole('button', { name: '处置' }).count()).toBe(0);
		} finally {
			await leader.close();
		}
		await coord.open(`/manuals/${manualId}/warnings`, 'jijian');
		const card = coord.page.locator('li.warning').first();
		await expect.poll(() => card.locator('.history li').count(), SOON).toBe(3);
		await expect.poll(() => card.getByRole('button', { name: '处置' }).isVisible(), SOON).toBe(true);
		await coord.page.screenshot({ path: artifact('improvement-warning.png') });
		const notice = await coord.page.context().newPage();
		await notice.goto(`${server.url}/warnings/${w.body.id}/print`);
		await expect.poll(() => notice.locator('h1').textContent(), SOON).toBe('廉政风险提醒谈话通知书');
		await notice.screenshot({ path: artifact('improvement-notice.png') });
		await notice.close();
	});

	it('cards a late case red, names its risk points, colours its step on the map, and raises a warning in one click', async () => {
		const content = (await coordinator.get(`/api/sections/${section.id}`)).body;
		const chart = Object.values(content.flowcharts)[0] as { nodes: Record<string, { label: string }> };
		const idOf = (label: string) => Object.entries(chart.nodes).find(([, s]) => s.label === label)![0];
		const c = (await coordinator.post(`/api/sections/${section.id}/cases`, { applicant: '某电务器材厂', receivedAt: '2026-10-12' })).body.id;
		await coordinator.post(`/api/cases/${c}/steps`, { stepId: idOf('接收申请材料'), doneAt: '2026-10-12' });
		await coordinator.post(`/api/cases/${c}/steps`, { stepId: idOf('形式审查'), doneAt: '2026-10-13' });

		const page = coord.page;
		await coord.open(`/manuals/${manualId}/supervision`, 'jijian');
		const item = page.locator(`li.case[id="${c}"]`);
		await expect.poll(() => item.locator('.light').textContent(), SOON).toBe('红牌');
		await expect.poll(() => item.locator('.risks').getByText('受理').first().isVisible(), SOON).toBe(true);
		await page.getByRole('tab', { name: '监察图' }).click();
		const step = page.locator(`.chart .fc-step[data-step-id="${idOf('受理决定')}"] > rect, .chart .fc-step[data-step-id="${idOf('受理决定')}"] > polygon`).first();
		await expect.poll(() => step.getAttribute('fill'), SOON).toBe('#fecaca');
		await page.screenshot({ path: artifact('improvement-supervision-map.png') });
		await page.getByRole('tab', { name: '案件' }).click();
		await item.getByRole('link', { name: '发出预警' }).click();
		await page.waitForURL(/\/warnings\?/);
		await expect.poll(() => page.getByLabel('问题描述').inputValue(), SOON).toContain('某电务器材厂');
		await page.getByRole('button', { name: '发出风险提示' }).click();
		await expect.poll(async () => (await coordinator.get(`/api/manuals/${manualId}/warnings`)).body.filter((x: { source: string }) => x.source === '电子监察').length, SOON).toBe(1);

		// The distribution map shows, beside each risk point, its measure, open warnings and cards.
		const unitId = (await coordinator.get(`/api/manuals/${manualId}`)).body.units[0].id;
		await page.goto(`${server.url}/manuals/${manualId}/map/${unitId}`);
		const decided = page.locator('.map-card table.status tr', { hasText: '受理' }).filter({ has: page.locator('.card-red') });
		await expect.poll(() => decided.count(), SOON).toBe(1);
		await expect.poll(() => page.locator('.map-card table.status td.warn').count(), SOON).toBeGreaterThan(0);
		await page.screenshot({ path: artifact('improvement-map-status.png') });
	});
});
