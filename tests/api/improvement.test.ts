import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { until } from '../helpers/collab-client.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';

/** 完善提高 (DESIGN.md §3.3): measures, early warnings with automatic escalation, electronic supervision. */
describe('improvement phase API', () => {
	// Plain Monday–Friday weeks, and a quick look for overdue warnings, so the test is exact and short.
	const CHECK_MS = 200;
	const server = new TestServer({ HOLIDAYS: '', ESCALATION_CHECK_MS: String(CHECK_MS) });
	let coordinator: ApiClient;
	let editor: ApiClient;
	let otherEditor: ApiClient;
	let leader: ApiClient;
	let otherLeader: ApiClient;
	let reader: ApiClient;
	let manualId: string;
	let section: { id: string; doc: string };
	let unitId: string;

	beforeAll(async () => {
		await server.start();
		[coordinator, editor, otherEditor, leader, otherLeader, reader] = await Promise.all(
			['jijian', 'kefa1', 'shebei1', 'kefa_leader', 'shebei_leader', 'duzhe'].map((u) => signIn(server, u))
		);
		const d = await demoSection(coordinator, '科技与法制司');
		manualId = d.manual.id;
		section = d.section;
		unitId = d.unit.id;
		expect((await coordinator.post(`/api/manuals/${manualId}/phase`, { phase: 'improvement' })).status).toBe(200);
	});
	afterAll(() => server.dispose());

	describe('measures', () => {
		it('lists one tracked item per risk row with its responsible post and leader, overdue when the deadline passed', async () => {
			const r = await coordinator.get(`/api/manuals/${manualId}/measures`);
			expect(r.status).toBe(200);
			const rows = riskRowsOf((await coordinator.get(`/api/sections/${section.id}`)).body.content);
			const mine = r.body.filter((m: { sectionId: string }) => m.sectionId === section.id);
			expect(mine.map((m: { rowId: string }) => m.rowId)).toEqual(rows.map((x) => x.id));
			const first = mine[0];
			expect(first).toMatchObject({ unitId, risk: rows[0].cells.point, measure: rows[0].cells.measure, plan: rows[0].cells.plan, deadline: rows[0].deadline, status: 'pending', updates: [] });
			expect(first.post).toBe(rows[0].cells.post);
			expect(first.leader).toBe(rows[0].cells.leader);
			// The demo's plans were due in 2014.
			expect(first.overdue).toBe(true);
			expect((await reader.get(`/api/manuals/${manualId}/measures`)).status).toBe(403);
		});

		it('takes progress reports from the unit and the coordinator only; done is no longer overdue', async () => {
			const m = (await editor.get(`/api/manuals/${manualId}/measures`)).body.find((x: { sectionId: string }) => x.sectionId === section.id);
			const report = (who: ApiClient, body: unknown) => who.post(`/api/measures/${m.id}/updates`, body);
			expect((await report(otherEditor, { status: 'in_progress', note: '代为填报' })).status).toBe(403);
			expect((await report(reader, { status: 'in_progress', note: 'x' })).status).toBe(403);
			expect((await report(editor, { status: 'started', note: 'x' })).status).toBe(400);
			expect((await report(editor, { status: 'in_progress' })).status).toBe(400);
			expect((await report(editor, { status: 'in_progress', note: '已起草《行政许可受理工作规范》征求意见稿。' })).status).toBe(201);
			expect((await report(coordinator, { status: 'done', note: '规范已印发。', attachment: '国铁科法〔2014〕60号.pdf' })).status).toBe(201);
			const after = (await editor.get(`/api/manuals/${manualId}/measures`)).body.find((x: { id: string }) => x.id === m.id);
			expect(after.status).toBe('done');
			expect(after.overdue).toBe(false);
			expect(after.updates.map((u: { status: string; by: { username: string } }) => [u.status, u.by.username])).toEqual([
				['in_progress', 'kefa1'],
				['done', 'jijian']
			]);
			expect(after.updates[1].attachment).toBe('国铁科法〔2014〕60号.pdf');
			expect(after.updates[0].at).toBeLessThanOrEqual(after.updates[1].at);
		});
	});

	describe('early warnings', () => {
		let rowId: string;
		beforeAll(async () => {
			rowId = riskRowsOf((await coordinator.get(`/api/sections/${section.id}`)).body.content)[0].id!;
		});
		const raise = (who: ApiClient, body: Record<string, unknown> = {}) =>
			who.post(`/api/manuals/${manualId}/warnings`, { sectionId: section.id, rowId, source: '信访举报', subject: '受理窗口工作人员', description: '群众反映受理时多次要求补正材料。', ...body });

		it('is raised by the coordinator only, against a section and optionally one of its risks', async () => {
			expect((await raise(editor)).status).toBe(403);
			expect((await raise(coordinator, { rowId: 'nope' })).status).toBe(400);
			expect((await raise(coordinator, { sectionId: 'nope' })).status).toBe(400);
			expect((await raise(coordinator, { description: '' })).status).toBe(400);
			const r = await raise(coordinator);
			expect(r.status).toBe(201);
			expect(r.body).toEqual({ id: expect.any(String), stage: 'notice' });
		});

		it('goes through disposal and the unit’s written answer; an answer in time stops escalation; closes with a note', async () => {
			const { body } = await raise(coordinator);
			const id = body.id;
			const dueAt = Date.now() + 1500;
			expect((await editor.post(`/api/warnings/${id}/dispose`, { stage: 'talk', dueAt, note: 'x' })).status).toBe(403);
			expect((await coordinator.post(`/api/warnings/${id}/dispose`, { stage: 'later', dueAt, note: 'x' })).status).toBe(400);
			expect((await coordinator.post(`/api/warnings/${id}/dispose`, { stage: 'talk', dueAt, note: '约谈受理窗口负责人。' })).status).toBe(200);
			expect((await otherLeader.post(`/api/warnings/${id}/respond`, { text: 'x' })).status).toBe(403);
			expect((await editor.post(`/api/warnings/${id}/respond`, { text: 'x' })).status).toBe(403);
			expect((await leader.post(`/api/warnings/${id}/respond`, { text: '已组织谈话，补正告知改为一次性书面告知。' })).status).toBe(201);
			// Past the date by several checks of the escalation timer: nothing may have moved.
			await new Promise((r) => setTimeout(r, dueAt - Date.now() + 3 * CHECK_MS));
			let w = (await coordinator.get(`/api/manuals/${manualId}/warnings`)).body.find((x: { id: string }) => x.id === id);
			expect(w).toMatchObject({ stage: 'talk', escalated: false, dueAt });
			expect((await coordinator.post(`/api/warnings/${id}/close`, { note: '整改到位，予以办结。' })).status).toBe(200);
			expect((await coordinator.post(`/api/warnings/${id}/close`, { note: '再次办结' })).status).toBe(409);
			w = (await coordinator.get(`/api/manuals/${manualId}/warnings`)).body.find((x: { id: string }) => x.id === id);
			expect(w.stage).toBe('closed');
			expect(w.history.map((h: { kind: string; stage: string }) => `${h.kind}:${h.stage}`)).toEqual(['raise:notice', 'dispose:talk', 'respond:talk', 'close:closed']);
			expect(w.history[2].by.username).toBe('kefa_leader');
		});

		it('moves up one stage by itself when its date passes without an answer, once per date', async () => {
			const dueAt = Date.now() + 800;
			const { body } = await raise(coordinator, { dueAt });
			const read = async () => (await coordinator.get(`/api/manuals/${manualId}/warnings`)).body.find((x: { id: string }) => x.id === body.id);
			await until(async () => (await read()).stage === 'talk', 'automatic escalation', 20_000);
			// Several more checks of the timer: the same date must not escalate again.
			await new Promise((r) => setTimeout(r, 5 * CHECK_MS));
			const w = await read();
			expect(w).toMatchObject({ stage: 'talk', escalated: true, dueAt });
			const esc = w.history.filter((h: { kind: string }) => h.kind === 'escalate');
			expect(esc).toHaveLength(1);
			expect(esc[0].by).toBeNull();
			expect(esc[0].text).toContain('提醒谈话');
			const inbox = await leader.get('/api/inbox');
			expect(inbox.body.notifications.some((n: { kind: string; ref: string }) => n.kind === 'warning' && n.ref === body.id)).toBe(true);
		});
	});

	describe('electronic supervision', () => {
		it('opens a case at the start step, moves it along the flowchart, and cards late steps by working days', async () => {
			const content = (await coordinator.get(`/api/sections/${section.id}`)).body;
			const chart = Object.values(content.flowcharts)[0] as { nodes: Record<string, { label: string; kind: string; limitDays: number }> };
			const idOf = (label: string) => Object.entries(chart.nodes).find(([, s]) => s.label === label)![0];
			expect((await otherEditor.post(`/api/sections/${section.id}/cases`, { applicant: 'x', receivedAt: '2026-11-02' })).status).toBe(403);
			expect((await editor.post(`/api/sections/${section.id}/cases`, { applicant: '', receivedAt: '2026-11-02' })).status).toBe(400);
			expect((await editor.post(`/api/sections/${section.id}/cases`, { applicant: 'x', receivedAt: 'someday' })).status).toBe(400);

			// Received on Monday 2 November; the start step (接收申请材料) has 1 working day: due Tuesday, red after Wednesday.
			const r = await editor.post(`/api/sections/${section.id}/cases`, { applicant: '某铁路装备有限公司', receivedAt: '2026-11-02' });
			expect(r.status).toBe(201);
			let c = (await coordinator.get(`/api/cases/${r.body.id}`)).body;
			expect(c).toMatchObject({ id: r.body.id, sectionId: section.id, applicant: '某铁路装备有限公司', receivedAt: Date.parse('2026-11-02T09:00:00+08:00') });
			expect(c.current).toMatchObject({ stepId: idOf('接收申请材料'), dueAt: Date.parse('2026-11-03T23:59:59.999+08:00') });
			expect(c.card).toBe('red');

			// Completed now: the case moves on along the main line to 形式审查 (5 working days), no card yet.
			expect((await coordinator.post(`/api/cases/${r.body.id}/steps`, { stepId: idOf('形式审查'), doneAt: Date.now() })).status).toBe(409);
			const moved = await editor.post(`/api/cases/${r.body.id}/steps`, { stepId: idOf('接收申请材料'), doneAt: Date.now() });
			expect(moved.status).toBe(200);
			c = (await coordinator.get(`/api/cases/${r.body.id}`)).body;
			expect(c.current.stepId).toBe(idOf('形式审查'));
			expect(c.card).toBe('none');

			// A case stuck at 受理决定 since the start of October: red, and the card names that step's risk points.
			const old = (await coordinator.post(`/api/sections/${section.id}/cases`, { applicant: '某电务器材厂', receivedAt: '2026-10-12' })).body.id;
			await coordinator.post(`/api/cases/${old}/steps`, { stepId: idOf('接收申请材料'), doneAt: '2026-10-12' });
			await coordinator.post(`/api/cases/${old}/steps`, { stepId: idOf('形式审查'), doneAt: '2026-10-13' });
			const stuck = (await coordinator.get(`/api/cases/${old}`)).body;
			expect(stuck.current.stepId).toBe(idOf('受理决定'));
			expect(stuck.card).toBe('red');
			const rows = riskRowsOf(content.content).filter((x) => x.stepId === idOf('受理决定'));
			expect(stuck.risks.map((x: { rowId: string }) => x.rowId)).toEqual(rows.map((x) => x.id));
			expect(stuck.risks[0].point).toBe(rows[0].cells.point);

			const stats = await coordinator.get(`/api/manuals/${manualId}/supervision`);
			expect(stats.status).toBe(200);
			const unit = stats.body.units.find((u: { id: string }) => u.id === unitId);
			expect(unit).toMatchObject({ cases: 2, open: 2, red: 1 });
			const item = stats.body.items.find((i: { sectionId: string }) => i.sectionId === section.id);
			expect(item).toMatchObject({ cases: 2, red: 1 });
			const step = stats.body.steps.find((x: { stepId: string }) => x.stepId === idOf('受理决定'));
			expect(step).toMatchObject({ open: 1, red: 1, label: '受理决定' });
			expect((await reader.get(`/api/manuals/${manualId}/supervision`)).status).toBe(403);
		});
	});
});

