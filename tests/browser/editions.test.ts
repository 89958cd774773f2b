import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signIn, TestServer } from '../helpers/server.ts';
import { artifact, BrowserUser } from '../helpers/browser.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { cellText, riskRows } from '../helpers/yblocks.ts';
import { acceptAll } from '../helpers/workflow.ts';

const SOON = { timeout: 10_000, interval: 100 };

describe('editions in the browser', () => {
	const server = new TestServer();
	let coordinator: ApiClient;
	let manualId: string;
	let first: string;
	let second: string;
	let coord: BrowserUser;
	let reader: BrowserUser;

	beforeAll(async () => {
		await server.start();
		coordinator = await signIn(server, 'jijian');
		manualId = (await coordinator.get('/api/manuals')).body[0].id;
		await acceptAll(server, coordinator, manualId);
		coord = await new BrowserUser(server.url).launch();
		reader = await new BrowserUser(server.url).launch();
	});
	afterAll(async () => {
		await coord?.close();
		await reader?.close();
		await server.dispose();
	});

	it('publishes from the dialog, which says what is ready and what records are missing', async () => {
		await coord.open(`/manuals/${manualId}/editions`, 'jijian');
		const page = coord.page;
		await page.getByRole('button', { name: '发布第 1 版' }).click();
		const dialog = page.getByRole('dialog');
		await expect.poll(() => dialog.getByText('全部 6 个章节均已通过审核，可以发布。').isVisible(), SOON).toBe(true);
		await expect.poll(() => dialog.getByText(/尚未记录领导班子集体审定/).isVisible(), SOON).toBe(true);
		await expect.poll(() => dialog.getByText('党组研究决定尚未记录').isVisible(), SOON).toBe(true);
		await dialog.getByLabel('发布说明（可选）').fill('经局党组研究同意，汇编印发。');
		await page.screenshot({ path: artifact('edition-publish-dialog.png') });
		await dialog.getByRole('button', { name: '确认发布' }).click();
		await page.waitForURL(/\/editions\/[^/]+$/);
		first = page.url().split('/').pop()!;
		await expect.poll(() => page.getByText('✓ 哈希校验通过，内容完整').isVisible(), SOON).toBe(true);
	});

	it('shows readers the book: cover, contents, chapters with card, flowchart and risk table, maps, records', async () => {
		// A revision with one change, then edition 2, so there is something to compare.
		expect((await coordinator.post(`/api/manuals/${manualId}/revisions`)).status).toBe(201);
		const manual = (await coordinator.get(`/api/manuals/${manualId}`)).body;
		const s = manual.units[2].sections[0];
		const editor = await signIn(server, 'shebei1');
		const c = new CollabClient(server.wsUrl, s.doc, editor.token!);
		await c.synced();
		await until(() => c.scope === 'read-write', 'writable in the revision');
		const row = riskRows(c.doc)[0];
		c.doc.transact(() => {
			cellText(row, 'measure').insert(0, '（修订）专家评审全程录音录像；');
			row.setAttribute('level', 'medium');
		});
		await c.confirmed();
		c.destroy();
		await acceptAll(server, coordinator, manualId);
		second = (await coordinator.post(`/api/manuals/${manualId}/editions`, { note: '动态调整' })).body.id;

		await reader.open(`/editions/${first}`, 'duzhe');
		const page = reader.page;
		await expect.poll(() => page.locator('.cover .title').textContent(), SOON).toBe('国家铁路局行政许可廉政风险防控手册');
		await expect.poll(() => page.locator('.toc').getByText('一、科技与法制司').isVisible(), SOON).toBe(true);
		expect(await page.locator('.chapter-title').first().textContent()).toBe('一、科技与法制司');
		expect(await page.locator('.item-title').first().textContent()).toBe('（一）行政许可申请统一受理');
		expect(await page.locator('table.frozen-card').count()).toBe(6);
		expect(await page.locator('.frozen-flow svg').count()).toBe(6);
		expect(await page.locator('.frozen-risks tbody tr').count()).toBeGreaterThan(15);
		expect(await page.locator('.maps .map-card').count()).toBe(6);
		await expect.poll(() => page.getByText('（本版未附党组研究决定。）').isVisible(), SOON).toBe(true);
		await page.screenshot({ path: artifact('edition-viewer.png') });
		await page.locator('#u-' + manual.units[2].id).scrollIntoViewIfNeeded();
		await page.screenshot({ path: artifact('edition-viewer-chapter.png') });
		// The old edition does not show what the revision changed.
		expect(await page.locator('body').textContent()).not.toContain('（修订）专家评审全程录音录像');
	});

	it('prints on A4 without the app around it, map titles and counts included', async () => {
		const page = reader.page;
		await page.goto(`${server.url}/editions/${first}/print`);
		await expect.poll(() => page.locator('.cover .title').isVisible(), SOON).toBe(true);
		expect(await page.locator('header.app-header').count()).toBe(0);
		await page.emulateMedia({ media: 'print' });
		const card = page.locator('.maps .map-card').first();
		await expect.poll(() => card.locator('h3').isVisible(), SOON).toBe(true);
		await expect.poll(() => card.locator('.levels').isVisible(), SOON).toBe(true);
		const clipped = await card.locator('.chart').evaluate((el) => el.scrollWidth > el.clientWidth + 1);
		expect(clipped).toBe(false);
		await page.screenshot({ path: artifact('edition-print.png'), fullPage: false });
		const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, path: artifact('edition-print.pdf') });
		expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
		await page.emulateMedia({ media: 'screen' });
	});

	it('compares two editions with colours and a summary', async () => {
		const page = reader.page;
		await page.goto(`${server.url}/editions/${first}/diff/${second}`);
		await expect.poll(() => page.getByText('1 个章节有变化').isVisible(), SOON).toBe(true);
		const changed = page.locator('.sc.status-changed');
		expect(await changed.count()).toBe(1);
		await expect.poll(() => changed.locator('ins').filter({ hasText: '（修订）专家评审全程录音录像' }).count(), SOON).toBeGreaterThan(0);
		await expect.poll(() => changed.getByRole('row', { name: /风险等级/ }).isVisible(), SOON).toBe(true);
		await page.screenshot({ path: artifact('edition-diff.png'), fullPage: true });
	});

	it('shows, while revising, what a section changed since the last edition', async () => {
		expect((await coordinator.post(`/api/manuals/${manualId}/revisions`)).status).toBe(201);
		const manual = (await coordinator.get(`/api/manuals/${manualId}`)).body;
		const s = manual.units[0].sections[0];
		const editor = new BrowserUser(server.url);
		await editor.launch();
		try {
			await editor.open(`/manuals/${manualId}/sections/${s.id}`, 'kefa1');
			await editor.editable();
			const page = editor.page;
			await page.getByRole('button', { name: '与上一版比较' }).click();
			await expect.poll(() => page.getByText('与上一版相比没有变化。').isVisible(), SOON).toBe(true);
			await editor.typeInLastParagraph('（修订时补充的说明）');
			await expect.poll(() => page.locator('.changes-panel ins').filter({ hasText: '（修订时补充的说明）' }).count(), SOON).toBeGreaterThan(0);
			await page.screenshot({ path: artifact('edition-revision-changes.png') });
		} finally {
			await editor.close();
		}
	});
});
