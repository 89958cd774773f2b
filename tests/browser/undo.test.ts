import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { BrowserUser } from '../helpers/browser.ts';

const SOON = { timeout: 5_000, interval: 50 };

describe('undo in a shared document', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let a: BrowserUser;
	let b: BrowserUser;
	let sectionId: string;

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '运输监督管理司');
		sectionId = demo.section.id;
		const path = `/manuals/${demo.manual.id}/sections/${demo.section.id}`;
		[a, b] = await Promise.all([new BrowserUser(server.url).launch(), new BrowserUser(server.url).launch()]);
		await Promise.all([a.open(path, 'yunshu1'), b.open(path, 'yunshu2')]);
		await Promise.all([a.editable(), b.editable()]);
	});

	afterAll(async () => {
		await Promise.all([a?.close(), b?.close()]);
		await server.dispose();
	});

	it('undoes only my own edits, never a colleague’s', async () => {
		await a.typeInLastParagraph('【甲的修改】', 'end');
		await expect.poll(() => b.docText(), SOON).toContain('【甲的修改】');
		await b.typeInLastParagraph('【乙的修改】', 'start');
		await expect.poll(() => a.docText(), SOON).toContain('【乙的修改】');

		await a.page.keyboard.press('Control+Z');
		for (const u of [a, b]) {
			await expect.poll(() => u.docText(), SOON).not.toContain('【甲的修改】');
			expect(await u.docText()).toContain('【乙的修改】');
		}
		await a.page.keyboard.press('Control+Shift+Z');
		await expect.poll(() => b.docText(), SOON).toContain('【甲的修改】');
		await expect.poll(() => a.saveState.getAttribute('data-state'), SOON).toBe('saved');
		const saved = JSON.stringify((await admin.get(`/api/sections/${sectionId}`)).body.content);
		expect(saved).toContain('【甲的修改】');
		expect(saved).toContain('【乙的修改】');
	});
});
