import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterEach, beforeEach, expect } from 'vitest';
import { ADMIN_PASSWORD } from './server.ts';
import { until } from './collab-client.ts';

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
 * Registers hooks so that no page of these users may throw an uncaught exception during a test:
 * each test starts with a clean record and fails if one appeared. `users` is read per test
 * (browsers are usually launched in `beforeAll`), keyed by the name the failure should show.
 */
export function failOnPageErrors(users: () => Record<string, BrowserUser | undefined>) {
	beforeEach(() => {
		for (const u of Object.values(users())) if (u) u.pageErrors.length = 0;
	});
	afterEach(() => {
		for (const [name, u] of Object.entries(users())) if (u) expect(u.pageErrors, `uncaught errors in the page of ${name}`).toEqual([]);
	});
}

/** Path of a test artifact (screenshots) under `artifacts/`, which is git-ignored. */
export function artifact(name: string): string {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	return path.join(ARTIFACTS, name);
}

/**
 * One person at one browser: a Chromium of its own with a fresh profile directory.
 *
 * Playwright manages `--user-data-dir` itself and refuses it in `args`; a persistent context
 * is how a caller chooses the directory. Each user gets a new temporary one, so nothing
 * (cookies, IndexedDB) survives from an earlier run or leaks between users, and it is
 * removed again by `close()`.
 */
export class BrowserUser {
	readonly profileDir: string;
	readonly baseUrl: string;
	private ctx: BrowserContext | null = null;
	private current: Page | null = null;
	/** Uncaught exceptions thrown in this user's pages (with stack), for tests to assert on. */
	readonly pageErrors: string[] = [];

	constructor(baseUrl: string) {
		this.baseUrl = baseUrl;
		this.profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-chromium-'));
	}

