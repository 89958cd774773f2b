import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { BrowserUser } from '../helpers/browser.ts';

const SOON = { timeout: 10_000, interval: 50 };

/**
 * The Content-Security-Policy must not cost a feature: the editor, its collaboration socket,
 * the flowchart editor and the distribution map all work under it, and the browser reports no
 * violation on the way.
 */
describe('the app under its Content-Security-Policy', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let user: BrowserUser;

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		user = await new BrowserUser(server.url).launch();
		// Injected by the browser's debugging protocol, which the page's policy does not govern.
		await user.context.addInitScript(() => {
			const seen: string[] = ((window as unknown as { __csp: string[] }).__csp = []);
			document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
		});
	});

	afterAll(async () => {
		await user?.close();
		await server.dispose();
	});

	const violations = () => user.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

	it('edits text and a flowchart, saved over /collab, without a violation', async () => {
		const console: string[] = [];
		user.page.on('console', (m) => {
			if (/Content Security Policy/i.test(m.text())) console.push(m.text());
		});
		const { manual, unit } = await demoSection(admin, '运输监督管理司');
		const section = unit.sections[2]; // holds a flowchart
		await user.open(`/manuals/${manual.id}/sections/${section.id}`, 'yunshu1');
		await user.editable();
		const step = user.page.locator('.svelte-flow__node', { hasText: '受理' }).first();
		await step.waitFor();
		// Svelte Flow places its nodes with inline styles: a blocked style would leave them unplaced.
		expect(await step.evaluate((el) => getComputedStyle(el).transform)).not.toBe('none');

		await user.typeInLastParagraph('策略之下照常编辑');
		await expect.poll(() => user.saveState.getAttribute('data-state'), SOON).toBe('saved');
		await expect
			.poll(async () => JSON.stringify((await admin.get(`/api/sections/${section.id}`)).body.content), SOON)
			.toContain('策略之下照常编辑');

		// Checked here too: navigating away starts the record afresh.
		expect(await violations(), 'editor page').toEqual([]);

		// The distribution map draws each chart as an SVG inlined in the page.
		await user.page.goto(`${server.url}/manuals/${manual.id}/map/${unit.id}`);
		await expect.poll(() => user.page.locator('.grid svg').count(), SOON).toBeGreaterThan(0);
		expect(await violations()).toEqual([]);
		expect(console).toEqual([]);
		expect(user.pageErrors).toEqual([]);
	});
});