describe('the holiday list behind working-day limits', () => {
	const server = new TestServer();
	afterAll(() => server.dispose());

	it('ships the 2026 list, lets the admin (only) replace it, and uses the replacement', async () => {
		await server.start();
		const [admin, coordinator] = await Promise.all([signIn(server, 'admin'), signIn(server, 'jijian')]);
		const built = await coordinator.get('/api/settings/holidays');
		expect(built.body.source).toBe('builtin');
		expect(built.body.dates).toContain('2026-10-01');
		expect((await coordinator.request('PUT', '/api/settings/holidays', { dates: ['2026-12-01'] })).status).toBe(403);
		expect((await admin.request('PUT', '/api/settings/holidays', { dates: ['2026-13-01'] })).status).toBe(400);
		const saved = await admin.request('PUT', '/api/settings/holidays', { dates: ['2026-12-01', '2026-11-30', '2026-12-01'] });
		expect(saved.status).toBe(200);
		expect(saved.body).toEqual({ source: 'admin', dates: ['2026-11-30', '2026-12-01'] });
		// A case received on Friday 27 November with a one-working-day step: Monday and Tuesday are now off.
		const d = await demoSection(coordinator, '科技与法制司');
		const c = await coordinator.post(`/api/sections/${d.section.id}/cases`, { applicant: '某公司', receivedAt: '2026-11-27' });
		const view = (await coordinator.get(`/api/cases/${c.body.id}`)).body;
		expect(view.current.dueAt).toBe(Date.parse('2026-12-02T23:59:59.999+08:00'));
	});
});
