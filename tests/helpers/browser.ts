import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { ADMIN_PASSWORD } from './server.ts';

/** Debian's Chromium; `npx playwright install` cannot download browsers here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../artifacts');

const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/**
 * One person at one browser: a Chromium of its own with a fresh profile directory.
 *
 * Playwright manages `--user-data-dir` itself and refuses it in `args`; a persistent context
 * is how a caller chooses the directory. Each user gets a new temporary one, so nothing
 * (cookies, IndexedDB) survives from an earlier run or leaks between the two users.
 */
export class BrowserUser {
	readonly profileDir: string;
	readonly baseUrl: string;
	context!: BrowserContext;
	page!: Page;
	private cdp: CDPSession | null = null;

	constructor(baseUrl: string) {
		this.baseUrl = baseUrl;
		this.profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-chromium-'));
	}

	async launch(): Promise<this> {
		this.context = await chromium.launchPersistentContext(this.profileDir, {
			executablePath: CHROMIUM,
			// `--headless` is in the arguments; Playwright's own flag would add it a second time.
			headless: false,
			args: CHROMIUM_ARGS,
			viewport: { width: 1366, height: 900 },
			locale: 'zh-CN',
			timezoneId: 'Asia/Shanghai'
		});
		this.page = this.context.pages()[0] ?? (await this.context.newPage());
		return this;
	}

	/** Signs in through the real login form, as a person would. */
	async login(username: string, password = ADMIN_PASSWORD) {
		await this.page.goto(`${this.baseUrl}/login`);
		await this.page.getByLabel('用户名').fill(username);
		await this.page.getByLabel('密码').fill(password);
		await Promise.all([
			this.page.waitForURL((u) => !u.pathname.startsWith('/login')),
			this.page.getByRole('button', { name: '登录' }).click()
		]);
	}

	/** The section's editable text (`.doc-body` is the ProseMirror root). */
	get editor() {
		return this.page.locator('.ProseMirror.doc-body');
	}
	get saveState() {
		return this.page.locator('[role=status][data-state]');
	}
	/** Remote users' named carets drawn by CollaborationCaret. */
	get caretLabels() {
		return this.page.locator('.collaboration-carets__caret .collaboration-carets__label');
	}

	/** Puts the caret at the end of the section's last block and types `text`. */
	async typeAtEnd(text: string) {
		await this.editor.click();
		await this.page.keyboard.press('Control+End');
		await this.page.keyboard.type(text);
	}

	/**
	 * Cuts and restores the network as pulling the cable would.
	 *
	 * `context.setOffline(true)` alone is not that: Chromium's offline emulation fails new
	 * requests and sockets, but a WebSocket that is already open keeps exchanging frames, so
	 * the collaboration connection would stay up. The page's own DevTools session is the same
	 * emulation (Network.emulateNetworkConditions), so it cannot close it either. Here the
	 * context goes offline (every new connection attempt fails, as on a dead network) and the
	 * open collaboration socket is then closed from the page side; the provider sees a closed
	 * socket, shows "offline", and its reconnect attempts fail until the network returns.
	 */
	async setOffline(offline: boolean) {
		await this.context.setOffline(offline);
		if (offline) {
			this.cdp ??= await this.context.newCDPSession(this.page);
			await this.cdp.send('Network.enable');
		}
	}

	async close() {
		await this.context?.close().catch(() => {});
		fs.rmSync(this.profileDir, { recursive: true, force: true });
	}
}

export function artifact(name: string) {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	return path.join(ARTIFACTS, name);
}
