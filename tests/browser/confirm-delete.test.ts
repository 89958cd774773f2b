import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { artifact, BrowserUser, failOnPageErrors } from '../helpers/browser.ts';

const SOON = { timeout: 5_000, interval: 50 };

/** The app's confirmation dialog (one modal <dialog>, in Chinese). */
const dialogOf = (page: Page) => page.getByRole('dialog');

/** Which element has focus, as a short description, to compare before and after the dialog. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200) ?? null);

describe('confirming a deletion', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let user: BrowserUser;
	let manualId: string;
	let unitId: string;

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '设备监督管理司');
		manualId = demo.manual.id;
		unitId = demo.unit.id;
		user = await new BrowserUser(server.url).launch();
	});

	beforeEach(({ onTestFailed }) => {
		onTestFailed(() => console.error(`server output:\n${server.output}`));
	});
	failOnPageErrors(() => ({ user }));

	afterAll(async () => {
		await user?.close();
		await server.dispose();
	});

	const liveSections = async () =>
		(await admin.get(`/api/manuals/${manualId}`)).body.units.flatMap((u: { sections: { id: string }[] }) => u.sections.map((s) => s.id));

	it('keeps a section on 取消 or Esc, and moves it to the recycle bin on 确定 (Enter)', async () => {
		const coordinator = await signIn(server, 'jijian');
		const created = await coordinator.post(`/api/manuals/${manualId}/sections`, { unitId, title: '待删除的测试事项' });
		expect(created.status).toBe(201);
		const id: string = created.body.id;
		const page = user.page;
		await user.open(`/manuals/${manualId}`, 'jijian');

		const row = () => page.getByRole('row').filter({ hasText: '待删除的测试事项' });
		const trash = () => page.locator('ul.trash');
		const deleteButton = () => row().getByRole('button', { name: '删除' });
		const ask = async () => {
			await deleteButton().click();
			const dialog = dialogOf(page);
			await expect.poll(() => dialog.isVisible(), SOON).toBe(true);
			expect(await dialog.getAttribute('aria-labelledby')).toBeTruthy();
			await expect.poll(() => dialog.textContent(), SOON).toContain('确定删除“待删除的测试事项”吗？');
			// 确定 has focus: Enter confirms.
			await expect.poll(() => focused(page), SOON).toContain('确定');
			return dialog;
		};

		// 取消: nothing happens, focus is back on the button that asked.
		const dialog = await ask();
		await page.screenshot({ path: artifact('confirm-delete-section.png') });
		await dialog.getByRole('button', { name: '取消' }).click();
		await expect.poll(() => dialog.isVisible(), SOON).toBe(false);
		await expect.poll(() => focused(page), SOON).toContain('aria-label="删除"');
		await page.reload();
		expect(await row().count()).toBe(1);
		expect(await trash().filter({ hasText: '待删除的测试事项' }).count()).toBe(0);
		expect(await liveSections()).toContain(id);

		// Esc: the same.
		await ask();
		await page.keyboard.press('Escape');
		await expect.poll(() => dialog.isVisible(), SOON).toBe(false);
		await page.reload();
		expect(await row().count()).toBe(1);
		expect(await liveSections()).toContain(id);

		// Enter: 确定. The section leaves the unit's list and shows up in the recycle bin.
		await ask();
		await page.keyboard.press('Enter');
		await expect.poll(() => dialog.isVisible(), SOON).toBe(false);
		await expect.poll(() => row().count(), SOON).toBe(0);
		await page.reload();
		expect(await row().count()).toBe(0);
		expect(await trash().filter({ hasText: '待删除的测试事项' }).count()).toBe(1);
		expect(await liveSections()).not.toContain(id);
	});

	it('keeps a unit on 取消, deletes an empty one on 确定, and says why one with members cannot go', async () => {
		const empty = (await admin.post('/api/units', { name: '临时测试司' })).body.id as string;
		const staffed = (await admin.post('/api/units', { name: '有人的测试司' })).body.id as string;
		expect((await admin.post('/api/users', { username: 'staff1', password: 'staff-password-1', displayName: '测试成员', role: 'editor', unitId: staffed })).status).toBe(201);
		const units = async () => (await admin.get('/api/units')).body.map((u: { id: string }) => u.id);
		const page = user.page;
		await user.context.clearCookies(); // signed in as the coordinator until now
		await user.open('/admin', 'admin');

		const item = (id: string): Locator => page.locator('ul.units > li').filter({ has: page.locator(`input[type=hidden][value="${id}"]`) });
		const ask = async () => {
			await item(empty).getByRole('button', { name: '删除' }).click();
			const dialog = dialogOf(page);
			await expect.poll(() => dialog.isVisible(), SOON).toBe(true);
			await expect.poll(() => dialog.textContent(), SOON).toContain('确定删除单位“临时测试司”吗？');
			return dialog;
		};

		const dialog = await ask();
		await dialog.getByRole('button', { name: '取消' }).click();
		await expect.poll(() => dialog.isVisible(), SOON).toBe(false);
		await page.reload();
		expect(await item(empty).count()).toBe(1);
		expect(await units()).toContain(empty);

		await ask();
		await dialog.getByRole('button', { name: '确定' }).click();
		await expect.poll(() => item(empty).count(), SOON).toBe(0);
		await page.reload();
		expect(await item(empty).count()).toBe(0);
		expect(await units()).not.toContain(empty);

		// A unit with members, or with sections, cannot be deleted; the page says why.
		for (const [id, why] of [
			[staffed, '该单位还有成员'],
			[unitId, '该单位在手册中已有章节']
		]) {
			const button = item(id).getByRole('button', { name: '删除' });
			expect(await button.isDisabled(), why).toBe(true);
			expect(await item(id).textContent(), why).toContain(why);
		}
		expect(await units()).toEqual(expect.arrayContaining([staffed, unitId]));
	});
});
