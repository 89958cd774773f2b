import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { BrowserUser } from '../helpers/browser.ts';

const SOON = { timeout: 5_000, interval: 50 };

/**
 * Chinese input. Chromium lets a test drive a real IME composition through the DevTools
 * protocol (Input.imeSetComposition / Input.insertText): the page sees compositionstart,
 * the pinyin as marked text, then the committed characters, as with a system IME.
 */
describe('Chinese IME input', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let a: BrowserUser;
	let b: BrowserUser;
	let path: string;
	let sectionId: string;

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '科技与法制司');
		sectionId = demo.section.id;
		path = `/manuals/${demo.manual.id}/sections/${demo.section.id}`;
		[a, b] = await Promise.all([new BrowserUser(server.url).launch(), new BrowserUser(server.url).launch()]);
		await Promise.all([a.open(path, 'kefa1'), b.open(path, 'kefa2')]);
		await Promise.all([a.editable(), b.editable()]);
	});

	afterAll(async () => {
		await Promise.all([a?.close(), b?.close()]);
		await server.dispose();
	});

	it('keeps half-composed pinyin to the composer and survives a remote edit during composition', async () => {
		const cdp = await a.context.newCDPSession(a.page);
		await a.placeCaret(a.editor.locator(':scope > p').last(), 'end');
		await b.placeCaret(b.editor.locator(':scope > p').last(), 'start');

		// A starts composing: the pinyin shows in A's editor only.
		await cdp.send('Input.imeSetComposition', { text: 'zhong', selectionStart: 5, selectionEnd: 5 });
		await cdp.send('Input.imeSetComposition', { text: 'zhongguo', selectionStart: 8, selectionEnd: 8 });
		await expect.poll(() => a.docText(), SOON).toContain('zhongguo');

		// Meanwhile B types: A must not lose the composition, B must not see the pinyin.
		await b.page.keyboard.type('乙方');
		await expect.poll(() => b.saveState.getAttribute('data-state'), SOON).toBe('saved');
		expect(await b.docText()).not.toContain('zhong');
		expect(JSON.stringify((await admin.get(`/api/sections/${sectionId}`)).body.content)).not.toContain('zhong');
		expect(await a.docText()).toContain('zhongguo');

		// A commits: the characters replace the pinyin; both see A's 中国 and B's 乙方.
		await cdp.send('Input.insertText', { text: '中国' });
		for (const u of [a, b]) {
			await expect.poll(() => u.docText(), SOON).toContain('中国');
			await expect.poll(() => u.docText(), SOON).toContain('乙方');
			expect(await u.docText()).not.toContain('zhong');
		}
		await expect.poll(() => a.saveState.getAttribute('data-state'), SOON).toBe('saved');
		const saved = JSON.stringify((await admin.get(`/api/sections/${sectionId}`)).body.content);
		expect(saved).toContain('中国');
		expect(saved).toContain('乙方');
		expect(saved).not.toContain('zhong');
		expect(saved.match(/中国/g)).toHaveLength(1);
	});
});
