import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { artifact, BrowserUser } from '../helpers/browser.ts';

/** Polled with headroom for a loaded machine; never a timing assertion. */
const SOON = { timeout: 8_000, interval: 50 };

/**
 * Inline comments in the section editor, between real browsers: an expert (read-only) comments on
 * words, the unit's editor sees it live, replies, types before the words; resolving hides it.
 */
describe('comments in the section editor', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let expert: BrowserUser; // zhuanjia, read-only on every section
	let editor: BrowserUser; // shebei1, writes 设备监督管理司's sections
	let section: { id: string; doc: string; title: string };
	let sectionPath: string;
	const TARGET = '谁的风险谁防';

	const threadsOnServer = async () => (await admin.get(`/api/sections/${section.id}/comments`)).body as { id: string; body: string; quote: string; resolved: boolean; replies: { body: string }[]; anchor: { type: string } }[];
	/** Text of the highlighted ranges, in order (active or not). */
	const highlights = (u: BrowserUser) => u.page.locator('.doc-body .cm-anchor').allTextContents();
	const cards = (u: BrowserUser) => u.page.locator('.cm-column .cm-card[data-thread]');
	const card = (u: BrowserUser, text: string) => cards(u).filter({ hasText: text });

	/**
	 * Drags the mouse over `text` in the section, as a person selecting it would, and checks that
	 * the words got selected: blocks above may still be settling and move the text under the pointer.
	 */
	async function selectText(u: BrowserUser, text: string) {
		for (let attempt = 1; ; attempt++) {
			const at = await u.page.evaluate((t) => {
				const root = document.querySelector('.ProseMirror.doc-body')!;
				const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
				for (let n = walker.nextNode(); n; n = walker.nextNode()) {
					const i = n.textContent!.indexOf(t);
					if (i < 0) continue;
					n.parentElement!.scrollIntoView({ block: 'center' });
					const r = document.createRange();
					r.setStart(n, i);
					r.setEnd(n, i + 1);
					const a = r.getBoundingClientRect();
					r.setStart(n, i + t.length - 1);
					r.setEnd(n, i + t.length);
					const b = r.getBoundingClientRect();
					return { x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
				}
				return null;
			}, text);
			if (!at) throw new Error(`text not on the page: ${text}`);
			await u.page.mouse.move(at.x1, at.y1);
			await u.page.mouse.down();
			await u.page.mouse.move(at.x2, at.y2, { steps: 8 });
			await u.page.mouse.up();
			if ((await u.page.evaluate(() => document.getSelection()?.toString())) === text) return;
			if (attempt === 3) throw new Error(`could not select: ${text}`);
		}
	}

	/** The box of a new comment. */
	const newBox = (u: BrowserUser) => u.page.getByRole('textbox', { name: '填写意见，输入 @ 可提及他人…' });

	/** Comments on the `index`th risk row with the row's own button (it shows when the pointer is over the row). */
	async function commentOnRow(u: BrowserUser, index: number, body: string) {
		const row = u.page.locator('.risk-row').nth(index);
		await row.scrollIntoViewIfNeeded();
		await row.hover();
		await row.getByRole('button', { name: '对本行发表意见' }).click();
		await newBox(u).fill(body);
		await newBox(u).press('Enter');
	}

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '设备监督管理司');
		section = demo.section;
		sectionPath = `/manuals/${demo.manual.id}/sections/${section.id}`;
		[expert, editor] = await Promise.all([new BrowserUser(server.url).launch(), new BrowserUser(server.url).launch()]);
		await Promise.all([expert.open(sectionPath, 'zhuanjia'), editor.open(sectionPath, 'shebei1')]);
		await editor.editable();
		await expert.page.locator('[role=status][data-state=saved]').waitFor();
	});

	beforeEach(({ onTestFailed }) => {
		onTestFailed(() => console.error(`server output:\n${server.output}`));
	});

	afterEach(() => {
		expect(expert.pageErrors, 'uncaught errors in the expert’s page').toEqual([]);
		expect(editor.pageErrors, 'uncaught errors in the editor’s page').toEqual([]);
	});

	afterAll(async () => {
		await Promise.all([expert?.close(), editor?.close()]);
		await server.dispose();
	});

	it('lets a read-only expert comment on selected words, and the editor sees it live, replies, and the reply reaches the expert', async () => {
		expect(await expert.page.locator('.ProseMirror.doc-body').getAttribute('contenteditable')).toBe('false');
		await selectText(expert, TARGET);
		const bubble = expert.page.getByRole('button', { name: '评论', exact: true });
		await bubble.click();
		const box = newBox(expert);
		await expect.poll(() => box.evaluate((el) => el === document.activeElement), SOON).toBe(true);
		expect(await expert.page.locator('.cm-new .cm-quote').textContent()).toBe(TARGET);

		// @ offers people; Enter takes the highlighted one; Shift+Enter is a new line; Enter sends.
		await expert.page.keyboard.type('请写明防控责任人。@shebei');
		const options = expert.page.getByRole('listbox', { name: '可提及的人员' }).getByRole('option');
		await expect.poll(() => options.allTextContents(), SOON).toEqual(expect.arrayContaining([expect.stringContaining('@shebei1')]));
		while (!(await options.filter({ has: expert.page.getByText('@shebei1', { exact: true }) }).getAttribute('aria-selected'))?.includes('true'))
			await expert.page.keyboard.press('ArrowDown');
		await expert.page.keyboard.press('Enter');
		await expert.page.keyboard.press('Shift+Enter');
		await expert.page.keyboard.type('谢谢。');
		expect(await box.inputValue()).toBe('请写明防控责任人。@shebei1 \n谢谢。');
		await expert.page.keyboard.press('Enter');

		await expect.poll(() => cards(expert).count(), SOON).toBe(1);
		const body = '请写明防控责任人。@shebei1 \n谢谢。';
		const stored = await threadsOnServer();
		expect(stored).toMatchObject([{ body, quote: TARGET, anchor: { type: 'text' } }]);
		await expect.poll(() => highlights(expert), SOON).toEqual([TARGET]);
		// The author's role and the time in Chinese.
		const first = card(expert, '请写明防控责任人');
		expect(await first.locator('.cm-role').first().textContent()).toBe('专家');
		expect(await first.locator('time').first().textContent()).toMatch(/^今天 \d\d:\d\d$/);

		// The editor's page never reloaded: highlight and thread arrive live.
		await expect.poll(() => highlights(editor), SOON).toEqual([TARGET]);
		await expect.poll(() => card(editor, '请写明防控责任人').count(), SOON).toBe(1);
		expect(await card(editor, '请写明防控责任人').locator('.cm-mention').textContent()).toBe('@shebei1');

		// Clicking the highlight opens the thread beside it, with a reply box.
		await editor.page.locator('.doc-body .cm-anchor').click();
		await expect.poll(() => card(editor, '请写明防控责任人').getAttribute('class'), SOON).toContain('active');
		await expect.poll(() => editor.page.locator('.doc-body .cm-anchor.cm-active').count(), SOON).toBe(1);
		const reply = card(editor, '请写明防控责任人').getByRole('textbox', { name: '回复，输入 @ 可提及他人…' });
		await reply.click();
		await editor.page.keyboard.type('已补充：科长负责。');
		await editor.page.keyboard.press('Enter');
		await expect.poll(async () => (await threadsOnServer())[0].replies.map((r) => r.body), SOON).toEqual(['已补充：科长负责。']);
		await expect.poll(() => reply.inputValue(), SOON).toBe('');

		// The expert sees the reply live, with the editor's role.
		const replied = card(expert, '请写明防控责任人').locator('.cm-replies li');
		await expect.poll(() => replied.allTextContents(), SOON).toEqual([expect.stringContaining('已补充：科长负责。')]);
		expect(await replied.locator('.cm-role').textContent()).toBe('单位编辑');
	});

	it('keeps the highlight on the same words while the editor types before them', async () => {
		const para = editor.editor.locator(':scope > p').filter({ hasText: TARGET });
		await editor.placeCaret(para, 'start');
		await editor.page.keyboard.type('【补充说明】');
		await expect.poll(() => expert.docText(), SOON).toContain('【补充说明】');
		await expect.poll(() => highlights(editor), SOON).toEqual([TARGET]);
		await expect.poll(() => highlights(expert), SOON).toEqual([TARGET]);
		// A whole new paragraph above it.
		await editor.placeCaret(editor.editor.locator(':scope > h2').last(), 'end');
		await editor.page.keyboard.press('Enter');
		await editor.page.keyboard.type('另起一段。');
		await expect.poll(() => expert.docText(), SOON).toContain('另起一段。');
		await expect.poll(() => highlights(expert), SOON).toEqual([TARGET]);
		await expect.poll(() => highlights(editor), SOON).toEqual([TARGET]);
		// The thread's card still sits beside its words (wide screen: aligned with the anchor).
		const gap = async () => {
			const [a, c] = await Promise.all([
				expert.page.locator('.doc-body .cm-anchor').boundingBox(),
				card(expert, '请写明防控责任人').boundingBox()
			]);
			return Math.abs((a?.y ?? 0) - (c?.y ?? 1e6));
		};
		await card(expert, '请写明防控责任人').click();
		await expect.poll(gap, SOON).toBeLessThan(4);
		await expert.page.screenshot({ path: artifact('comments-thread.png') });

		// Enter just before the words: they move to a new paragraph (to Yjs, deleted and typed again).
		await editor.page.evaluate((t) => {
			const ed = (document.querySelector('.ProseMirror.doc-body') as HTMLElement & { editor: import('@tiptap/core').Editor }).editor;
			let at = -1;
			ed.state.doc.descendants((n, pos) => {
				if (at < 0 && n.isText && n.text!.includes(t)) at = pos + n.text!.indexOf(t);
			});
			ed.chain().focus().setTextSelection(at).run();
		}, TARGET);
		await editor.page.keyboard.press('Enter');
		for (const u of [editor, expert]) await expect.poll(async () => (await u.paragraphs()).some((p) => p.startsWith(TARGET)), SOON).toBe(true);
		for (const u of [editor, expert]) {
			await expect.poll(() => highlights(u), SOON).toEqual([TARGET]);
			expect(await card(u, '请写明防控责任人').locator('.cm-gone').count()).toBe(0);
		}
		// And Backspace joins them again.
		await editor.page.keyboard.press('Backspace');
		await expect.poll(async () => (await expert.paragraphs()).some((p) => p.startsWith('【补充说明】') && p.includes(TARGET)), SOON).toBe(true);
		for (const u of [editor, expert]) await expect.poll(() => highlights(u), SOON).toEqual([TARGET]);
	});

	it('comments on a risk row and on a flowchart step, and shows both in every open editor', async () => {
		await commentOnRow(expert, 0, '该风险等级建议调为“高”。');
		await expect.poll(() => card(expert, '该风险等级建议调为').count(), SOON).toBe(1);
		expect(await card(expert, '该风险等级建议调为').locator('.cm-where').textContent()).toMatch(/^风险行：.+/);
		// The row shows a badge with its count in the editor's page.
		const badge = editor.page.locator('.risk-row').first().locator('.cm-row-badge.has-threads');
		await expect.poll(() => badge.textContent(), SOON).toBe('1');
		await badge.click();
		await expect.poll(() => card(editor, '该风险等级建议调为').getAttribute('class'), SOON).toContain('active');

		// A step, chosen from the list in the column.
		await expert.page.getByRole('button', { name: '对流程环节发表意见' }).click();
		await expert.page.locator('.cm-steps').getByRole('button', { name: '受理', exact: true }).click();
		const box = newBox(expert);
		await box.fill('受理环节应写明一次性告知。');
		await box.press('Enter');
		const onStep = card(editor, '受理环节应写明一次性告知');
		await expect.poll(() => onStep.count(), SOON).toBe(1);
		expect(await onStep.locator('.cm-where').textContent()).toBe('流程环节：受理');
		// 查看环节 asks the flowchart to show the step.
		const focused = editor.page.evaluate(
			() => new Promise<string>((resolve) => document.addEventListener('fangkong:focus-step', (e) => resolve((e as CustomEvent).detail.stepId), { once: true }))
		);
		await onStep.getByRole('button', { name: '查看环节' }).click();
		const stepId = await focused;
		const stored = (await threadsOnServer()).find((t) => t.body.startsWith('受理环节'))!;
		expect(stored.anchor).toMatchObject({ type: 'step', stepId });

		await expert.page.locator('h1').first().scrollIntoViewIfNeeded();
		await expert.page.screenshot({ path: artifact('comments-section-page.png') });
		await editor.page.locator('.risk-row').first().scrollIntoViewIfNeeded();
		await editor.page.screenshot({ path: artifact('comments-risk-row.png') });
	});

	it('keeps what was typed when sending fails, and says why in Chinese', async () => {
		const thread = card(editor, '请写明防控责任人');
		await thread.click();
		const reply = thread.getByRole('textbox', { name: '回复，输入 @ 可提及他人…' });
		await reply.fill('网络断开时写的回复。');
		await editor.context.setOffline(true);
		await reply.press('Enter');
		await expect.poll(() => thread.getByRole('alert').textContent(), SOON).toContain('网络连接失败');
		expect(await reply.inputValue()).toBe('网络断开时写的回复。');
		await editor.context.setOffline(false);
		await reply.press('Enter');
		await expect.poll(async () => (await threadsOnServer()).find((t) => t.quote === TARGET)!.replies.map((r) => r.body), SOON).toContain('网络断开时写的回复。');
		await expect.poll(() => thread.getByRole('alert').count(), SOON).toBe(0);

		// Esc cancels a new comment; Ctrl+Alt+M opens one on the selection.
		await selectText(expert, '谁是领导谁控');
		await expert.page.keyboard.press('Control+Alt+KeyM');
		const box = newBox(expert);
		await expect.poll(() => box.count(), SOON).toBe(1);
		await box.fill('不发了');
		await box.press('Escape');
		await expect.poll(() => box.count(), SOON).toBe(0);
		expect((await threadsOnServer()).some((t) => t.body === '不发了')).toBe(false);
	});

	it('hides a resolved thread’s highlight in every editor, and shows it again on request', async () => {
		await card(expert, '请写明防控责任人').getByRole('button', { name: '解决', exact: true }).click();
		await expect.poll(() => highlights(editor), SOON).toEqual([]);
		await expect.poll(() => highlights(expert), SOON).toEqual([]);
		await expect.poll(() => card(editor, '请写明防控责任人').count(), SOON).toBe(0);
		await editor.page.getByLabel('显示已解决（1）').check();
		await expect.poll(() => highlights(editor), SOON).toEqual([TARGET]);
		await expect.poll(() => card(editor, '请写明防控责任人').getByRole('button', { name: '重新打开' }).count(), SOON).toBe(1);
		await card(editor, '请写明防控责任人').getByRole('button', { name: '重新打开' }).click();
		await expect.poll(() => highlights(expert), SOON).toEqual([TARGET]);
	});

	it('lists threads one under another on a narrow screen, each with 跳到原文', async () => {
		const page = expert.page;
		await page.setViewportSize({ width: 900, height: 900 });
		try {
			await expect.poll(() => page.locator('.cm-column').getAttribute('class'), SOON).not.toContain('aligned');
			const thread = card(expert, '请写明防控责任人');
			await thread.scrollIntoViewIfNeeded();
			await page.screenshot({ path: artifact('comments-narrow.png') });
			await thread.getByRole('button', { name: '跳到原文' }).click();
			const anchor = page.locator('.doc-body .cm-anchor.cm-active');
			const inView = () => anchor.evaluate((el) => ((r) => r.top >= 0 && r.bottom <= window.innerHeight)(el.getBoundingClientRect()));
			await expect.poll(inView, SOON).toBe(true);
			// A new comment's box floats at the bottom of the window, not below the whole section.
			await selectText(expert, '谁是领导谁控');
			await page.getByRole('button', { name: '评论', exact: true }).click();
			const box = newBox(expert);
			await expect.poll(() => box.evaluate((el) => ((r) => r.top >= 0 && r.bottom <= window.innerHeight)(el.getBoundingClientRect())), SOON).toBe(true);
			await page.screenshot({ path: artifact('comments-narrow-new.png') });
			await box.press('Escape');
		} finally {
			await page.setViewportSize({ width: 1366, height: 900 });
		}
	});

	it('keeps a thread whose words were deleted, with its last quote', async () => {
		const para = editor.editor.locator(':scope > p').filter({ hasText: '谁是领导谁控' });
		await selectText(editor, TARGET);
		await editor.page.keyboard.press('Backspace');
		await expect.poll(() => para.textContent(), SOON).not.toContain(TARGET);
		// No message comes for an edit: each editor sees for itself that the words are gone.
		for (const u of [editor, expert]) {
			const gone = card(u, '请写明防控责任人');
			await expect.poll(() => gone.locator('.cm-gone').textContent(), SOON).toBe('原文已删除');
			expect(await gone.locator('.cm-quote s').textContent()).toBe(TARGET);
			expect(await highlights(u)).toEqual([]);
		}
		await card(expert, '请写明防控责任人').scrollIntoViewIfNeeded();
		// The expert's earlier selection is gone from the page: no 「评论」 button hangs over the text.
		expect(await expert.page.locator('.cm-bubble').count()).toBe(0);
		await expert.page.screenshot({ path: artifact('comments-detached.png') });
		// Undo brings the words back, and the thread with them.
		await editor.page.keyboard.press('Control+z');
		await expect.poll(() => highlights(expert), SOON).toEqual([TARGET]);
		await expect.poll(() => card(expert, '请写明防控责任人').locator('.cm-gone').count(), SOON).toBe(0);
	});

	it('lets the party group comment on a risk row from its read-only page', async () => {
		const party = await new BrowserUser(server.url).launch();
		try {
			await party.open(sectionPath, 'dangzu');
			await party.page.locator('[role=status][data-state=saved]').waitFor();
			expect(await party.editor.getAttribute('contenteditable')).toBe('false');
			await expect.poll(() => card(party, '该风险等级建议调为').count(), SOON).toBe(1);
			await commentOnRow(party, 1, '党组关注：专家评审环节请加强回避管理。');
			const seen = card(editor, '党组关注');
			await expect.poll(() => seen.count(), SOON).toBe(1);
			expect(await seen.locator('.cm-role').first().textContent()).toBe('党组');
			await expect.poll(() => editor.page.locator('.risk-row').nth(1).locator('.cm-row-badge.has-threads').textContent(), SOON).toBe('1');
			expect(party.pageErrors).toEqual([]);
		} finally {
			await party.close();
		}
	});

	it('puts the note of a returned section at the top of the threads', async () => {
		const leader = await signIn(server, 'shebei_leader');
		const coordinator = await signIn(server, 'jijian');
		expect((await leader.post(`/api/sections/${section.id}/transition`, { action: 'submit' })).status).toBe(200);
		expect((await coordinator.post(`/api/sections/${section.id}/transition`, { action: 'return', note: '请补充送达环节的时限。' })).status).toBe(200);
		// Open pages get the note with the section's new state; whether they do at once waits for the
		// re-authentication fix (a transition re-authenticates every open connection), so read it afresh.
		await Promise.all([expert.page.reload(), editor.page.reload()]);
		await expect.poll(() => cards(expert).first().textContent(), SOON).toContain('请补充送达环节的时限。');
		expect(await cards(expert).first().locator('.cm-where').textContent()).toBe('章节意见（退回说明）');
		await expect.poll(() => cards(editor).first().textContent(), SOON).toContain('请补充送达环节的时限。');
		await expert.page.locator('h1').first().scrollIntoViewIfNeeded();
		await expert.page.screenshot({ path: artifact('comments-return-note.png') });
	});
});