	async launch(): Promise<this> {
		this.ctx = await chromium.launchPersistentContext(this.profileDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: { width: 1366, height: 900 },
			locale: 'zh-CN',
			timezoneId: 'Asia/Shanghai'
		});
		this.ctx.on('page', (page) => this.watch(page));
		this.current = this.ctx.pages()[0] ?? (await this.ctx.newPage());
		for (const page of this.ctx.pages()) this.watch(page);
		return this;
	}

	private watched = new WeakSet<Page>();
	private watch(page: Page) {
		if (this.watched.has(page)) return;
		this.watched.add(page);
		page.on('pageerror', (err) => {
			// Chromium reports this benign layout notice as an error event; it is not a failure.
			if (/ResizeObserver loop/.test(err.message)) return;
			this.pageErrors.push(err.stack ?? err.message);
		});
	}

	get context(): BrowserContext {
		if (!this.ctx) throw new Error('browser not launched');
		return this.ctx;
	}
	get page(): Page {
		if (!this.current) throw new Error('browser not launched');
		return this.current;
	}

	/**
	 * Replaces the tab with a new one, as closing it and opening the app again would.
	 * The new tab opens first: a browser whose last tab closes may quit.
	 */
	async newTab(): Promise<Page> {
		const old = this.page;
		this.current = await this.context.newPage();
		await old.close();
		return this.current;
	}

	/** Fills the real sign-in form and submits it; resolves once the app has left /login. */
	async submitLogin(username: string, password = ADMIN_PASSWORD) {
		await this.page.getByLabel('用户名', { exact: true }).fill(username);
		await this.page.getByLabel('密码', { exact: true }).fill(password);
		await this.page.getByRole('button', { name: '登录', exact: true }).click();
	}

	async login(username: string, password = ADMIN_PASSWORD) {
		if (!new URL(this.page.url(), this.baseUrl).pathname.startsWith('/login')) await this.page.goto(`${this.baseUrl}/login`);
		await this.submitLogin(username, password);
		await this.page.waitForURL((u) => !u.pathname.startsWith('/login'));
	}

	/** Opens a page of the app, signing in through the form when the app asks for it. */
	async open(pathname: string, username: string) {
		await this.page.goto(this.baseUrl + pathname);
		if (new URL(this.page.url()).pathname.startsWith('/login')) await this.login(username);
		await this.page.waitForURL((u) => u.pathname === pathname);
	}

	/** The section's text (`.doc-body` is the ProseMirror root Tiptap renders). */
	get editor() {
		return this.page.locator('.ProseMirror.doc-body');
	}
	/** The connection badge: connecting, offline, saving, saved. */
	get saveState() {
		return this.page.locator('[role=status][data-state]');
	}
	/** Other users' named carets, as CollaborationCaret draws them into the text. */
	get caretLabels() {
		return this.page.locator('.collaboration-carets__caret > .collaboration-carets__label');
	}

	/** Waits until the server has let this user edit (the editor turns editable). */
	async editable() {
		await this.page.locator('.ProseMirror.doc-body[contenteditable=true]').waitFor();
	}

	/**
	 * Types into the last top-level paragraph, at its start or its end, with real key events
	 * (Chinese characters arrive as text input, as an IME commits them).
	 */
	async typeInLastParagraph(text: string, at: 'start' | 'end' = 'end') {
		await this.placeCaret(this.editor.locator(':scope > p').last(), at);
		await this.page.keyboard.type(text);
	}

	/**
	 * Clicks into `paragraph` and moves the caret to its start or end, and checks that it got
	 * there: node views above may still be settling and move the paragraph under the pointer.
	 */
	async placeCaret(paragraph: Locator, at: 'start' | 'end') {
		for (let attempt = 1; ; attempt++) {
			const box = await paragraph.boundingBox();
			await paragraph.click({ position: { x: 1, y: at === 'start' ? 2 : Math.max(2, (box?.height ?? 4) - 2) } });
			// Home/End go to the ends of the visual line; the click picked the first or last line.
			await this.page.keyboard.press(at === 'start' ? 'Home' : 'End');
			// The page's caret there, and the editor's too: a key pressed while the editor still holds
			// the old selection (it reads the page's on its own schedule) would act at the old place.
			const placed = () =>
				paragraph.evaluate((p, where) => {
					const sel = document.getSelection();
					if (!sel || !sel.isCollapsed || !sel.anchorNode || !p.contains(sel.anchorNode)) return false;
					const range = document.createRange();
					range.selectNodeContents(p);
					if (where === 'start') range.setEnd(sel.anchorNode, sel.anchorOffset);
					else range.setStart(sel.anchorNode, sel.anchorOffset);
					const between = range.cloneContents();
					for (const caret of between.querySelectorAll('.collaboration-carets__caret')) caret.remove();
					if ((between.textContent ?? '') !== '') return false;
					const view = (p.closest('.ProseMirror') as HTMLElement & { editor?: { view: { posAtDOM(n: Node, o: number): number; state: { selection: { from: number } } } } }).editor?.view;
					if (!view) return true;
					const inside = view.posAtDOM(p, 0);
					const end = view.posAtDOM(p, p.childNodes.length);
					const from = view.state.selection.from;
					return from >= inside && from <= end;
				}, at);
			if (await until(placed, 'the caret in place', 500).then(() => true, () => false)) return;
			if (attempt === 3) throw new Error(`could not put the caret at the ${at} of the paragraph`);
		}
	}

	/** Each top-level paragraph's text as shown, without the other users' caret labels. */
	async paragraphs(): Promise<string[]> {
		return this.editor.evaluate((el) =>
			[...el.querySelectorAll(':scope > p')].map((p) => {
				const copy = p.cloneNode(true) as HTMLElement;
				for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
				return copy.textContent ?? '';
			})
		);
	}

	/** The section's text as shown, without the other users' caret labels. */
	async docText(): Promise<string> {
		return this.editor.evaluate((el) => {
			const copy = el.cloneNode(true) as HTMLElement;
			for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
			return copy.textContent ?? '';
		});
	}

	/** How many updates y-indexeddb has stored in the database `dbName` (`fangkong:<userId>:<doc>`). */
	async storedUpdates(dbName: string): Promise<number> {
		return this.page.evaluate(
			(name) =>
				new Promise<number>((resolve, reject) => {
					const open = indexedDB.open(name);
					// Never create the database here: that would leave it without y-indexeddb's stores.
					open.onupgradeneeded = () => open.transaction?.abort();
					open.onerror = () => (open.error?.name === 'AbortError' ? resolve(0) : reject(open.error));
					open.onsuccess = () => {
						const db = open.result;
						if (!db.objectStoreNames.contains('updates')) {
							db.close();
							resolve(0);
							return;
						}
						const count = db.transaction('updates').objectStore('updates').count();
						count.onsuccess = () => {
							db.close();
							resolve(count.result);
						};
						count.onerror = () => reject(count.error);
					};
				}),
			dbName
		);
	}

	async close() {
		await this.ctx?.close().catch(() => {});
		this.ctx = null;
		this.current = null;
		fs.rmSync(this.profileDir, { recursive: true, force: true });
	}
}

