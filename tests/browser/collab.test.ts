import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { artifact, BrowserUser, failOnPageErrors } from '../helpers/browser.ts';

/** "Within a second" in the brief; polled with headroom for a loaded machine, never timed. */
const SOON = { timeout: 5_000, interval: 50 };

describe('collaborative editing in the browser', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let a: BrowserUser; // shebei1, editor of 设备监督管理司
	let b: BrowserUser; // shebei2, editor of the same unit
	let nameA: string;
	let nameB: string;
	/** A's browser copy of the section (IndexedDB database, named by user and document). */
	let copyA: string;
	let manualId: string;
	let manualTitle: string;
	let section: { id: string; doc: string; title: string };
	let sectionPath: string;

	/** The section's content as the server holds it (what a fresh reader would get). */
	const serverText = async () => JSON.stringify((await admin.get(`/api/sections/${section.id}`)).body.content);

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '设备监督管理司');
		manualId = demo.manual.id;
		manualTitle = demo.manual.title;
		section = demo.section;
		sectionPath = `/manuals/${manualId}/sections/${section.id}`;
		const meA = (await (await signIn(server, 'shebei1')).get('/api/me')).body;
		nameA = meA.displayName;
		copyA = `fangkong:${meA.id}:${section.doc}`;
		nameB = (await (await signIn(server, 'shebei2')).get('/api/me')).body.displayName;
		[a, b] = await Promise.all([new BrowserUser(server.url).launch(), new BrowserUser(server.url).launch()]);
	});

	// A test that failed while a browser was offline must not take the next one down with it.
	beforeEach(async ({ onTestFailed }) => {
		onTestFailed(() => console.error(`server output:\n${server.output}`));
		await Promise.all([a.context.setOffline(false), b.context.setOffline(false)]);
	});

	// Whatever a test did, neither page may have thrown an uncaught exception on the way.
	failOnPageErrors(() => ({ shebei1: a, shebei2: b }));

	afterAll(async () => {
		await Promise.all([a?.close(), b?.close()]);
		await server.dispose();
	});

	it('shows each editor the other’s typing and named caret, and saves it', async () => {
		// A signs in at /login (a wrong password first) and walks to the section through the outline.
		await a.page.goto(`${server.url}/login`);
		await expect.poll(() => a.page.title(), SOON).toContain('登录');
		await a.page.screenshot({ path: artifact('login-page.png') });
		await a.submitLogin('shebei1', 'not-the-password');
		await expect.poll(() => a.page.getByRole('alert').textContent(), SOON).toContain('用户名或密码错误');
		expect(new URL(a.page.url()).pathname).toBe('/login');
		expect(await a.page.getByLabel('用户名', { exact: true }).inputValue()).toBe('shebei1');
		await a.login('shebei1');
		await a.page.getByRole('link', { name: manualTitle }).first().click();
		await a.page.waitForURL((u) => u.pathname === `/manuals/${manualId}`);
		const outline = a.page.getByRole('complementary', { name: '手册目录' });
		const unitOutline = outline.locator('section').filter({ hasText: '设备监督管理司' });
		await expect.poll(() => unitOutline.getByRole('link').first().textContent(), SOON).toContain(section.title);
		await a.page.screenshot({ path: artifact('manual-outline.png') });
		await unitOutline.getByRole('link').first().click();
		await a.page.waitForURL((u) => u.pathname === sectionPath);

		// B follows a direct link to the section, is sent to /login, and comes back after signing in.
		await b.page.goto(server.url + sectionPath);
		expect(new URL(b.page.url()).pathname).toBe('/login');
		await b.login('shebei2');
		expect(new URL(b.page.url()).pathname).toBe(sectionPath);

		await Promise.all([a.editable(), b.editable()]);
		const textA = '林涛补充：受理环节实行一次性告知。';
		const textB = '何芳补充：';
		await a.typeInLastParagraph(textA, 'end');
		await b.typeInLastParagraph(textB, 'start');

		await expect.poll(() => b.docText(), SOON).toContain(textA);
		await expect.poll(() => a.docText(), SOON).toContain(textB);
		await expect.poll(() => a.caretLabels.allTextContents(), SOON).toEqual([nameB]);
		await expect.poll(() => b.caretLabels.allTextContents(), SOON).toEqual([nameA]);
		// The avatar row lists the other person too.
		await expect.poll(() => a.page.locator(`.presence [title="${nameB}"]`).count(), SOON).toBe(1);

		await expect.poll(() => a.saveState.getAttribute('data-state'), SOON).toBe('saved');
		await expect.poll(() => b.saveState.getAttribute('data-state'), SOON).toBe('saved');
		// "Saved" means the server holds it, not just the other browser.
		const stored = await serverText();
		expect(stored).toContain(textA);
		expect(stored).toContain(textB);
		expect(await a.docText()).toBe(await b.docText());

		// Where the two carets are, then the section from its top (card, flowchart).
		await a.page.screenshot({ path: artifact('section-collab.png') });
		await a.page.locator('h1').first().scrollIntoViewIfNeeded();
		await a.page.screenshot({ path: artifact('section-page.png') });
	});

	it('keeps typing offline and merges both users’ edits on reconnect', async () => {
		await Promise.all([a.open(sectionPath, 'shebei1'), b.open(sectionPath, 'shebei2')]);
		await Promise.all([a.editable(), b.editable()]);
		await expect.poll(() => a.saveState.getAttribute('data-state'), SOON).toBe('saved');

		// setOffline emulates a dead network (new connections fail, navigator.onLine is false and
		// the page gets an `offline` event), but Chromium keeps an already-open WebSocket alive
		// under it. The app reacts to the `offline` event by closing its collaboration socket
		// (src/lib/editor/collab-socket.ts), which is what this checks through the badge.
		await a.context.setOffline(true);
		await expect.poll(() => a.saveState.getAttribute('data-state'), SOON).toBe('offline');

		const offlineA = '【林涛离线时写的内容】';
		const onlineB = '【何芳同时在线写的内容】';
		await a.typeInLastParagraph(offlineA, 'end');
		await b.typeInLastParagraph(onlineB, 'start');
		await expect.poll(() => b.saveState.getAttribute('data-state'), SOON).toBe('saved');
		await expect.poll(serverText, SOON).toContain(onlineB);
		// While A is cut off, nothing crosses in either direction.
		expect(await serverText()).not.toContain(offlineA);
		expect(await b.docText()).not.toContain(offlineA);
		expect(await a.docText()).not.toContain(onlineB);
		expect(await a.saveState.getAttribute('data-state')).toBe('offline');

		await a.context.setOffline(false);
		await expect.poll(() => b.docText(), SOON).toContain(offlineA);
		await expect.poll(() => a.docText(), SOON).toContain(onlineB);
		await expect.poll(() => a.saveState.getAttribute('data-state'), SOON).toBe('saved');
		await expect.poll(serverText, SOON).toContain(offlineA);
		await expect.poll(async () => (await a.docText()) === (await b.docText()), SOON).toBe(true);
		// A's caret comes back for B with the reconnection.
		await expect.poll(() => b.caretLabels.allTextContents(), SOON).toEqual([nameA]);
	});

	it('keeps offline edits in IndexedDB when the tab is closed before reconnecting', async () => {
		await Promise.all([a.open(sectionPath, 'shebei1'), b.open(sectionPath, 'shebei2')]);
		await Promise.all([a.editable(), b.editable()]);
		await expect.poll(() => a.saveState.getAttribute('data-state'), SOON).toBe('saved');

		await a.context.setOffline(true);
		await expect.poll(() => a.saveState.getAttribute('data-state'), SOON).toBe('offline');
		const before = await a.storedUpdates(copyA);
		const offlineA = '【关闭标签页前的离线修改】';
		await a.typeInLastParagraph(offlineA, 'end');
		// Every keystroke is one Yjs update; all of them reach IndexedDB before the tab closes.
		await expect.poll(() => a.storedUpdates(copyA), SOON).toBeGreaterThanOrEqual(before + [...offlineA].length);

		// The tab goes away while offline: the edit now lives only in this browser's IndexedDB.
		await a.newTab();
		await a.context.setOffline(false);
		expect(await serverText()).not.toContain(offlineA);
		expect(await b.docText()).not.toContain(offlineA);

		await a.open(sectionPath, 'shebei1');
		await expect.poll(() => a.docText(), SOON).toContain(offlineA);
		await expect.poll(() => b.docText(), SOON).toContain(offlineA);
		await expect.poll(() => a.saveState.getAttribute('data-state'), SOON).toBe('saved');
		await expect.poll(serverText, SOON).toContain(offlineA);
	});

	it('does not show a user’s half-typed pinyin to the other user', async () => {
		await Promise.all([a.open(sectionPath, 'shebei1'), b.open(sectionPath, 'shebei2')]);
		await Promise.all([a.editable(), b.editable()]);
		// B's page records every text its editor ever shows from here on.
		await b.editor.evaluate((el) => {
			const seen: string[] = [];
			(window as unknown as { __seen: string[] }).__seen = seen;
			new MutationObserver(() => {
				const text = el.textContent ?? '';
				seen.push(text.slice(text.lastIndexOf('【'), text.lastIndexOf('【') + 24));
			}).observe(el, { subtree: true, childList: true, characterData: true });
		});
		const opening = '【输入法：';
		await a.typeInLastParagraph(opening, 'end');
		await expect.poll(() => b.docText(), SOON).toContain(opening);

		// A composes "林涛" with a pinyin IME (composition events, as Chinese input arrives),
		// then commits it.
		const ime = await a.context.newCDPSession(a.page);
		for (const pinyin of ['l', 'li', 'lin', 'lin t', 'lin ta', 'lin tao']) {
			await ime.send('Input.imeSetComposition', { text: pinyin, selectionStart: pinyin.length, selectionEnd: pinyin.length });
		}
		await expect.poll(() => a.docText(), SOON).toContain(`${opening}lin tao`);
		await ime.send('Input.insertText', { text: '林涛' });
		await a.page.keyboard.type('】');
		await ime.detach();

		await expect.poll(() => b.docText(), SOON).toContain(`${opening}林涛】`);
		expect(await a.docText()).toContain(`${opening}林涛】`);
		// Updates arrive in order, so any pinyin sent before the commit was shown before it.
		// (What follows the opening is the pinyin, if any, and A's caret label, which has no Latin.)
		const seen = await b.page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
		expect(seen.filter((t) => t.startsWith(opening) && /[a-z]/.test(t))).toEqual([]);
		await expect.poll(serverText, SOON).toContain(`${opening}林涛】`);
		expect(await serverText()).not.toMatch(/输入法：[a-z]/);
	});
});
