import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { artifact, BrowserUser } from '../helpers/browser.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';

/** Polled with headroom for a loaded machine, never timed. */
const SOON = { timeout: 10_000, interval: 50 };

/**
 * The review workflow through the UI, in real Chromium against a real server: the editor keeps
 * one page of the section open the whole time (never reloaded) while the others act on it from a
 * second browser, each signing in as themselves.
 */
describe('review workflow in the browser', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let editor: BrowserUser; // shebei1, editor of 设备监督管理司, on the section page throughout
	let actor: BrowserUser; // signs in as leader, coordinator, expert, party group … in turn
	let manualId: string;
	let unitId: string;
	let section: { id: string; title: string; doc: string };
	let sectionPath: string;

	const serverContent = async () => (await admin.get(`/api/sections/${section.id}`)).body.content;

	/** A marker the page would lose on a reload or navigation. */
	const markPage = (page: Page) => page.evaluate(() => ((window as unknown as { __sameTab: number }).__sameTab = 7));
	const sameTab = (page: Page) => page.evaluate(() => (window as unknown as { __sameTab?: number }).__sameTab === 7);

	/** Signs the second browser in as `username`; leaving the page first, so no request of it can set the old cookie again. */
	async function switchTo(username: string, password?: string) {
		await actor.page.goto('about:blank');
		await actor.context.clearCookies();
		await actor.page.goto(`${server.url}/login`);
		await actor.login(username, password);
	}

	/** A click before hydration would do nothing: wait for the app to take over the page. */
	const hydrated = (page: Page) => page.locator('html[data-hydrated]').waitFor({ state: 'attached' });

	async function actAs(username: string, pathname: string) {
		await switchTo(username);
		await actor.page.goto(server.url + pathname);
		await actor.page.waitForURL((u) => u.pathname === pathname);
		await hydrated(actor.page);
		return actor.page;
	}

	/** The card field or risk cell (its `data-field`) that holds the caret. */
	const fieldAtCaret = (page: Page) =>
		page.evaluate(() => {
			const node = document.getSelection()?.anchorNode;
			const el = node instanceof Element ? node : node?.parentElement;
			return el?.closest('[data-field]')?.getAttribute('data-field') ?? null;
		});
	const banner = (page: Page) => page.getByTestId('readonly-reason');
	const badge = (page: Page) => page.getByTestId('inbox-badge');

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '设备监督管理司');
		manualId = demo.manual.id;
		unitId = demo.unit.id;
		section = demo.section;
		sectionPath = `/manuals/${manualId}/sections/${section.id}`;
		[editor, actor] = await Promise.all([new BrowserUser(server.url).launch(), new BrowserUser(server.url).launch()]);
	});

	beforeEach(({ onTestFailed }) => {
		onTestFailed(() => console.error(`server output:\n${server.output}`));
	});

	afterEach(() => {
		expect(editor.pageErrors, 'uncaught errors in the editor’s page').toEqual([]);
		expect(actor.pageErrors, 'uncaught errors in the other page').toEqual([]);
	});

	afterAll(async () => {
		await Promise.all([editor?.close(), actor?.close()]);
		await server.dispose();
	});

	it('checks the section live as the unit types, and takes the person to each problem', async () => {
		const coordinator = await signIn(server, 'jijian');
		const fresh = (await coordinator.post(`/api/manuals/${manualId}/sections`, { unitId, title: '新建许可事项' })).body;
		await editor.open(`/manuals/${manualId}/sections/${fresh.id}`, 'shebei1');
		await editor.editable();
		const panel = editor.page.getByTestId('checklist');
		const codeProblem = panel.getByRole('button', { name: '职权目录：“职权编码”未填写。' });
		await codeProblem.waitFor();
		const count = () => panel.getByRole('button').count();
		const before = await count();
		expect(before).toBeGreaterThan(5);
		await expect.poll(() => panel.locator('[data-check=power_item] .check-name').textContent()).toContain('职权事项是否清理完整');

		// The link puts the caret into 职权编码; what is typed there clears that problem, without saving first.
		await codeProblem.click();
		await expect.poll(() => fieldAtCaret(editor.page), SOON).toBe('code');
		await editor.page.keyboard.type('GTJ-SB-XK-099');
		await expect.poll(() => codeProblem.count(), SOON).toBe(0);
		expect(await count()).toBe(before - 1);

		// A step's problem selects that step in the flowchart.
		await panel.getByRole('button', { name: '环节“审查”未填写责任岗位。' }).click();
		await expect.poll(() => editor.page.locator('.svelte-flow__node.selected').textContent(), SOON).toContain('审查');

		// A risk row's cell: the problem about its 防控措施 leads into that cell of that row.
		await editor.page.getByRole('button', { name: '＋ 添加风险点' }).click();
		await editor.page.keyboard.type('受理环节');
		// Named after the typed 风险点 once the checks ran on the whole word.
		const measure = panel.getByRole('button', { name: '风险点“受理环节”：“防控措施”未填写。' });
		await measure.waitFor({ timeout: SOON.timeout });
		await measure.click();
		await expect.poll(() => fieldAtCaret(editor.page), SOON).toBe('measure');
		await editor.page.screenshot({ path: artifact('review-section-checklist.png') });

		// The leader cannot submit it: the dialog lists the same problems and offers no way on.
		const leader = await actAs('shebei_leader', `/manuals/${manualId}/sections/${fresh.id}`);
		await leader.getByRole('button', { name: '报送', exact: true }).click();
		const dialog = leader.getByRole('dialog', { name: '报送章节' });
		await expect.poll(() => dialog.getByRole('alert').textContent(), SOON).toMatch(/自我复查还有 \d+ 个问题/);
		expect(await dialog.getByTestId('submit-problems').getByRole('listitem').count()).toBeGreaterThan(3);
		expect(await dialog.getByRole('button', { name: '确认报送' }).isDisabled()).toBe(true);
		await dialog.getByRole('button', { name: '取消' }).click();
	});

	it('locks the editor’s open page when the leader submits, with the reason, without a reload', async () => {
		await editor.page.goto(server.url + sectionPath);
		await editor.editable();
		await markPage(editor.page);
		expect(await banner(editor.page).count()).toBe(0);

		const leader = await actAs('shebei_leader', sectionPath);
		await leader.getByRole('button', { name: '报送', exact: true }).click();
		const dialog = leader.getByRole('dialog', { name: '报送章节' });
		await expect.poll(() => dialog.textContent(), SOON).toContain('自我复查已通过');
		await dialog.getByLabel('报送说明（可选）').fill('已完成自我复查。');
		await dialog.getByRole('button', { name: '确认报送' }).click();
		await expect.poll(() => leader.getByTestId('section-state').textContent(), SOON).toBe('已报送');

		await expect.poll(() => banner(editor.page).textContent(), SOON).toContain('已报送，等待审核');
		await expect.poll(() => editor.editor.getAttribute('contenteditable'), SOON).toBe('false');
		expect(await editor.page.getByTestId('section-state').textContent()).toBe('已报送');
		// The outline beside it follows too.
		const outlineEntry = editor.page.getByRole('complementary', { name: '手册目录' }).getByRole('link', { name: new RegExp(section.title) });
		await expect.poll(() => outlineEntry.textContent(), SOON).toContain('已报送');
		expect(await sameTab(editor.page)).toBe(true);
		expect((await admin.get(`/api/sections/${section.id}`)).body.state).toBe('submitted');
	});

	it('returns the section with a note: the editor’s badge counts it, the lock lifts and the editor types again', async () => {
		const unreadBefore = (await badge(editor.page).count()) ? Number(await badge(editor.page).textContent()) : 0;
		const coordinator = await actAs('jijian', sectionPath);
		await coordinator.getByRole('button', { name: '退回修改' }).click();
		const dialog = coordinator.getByRole('dialog', { name: '退回修改' });
		const confirm = dialog.getByRole('button', { name: '确认退回' });
		expect(await confirm.isDisabled()).toBe(true); // the note is required
		await dialog.getByLabel('退回意见（必填）').fill('请补充“技术审查”环节的监督责任。');
		await confirm.click();
		await expect.poll(() => coordinator.getByTestId('section-state').textContent(), SOON).toBe('已退回修改');

		// Live, in the page the editor never left.
		await expect.poll(async () => Number(await badge(editor.page).textContent()), SOON).toBe(unreadBefore + 1);
		await expect.poll(() => banner(editor.page).count(), SOON).toBe(0);
		await expect.poll(() => editor.page.getByTestId('return-note').textContent(), SOON).toContain('请补充“技术审查”环节的监督责任。');
		await editor.editable();
		await editor.typeInLastParagraph('退回后补充：技术审查实行双人复核。');
		await expect.poll(async () => JSON.stringify(await serverContent()), SOON).toContain('退回后补充：技术审查实行双人复核。');
		expect(await sameTab(editor.page)).toBe(true);
	});

	it('lets an expert grade a risk only during assessment; the editor sees the level change live', async () => {
		// In 自排自查 the expert is told why there is nothing to grade yet.
		let expert = await actAs('zhuanjia', sectionPath);
		await expect.poll(() => expert.getByText('当前阶段（自排自查）不能评定风险等级。').count(), SOON).toBe(1);
		await expert.locator('.risk-row').first().waitFor();
		expect(await expert.locator('.risk-row .row-grade').count()).toBe(0);

		// The coordinator opens 考核评估 from the manual page, after confirming.
		const manualPage = await actAs('jijian', `/manuals/${manualId}`);
		await manualPage.getByRole('button', { name: '进入下一阶段：考核评估' }).click();
		const confirm = manualPage.getByRole('dialog', { name: '调整工作阶段' });
		await expect.poll(() => confirm.textContent(), SOON).toContain('确定将手册从“自排自查”阶段调整为“考核评估”阶段吗？');
		await confirm.getByRole('button', { name: '确认调整' }).click();
		await expect.poll(() => manualPage.locator('.stepper [aria-current=step]').getAttribute('data-phase'), SOON).toBe('assessment');
		await expect.poll(() => manualPage.getByTestId('countdown').textContent(), SOON).toMatch(/^剩余 \d+ 天$/);
		// The plan's deadline moved to ten days ago (in Beijing): the countdown turns into lateness.
		await manualPage.getByRole('button', { name: '修改截止日期' }).click();
		const tenDaysAgo = new Date(Date.now() + 8 * 3_600_000 - 10 * 86_400_000).toISOString().slice(0, 10);
		await manualPage.getByLabel('考核评估截止日期').fill(tenDaysAgo);
		await manualPage.getByRole('button', { name: '保存', exact: true }).click();
		await expect.poll(() => manualPage.getByTestId('countdown').textContent(), SOON).toBe('已逾期 10 天');
		const [y, mo, d] = tenDaysAgo.split('-').map(Number);
		expect(await manualPage.locator('[data-phase=assessment]').textContent()).toContain(`截止 ${y}年${mo}月${d}日`);
		// Stored: a fresh load of the page shows the same.
		await manualPage.reload();
		await hydrated(manualPage);
		await expect.poll(() => manualPage.getByTestId('countdown').textContent(), SOON).toBe('已逾期 10 天');
		await manualPage.screenshot({ path: artifact('review-manual-phases.png') });

		const rows = riskRowsOf(await serverContent());
		const row = rows.find((r) => r.level === 'high')!;
		expect(row?.id).toBeTruthy();
		const editorLevel = editor.page.locator(`.risk-row[data-row-id="${row.id}"] select.rr-level`);
		await expect.poll(() => editorLevel.inputValue(), SOON).toBe('high');

		expert = await actAs('zhuanjia', sectionPath);
		const expertRow = expert.locator(`.risk-row[data-row-id="${row.id}"]`);
		await expertRow.getByRole('button', { name: '评定' }).click();
		const popover = expert.getByRole('dialog', { name: '风险等级评定' });
		await popover.getByRole('radio', { name: '中' }).check();
		await popover.getByRole('button', { name: '确认评定' }).click();
		await expect.poll(() => popover.getByRole('alert').textContent(), SOON).toBe('请填写评定理由。'); // the reason is required
		await popover.getByLabel('评定理由（必填）').fill('已有集体审查制度约束，自由裁量空间有限。');
		await popover.getByRole('button', { name: '确认评定' }).click();

		await expect.poll(() => editorLevel.inputValue(), SOON).toBe('medium');
		expect(riskRowsOf(await serverContent()).find((r) => r.id === row.id)?.level).toBe('medium');
		// The row tells proposal from grade; the popover says who graded, when and why.
		await expect.poll(() => expertRow.locator('.row-grade').textContent(), SOON).toContain('拟定：高');
		await expertRow.getByRole('button', { name: /专家评定：中/ }).click();
		await expect.poll(() => popover.textContent(), SOON).toContain('已有集体审查制度约束，自由裁量空间有限。');
		expect(await popover.textContent()).toContain('评估专家 李教授');
		await expertRow.scrollIntoViewIfNeeded();
		await expert.screenshot({ path: artifact('review-grading-popover.png') });
		// The editor's own row shows the same record, and the unit keeps its own level control.
		await expect.poll(() => editor.page.locator(`.risk-row[data-row-id="${row.id}"] .row-grade`).textContent(), SOON).toContain('专家中');
		expect(await editorLevel.isDisabled()).toBe(false);
		expect(await sameTab(editor.page)).toBe(true);
	});

	it('shows the timeline: transitions with notes, grades, who and when', async () => {
		const page = await actAs('jijian', sectionPath);
		await page.getByRole('button', { name: '历史记录' }).click();
		const timeline = page.getByTestId('timeline');
		await expect.poll(() => timeline.getByRole('listitem').count(), SOON).toBeGreaterThanOrEqual(3);
		const items = await timeline.getByRole('listitem').allTextContents();
		// Newest first.
		expect(items[0]).toContain('评定风险等级');
		expect(items[0]).toContain('评定为中风险（原为高）');
		expect(items[0]).toContain('评估专家 李教授');
		expect(items[1]).toContain('退回修改');
		expect(items[1]).toContain('已报送 → 已退回修改');
		expect(items[1]).toContain('请补充“技术审查”环节的监督责任。');
		expect(items[2]).toContain('报送');
		expect(items[2]).toContain('已完成自我复查。');
		expect(items[2]).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
		await page.screenshot({ path: artifact('review-timeline.png') });
	});

	it('records the collective approval of a unit and the party group’s decision, with who recorded them', async () => {
		const records = `/manuals/${manualId}/records`;
		let page = await actAs('shebei_leader', records);
		// A leader records for their own unit only.
		const unit = page.locator('[data-unit="设备监督管理司"]');
		expect(await page.locator('[data-unit="科技与法制司"]').getByRole('button').count()).toBe(0);
		await unit.getByRole('button', { name: '记录设备监督管理司集体审定' }).click();
		await unit.getByLabel('参会人员').fill('马司长\n张副司长、李处长');
		await unit.getByLabel('审定意见').fill('经司领导班子集体研究，同意本司廉政风险防控内容。');
		await unit.getByLabel('附件名称（可选）').fill('设备司会议纪要（第9次）.pdf');
		await unit.getByRole('button', { name: '保存记录' }).click();
		await expect.poll(() => unit.locator('.record').textContent(), SOON).toContain('马司长、张副司长、李处长');
		expect(await unit.textContent()).toContain('已集体审定');
		expect(await unit.locator('.record').textContent()).toMatch(/设备司 马司长 记录于/);

		page = await actAs('dangzu', records);
		expect(await page.getByRole('button', { name: /集体审定/ }).count()).toBe(0);
		await page.getByRole('button', { name: '记录党组研究决定' }).click();
		await page.getByRole('button', { name: '保存记录' }).click();
		await expect.poll(() => page.getByRole('alert').textContent(), SOON).toBe('请填写研究决定。');
		await page.getByLabel('研究决定', { exact: true }).fill('局党组会议研究，原则同意手册。');
		await page.getByRole('button', { name: '保存记录' }).click();
		const decisions = page.getByRole('region', { name: '党组研究' });
		await expect.poll(() => decisions.locator('.record').textContent(), SOON).toContain('局党组会议研究，原则同意手册。');
		expect(await decisions.locator('.record').textContent()).toContain('局党组 赵书记 记录于');
		await page.screenshot({ path: artifact('review-records.png'), fullPage: true });
	});

	it('lists what waits in the inbox and marks notifications read, the header badge following', async () => {
		await editor.page.getByRole('link', { name: /^待办/ }).click();
		await editor.page.waitForURL((u) => u.pathname === '/inbox');
		await hydrated(editor.page);
		const todo = editor.page.getByTestId('todo');
		await expect.poll(() => todo.textContent(), SOON).toContain(`《${section.title}》已退回，请按意见修改`);
		const notices = editor.page.getByTestId('notifications');
		const texts = await notices.getByRole('listitem').allTextContents();
		expect(texts.some((t) => t.includes('被退回修改：请补充“技术审查”环节的监督责任。'))).toBe(true);
		expect(texts.some((t) => t.includes('评定为中风险'))).toBe(true);
		await editor.page.screenshot({ path: artifact('review-inbox.png'), fullPage: true });
		expect(Number(await badge(editor.page).textContent())).toBeGreaterThan(0);
		await editor.page.getByRole('button', { name: '全部标为已读' }).click();
		await expect.poll(() => badge(editor.page).count(), SOON).toBe(0);
		expect(await notices.locator('li.unread').count()).toBe(0);

		// A notification arriving now lights the badge again, on this page, without a reload.
		await markPage(editor.page);
		const coordinator = await signIn(server, 'jijian');
		const rowId = riskRowsOf(await serverContent())[0].id!;
		await coordinator.post(`/api/sections/${section.id}/risks/${rowId}/grade`, { level: 'high', reason: '复核后维持高风险。' });
		await expect.poll(() => badge(editor.page).textContent(), SOON).toBe('1');
		await expect.poll(() => notices.locator('li.unread').count(), SOON).toBe(1);
		expect(await sameTab(editor.page)).toBe(true);

		// Someone with nothing waiting sees the empty states (a new account: the phase change reached every existing one).
		expect((await admin.post('/api/users', { username: 'xinren', password: 'xinren-password-1', displayName: '新入职 周读', role: 'reader' })).status).toBe(201);
		await switchTo('xinren', 'xinren-password-1');
		const reader = actor.page;
		await reader.goto(`${server.url}/inbox`);
		await hydrated(reader);
		await expect.poll(() => reader.getByText('暂无待办事项。').count(), SOON).toBe(1);
		expect(await reader.getByText('暂无通知。').count()).toBe(1);
	});

	it('gives the coordinator a cockpit of every unit, one click from each section', async () => {
		const page = await actAs('jijian', `/manuals/${manualId}`);
		// Reached from the manual page, and from the manual's sidebar on every page of it.
		expect(await page.getByRole('navigation', { name: '手册功能' }).getByRole('link', { name: '工作进度总览' }).count()).toBe(1);
		await page.getByRole('navigation', { name: '审核工作' }).getByRole('link', { name: '工作进度总览' }).click();
		await page.waitForURL((u) => u.pathname === `/manuals/${manualId}/cockpit`);
		const units = page.locator('section.unit');
		await expect.poll(() => units.count(), SOON).toBe(3);
		expect(await units.locator('h2').allTextContents()).toEqual(['科技与法制司', '运输监督管理司', '设备监督管理司']);
		const mine = page.locator('[data-unit="设备监督管理司"]');
		expect(await mine.textContent()).toContain('已集体审定');
		expect(await mine.textContent()).toContain('已退回修改 1');
		expect(await page.locator('[data-unit="科技与法制司"]').textContent()).toContain('尚未集体审定');
		// The assessment deadline has passed: what the unit still owes is flagged late, one click away.
		expect(await mine.locator('.sections li', { hasText: section.title }).locator('.late').textContent()).toBe('逾期');
		await page.screenshot({ path: artifact('review-cockpit.png'), fullPage: true });
		await mine.getByRole('link', { name: section.title }).click();
		await page.waitForURL((u) => u.pathname === sectionPath);
	});

	it('shows each role only what it may do, with the reason', async () => {
		type Expect = { reason: string | null; buttons: string[]; checklist: boolean; grade: boolean };
		const cases: [string, Expect][] = [
			['shebei1', { reason: null, buttons: [], checklist: true, grade: false }],
			['shebei_leader', { reason: null, buttons: ['报送'], checklist: true, grade: false }],
			['kefa1', { reason: '这是其他单位的章节，您只能查看和发表意见。', buttons: [], checklist: false, grade: false }],
			['zhuanjia', { reason: '您的角色不能编辑章节正文。', buttons: [], checklist: false, grade: true }],
			['jijian', { reason: '您的角色不能编辑章节正文。', buttons: [], checklist: false, grade: true }],
			['dangzu', { reason: '您的角色不能编辑章节正文。', buttons: [], checklist: false, grade: false }]
		];
		for (const [username, want] of cases) {
			const page = await actAs(username, sectionPath);
			await page.locator('.risk-row').first().waitFor();
			await expect.poll(() => page.getByTestId('section-state').textContent(), SOON).toBe('已退回修改');
			expect(await banner(page).count() ? await banner(page).textContent() : null, username).toBe(want.reason);
			const bar = page.locator('.review-bar .actions');
			expect(await bar.getByRole('button').allTextContents(), username).toEqual(want.buttons);
			expect(await page.getByRole('button', { name: /^自我复查/ }).count(), username).toBe(want.checklist ? 1 : 0);
			await expect.poll(() => page.locator('.risk-row .row-grade').count(), SOON).toBeGreaterThan(0); // the grades are shown to all
			expect(await page.locator('.risk-row').first().getByRole('button', { name: /评定|专家评定/ }).count(), username).toBe(1);
			const gradeForm = page.getByRole('dialog', { name: '风险等级评定' });
			await page.locator('.risk-row .row-grade button').first().click();
			await expect.poll(() => gradeForm.isVisible(), SOON).toBe(true);
			expect(await gradeForm.getByRole('button', { name: '确认评定' }).count(), username).toBe(want.grade ? 1 : 0);
			await page.keyboard.press('Escape');
			// Only the administrator gets the administration link.
			expect(await page.getByRole('link', { name: '系统管理' }).count(), username).toBe(0);
		}
		// An expert follows progress and records, but neither moves the phase nor edits its deadlines.
		const expertManual = await actAs('zhuanjia', `/manuals/${manualId}`);
		expect(await expertManual.getByRole('link', { name: '工作进度总览' }).count()).toBe(2);
		expect(await expertManual.getByRole('link', { name: '审定记录' }).count()).toBe(2);
		expect(await expertManual.getByRole('button', { name: /阶段/ }).count()).toBe(0);
		expect(await expertManual.getByRole('button', { name: '修改截止日期' }).count()).toBe(0);
		expect(await expertManual.getByTestId('countdown').textContent()).toBe('已逾期 10 天');
		// A reader reads published sections only: this one is refused, and the manual lists none.
		const reader = await actAs('duzhe', `/manuals/${manualId}`);
		expect(await reader.getByRole('link', { name: section.title }).count()).toBe(0);
		expect(await reader.getByRole('link', { name: '工作进度总览' }).count()).toBe(0);
		expect(await reader.getByRole('button', { name: /进入下一阶段/ }).count()).toBe(0);
		const refused = await reader.goto(server.url + sectionPath);
		expect(refused?.status()).toBe(403);
		const adminPage = await actAs('admin', '/');
		expect(await adminPage.getByRole('link', { name: '系统管理' }).count()).toBe(1);
	});
});
