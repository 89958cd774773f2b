import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { artifact, BrowserUser, failOnPageErrors } from '../helpers/browser.ts';

const SOON = { timeout: 10_000, interval: 100 };

/**
 * The browser's IndexedDB copies of sections on a shared office PC: one browser profile, two
 * people one after the other. A's copies carry A's id, go away when A signs out (after a warning
 * if they hold edits the server never got), and B's editor never opens them.
 */
describe('local copies of sections belong to their user', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let browser: BrowserUser;
	let idA: string;
	let idB: string;
	let section: { id: string; doc: string; title: string };
	let sectionPath: string;

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '设备监督管理司');
		section = demo.section;
		sectionPath = `/manuals/${demo.manual.id}/sections/${section.id}`;
		idA = (await (await signIn(server, 'shebei1')).get('/api/me')).body.id;
		idB = (await (await signIn(server, 'shebei2')).get('/api/me')).body.id;
		browser = await new BrowserUser(server.url).launch();
	});

	beforeEach(async ({ onTestFailed }) => {
		onTestFailed(() => console.error(`server output:\n${server.output}`));
		await browser.context.setOffline(false);
	});
	failOnPageErrors(() => ({ browser }));

	afterAll(async () => {
		await browser?.close();
		await server.dispose();
	});

	const page = () => browser.page;
	const serverText = async () => JSON.stringify((await admin.get(`/api/sections/${section.id}`)).body.content);
	/** Names of the IndexedDB databases this browser profile holds. */
	const databases = () => page().evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
	const copiesOf = async (userId: string) => (await databases()).filter((n) => n.includes(userId));
	/** Whether a copy is marked as holding edits the server has not confirmed (never creates it). */
	const pendingFlag = (name: string) =>
		page().evaluate(
			(n) =>
				new Promise<unknown>((resolve) => {
					const req = indexedDB.open(n);
					req.onupgradeneeded = () => req.transaction?.abort();
					req.onerror = () => resolve(null);
					req.onsuccess = () => {
						const db = req.result;
						const get = db.transaction('custom', 'readonly').objectStore('custom').get('pending');
						get.onsuccess = () => {
							db.close();
							resolve(get.result ?? null);
						};
					};
				}),
			name
		);
	const logoutButton = () => page().getByRole('button', { name: '退出登录' });

	async function openSectionAs(username: string) {
		await browser.open(sectionPath, username);
		await browser.editable();
		await expect.poll(() => browser.saveState.getAttribute('data-state'), SOON).toBe('saved');
	}

	it('keys the copy by user and deletes it on sign-out', async () => {
		await openSectionAs('shebei1');
		await expect.poll(databases, SOON).toContain(`fangkong:${idA}:${section.doc}`);
		// No ownerless copy named after the document alone.
		expect(await databases()).not.toContain(section.doc);

		// Offline, signing out cannot end the session: the user is told, and nothing is deleted.
		await browser.context.setOffline(true);
		await logoutButton().click();
		const dialog = page().getByRole('dialog');
		await expect.poll(() => dialog.isVisible(), SOON).toBe(true);
		expect(await dialog.textContent()).toContain('无法退出登录');
		await dialog.getByRole('button', { name: '取消' }).click();
		expect(new URL(page().url()).pathname).toBe(sectionPath);
		expect(await databases()).toContain(`fangkong:${idA}:${section.doc}`);
		await browser.context.setOffline(false);

		await logoutButton().click();
		await page().waitForURL((u) => u.pathname === '/login');
		await expect.poll(() => copiesOf(idA), SOON).toEqual([]);
		expect((await databases()).filter((n) => n.startsWith('section:'))).toEqual([]);
	});

	it('warns before deleting edits the server never got, and the next person never sees them', async () => {
		await openSectionAs('shebei1');
		const copy = `fangkong:${idA}:${section.doc}`;
		await browser.context.setOffline(true);
		await expect.poll(() => browser.saveState.getAttribute('data-state'), SOON).toBe('offline');
		const offline = '【甲在公用电脑上离线写的内容】';
		await browser.typeInLastParagraph(offline, 'end');
		await expect.poll(() => pendingFlag(copy), SOON).toBe(1);

		// The tab goes away before the edit could be sent; A signs out from the home page.
		await browser.newTab();
		await browser.context.setOffline(false);
		await browser.open('/', 'shebei1');
		const dialog = page().getByRole('dialog');

		// 取消: still signed in, the copy and its edit are still here.
		await logoutButton().click();
		await expect.poll(() => dialog.isVisible(), SOON).toBe(true);
		expect(await dialog.textContent()).toContain(section.title);
		expect(await dialog.textContent()).toContain('尚未保存到服务器');
		await page().screenshot({ path: artifact('logout-pending-warning.png') });
		await dialog.getByRole('button', { name: '取消' }).click();
		await expect.poll(() => dialog.isVisible(), SOON).toBe(false);
		expect(new URL(page().url()).pathname).toBe('/');
		expect(await databases()).toContain(copy);

		// 仍然退出: signed out, nothing of A's left in this browser.
		await logoutButton().click();
		await dialog.getByRole('button', { name: '仍然退出' }).click();
		await page().waitForURL((u) => u.pathname === '/login');
		await expect.poll(() => copiesOf(idA), SOON).toEqual([]);

		// B, at the same PC, opens the same section: A's unsent text is nowhere.
		await openSectionAs('shebei2');
		await expect.poll(databases, SOON).toContain(`fangkong:${idB}:${section.doc}`);
		expect(await browser.docText()).not.toContain(offline);
		expect(await serverText()).not.toContain(offline);
		await logoutButton().click();
		await page().waitForURL((u) => u.pathname === '/login');
		await expect.poll(() => copiesOf(idB), SOON).toEqual([]);
	});

	it('cleans up after a session that ended elsewhere, keeping unsent edits for their author', async () => {
		await openSectionAs('shebei1');
		const copy = `fangkong:${idA}:${section.doc}`;
		await browser.context.setOffline(true);
		await expect.poll(() => browser.saveState.getAttribute('data-state'), SOON).toBe('offline');
		const offline = '【会话结束前未发出的修改】';
		await browser.typeInLastParagraph(offline, 'end');
		await expect.poll(() => pendingFlag(copy), SOON).toBe(1);

		// Meanwhile the session ends on the server (signed out in another browser, say).
		const token = (await browser.context.cookies()).find((c) => c.name === 'fk_session')!.value;
		const r = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
		expect(r.status).toBe(200);

		// Back online, the editor learns the session is gone and says so; the edit is still here.
		await browser.context.setOffline(false);
		const notice = page().getByText('登录已失效');
		await expect.poll(() => notice.isVisible(), SOON).toBe(true);
		expect(await serverText()).not.toContain(offline);
		await page().getByRole('link', { name: '重新登录' }).click();
		await page().waitForURL((u) => u.pathname === '/login');
		// The signed-out page cleaned up (it forgets who was signed in once done), but kept the
		// copy holding the unsent edit.
		await expect.poll(() => page().evaluate(() => localStorage.getItem('fangkong:signed-in')), SOON).toBeNull();
		expect(await databases()).toContain(copy);

		// A signs in again and is brought back to the section: the edit reaches the server.
		await browser.submitLogin('shebei1', ADMIN_PASSWORD);
		await page().waitForURL((u) => u.pathname === sectionPath);
		await expect.poll(serverText, SOON).toContain(offline);
		await expect.poll(() => browser.saveState.getAttribute('data-state'), SOON).toBe('saved');
		await expect.poll(() => pendingFlag(copy), SOON).toBe(0);

		// A session that ends with nothing unsent leaves nothing behind once a signed-out page shows.
		const token2 = (await browser.context.cookies()).find((c) => c.name === 'fk_session')!.value;
		expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token2}` } })).status).toBe(200);
		await page().reload();
		await page().waitForURL((u) => u.pathname === '/login');
		await expect.poll(() => copiesOf(idA), SOON).toEqual([]);
	});
});
