import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';

/**
 * The review workflow's public API (DESIGN.md §3.1), driven as outside clients would: every
 * state is reached through the API, never by writing the database.
 */
describe('review workflow API', () => {
	const server = new TestServer();
	let coordinator: ApiClient;
	let expert: ApiClient;
	let party: ApiClient;
	let reader: ApiClient;
	let editor: ApiClient;
	let leader: ApiClient;
	let otherLeader: ApiClient;
	let manualId: string;
	let unitId: string;
	let sectionId: string;

	beforeAll(async () => {
		await server.start();
		[coordinator, expert, party, reader, editor, leader, otherLeader] = await Promise.all(
			['jijian', 'zhuanjia', 'dangzu', 'duzhe', 'shebei1', 'shebei_leader', 'kefa_leader'].map((u) => signIn(server, u))
		);
		const d = await demoSection(coordinator, '设备监督管理司');
		manualId = d.manual.id;
		unitId = d.unit.id;
		sectionId = d.section.id;
	});
	afterAll(() => server.dispose());

	const transition = (who: ApiClient, action: string, note?: string, id = sectionId) =>
		who.post(`/api/sections/${id}/transition`, note === undefined ? { action } : { action, note });

	it('lets only the coordinator (or admin) open a phase, and validates it', async () => {
		expect((await editor.post(`/api/manuals/${manualId}/phase`, { phase: 'assessment' })).status).toBe(403);
		const bad = await coordinator.post(`/api/manuals/${manualId}/phase`, { phase: 'later' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.code).toBe('bad_request');
		const r = await coordinator.post(`/api/manuals/${manualId}/phase`, { phase: 'self_check' });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ id: manualId, phase: 'self_check' });
	});

	it('runs the self-review checklist: the demo section passes, a new one lists its problems', async () => {
		const ok = await editor.get(`/api/sections/${sectionId}/checklist`);
		expect(ok.status).toBe(200);
		expect(ok.body).toEqual({ ok: true, problems: [] });
		const created = await coordinator.post(`/api/manuals/${manualId}/sections`, { unitId, title: '新建职权事项' });
		const fresh = await editor.get(`/api/sections/${created.body.id}/checklist`);
		expect(fresh.body.ok).toBe(false);
		const checks = new Set(fresh.body.problems.map((p: { check: string }) => p.check));
		expect([...checks].sort()).toEqual(['flow', 'power_item', 'risks']);
		for (const p of fresh.body.problems) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
		// Submitting it is refused with the same list.
		const refused = await transition(leader, 'submit', undefined, created.body.id);
		expect(refused.status).toBe(422);
		expect(refused.body.error.code).toBe('checklist_failed');
		expect(refused.body.error.details).toEqual(fresh.body.problems);
		expect((await reader.get(`/api/sections/${created.body.id}/checklist`)).status).toBe(403);
	});

	it('refuses a submission by anyone but the unit’s own leader (403)', async () => {
		for (const who of [editor, otherLeader, coordinator, expert, party, reader]) {
			const r = await transition(who, 'submit');
			expect(r.status, JSON.stringify(r.body)).toBe(403);
			expect(r.body.error.code).toBe('forbidden');
		}
	});

	it('submits, refuses what the state does not allow (409), returns with a note, resubmits and accepts', async () => {
		const submitted = await transition(leader, 'submit', '已完成自我复查');
		expect(submitted.status).toBe(200);
		expect(submitted.body).toEqual({ id: sectionId, state: 'submitted' });
		const again = await transition(leader, 'submit');
		expect(again.status).toBe(409);
		expect(again.body.error.code).toBe('invalid_transition');

		expect((await transition(leader, 'return', '不行')).status).toBe(403);
		const noNote = await transition(coordinator, 'return');
		expect(noNote.status).toBe(400);
		expect((await transition(coordinator, 'return', '   ')).status).toBe(400);
		const returned = await transition(coordinator, 'return', '请补充专家评审环节的回避措施。');
		expect(returned.body).toEqual({ id: sectionId, state: 'returned' });
		expect((await transition(coordinator, 'accept')).status).toBe(409);

		// The return note is a comment thread on the section.
		const comments = await editor.get(`/api/sections/${sectionId}/comments`);
		const note = comments.body.find((c: { body: string }) => c.body === '请补充专家评审环节的回避措施。');
		expect(note.anchor).toEqual({ type: 'section' });
		expect(note.author.username).toBe('jijian');

		expect((await transition(leader, 'submit')).status).toBe(200);
		const accepted = await transition(coordinator, 'accept');
		expect(accepted.body).toEqual({ id: sectionId, state: 'accepted' });
		expect((await editor.get(`/api/sections/${sectionId}`)).body.state).toBe('accepted');
		const outline = await reader.get(`/api/manuals/${manualId}`);
		expect(outline.status).toBe(200);
		// Reopening an accepted section for revision is the coordinator's.
		expect((await transition(coordinator, 'return', '发布前再核对一次办理时限。')).body.state).toBe('returned');
	});

	it('keeps the timeline with who, what and the notes, oldest first', async () => {
		const r = await expert.get(`/api/sections/${sectionId}/history`);
		expect(r.status).toBe(200);
		const transitions = r.body.filter((e: { action: string }) => ['submit', 'return', 'accept'].includes(e.action));
		expect(transitions.map((e: { action: string; from: string; to: string }) => `${e.action}:${e.from}>${e.to}`)).toEqual([
			'submit:draft>submitted',
			'return:submitted>returned',
			'submit:returned>submitted',
			'accept:submitted>accepted',
			'return:accepted>returned'
		]);
		expect(transitions[0]).toMatchObject({ note: '已完成自我复查', by: { username: 'shebei_leader' } });
		expect(transitions[1]).toMatchObject({ note: '请补充专家评审环节的回避措施。', by: { username: 'jijian' } });
		for (const e of r.body) {
			expect(e).toMatchObject({ at: expect.any(Number), by: { id: expect.stringMatching(/\S/) } });
		}
		const times = r.body.map((e: { at: number }) => e.at);
		expect([...times].sort((a: number, b: number) => a - b)).toEqual(times);
		expect((await reader.get(`/api/sections/${sectionId}/history`)).status).toBe(403);
	});

	it('lets experts and the coordinator grade risks only during assessment, into the live document', async () => {
		const rows = riskRowsOf((await expert.get(`/api/sections/${sectionId}`)).body.content);
		const row = rows.find((r) => r.level !== 'low')!;
		const grade = (who: ApiClient, body: unknown, rowId = row.id) => who.post(`/api/sections/${sectionId}/risks/${rowId}/grade`, body);
		const early = await grade(expert, { level: 'low', reason: '自由裁量空间小' });
		expect(early.status).toBe(409);
		expect(early.body.error.code).toBe('wrong_phase');
		await coordinator.post(`/api/manuals/${manualId}/phase`, { phase: 'assessment' });
		expect((await grade(editor, { level: 'low', reason: 'x' })).status).toBe(403);
		expect((await grade(party, { level: 'low', reason: 'x' })).status).toBe(403);
		expect((await grade(expert, { level: 'critical', reason: 'x' })).status).toBe(400);
		expect((await grade(expert, { level: 'low' })).status).toBe(400);
		expect((await grade(expert, { level: 'low', reason: 'x' }, 'no-such-row')).status).toBe(404);
		const r = await grade(expert, { level: 'low', reason: '自由裁量空间小，程序公开' });
		expect(r.status).toBe(200);
		const after = riskRowsOf((await editor.get(`/api/sections/${sectionId}`)).body.content).find((x) => x.id === row.id)!;
		expect(after.level).toBe('low');
		const second = await grade(coordinator, { level: 'medium', reason: '结合信访情况上调' });
		expect(second.status).toBe(200);
		const grades = await editor.get(`/api/sections/${sectionId}/risks/${row.id}/grades`);
		expect(grades.status).toBe(200);
		expect(grades.body.map((g: { level: string; reason: string; by: { username: string } }) => [g.level, g.by.username, g.reason])).toEqual([
			['low', 'zhuanjia', '自由裁量空间小，程序公开'],
			['medium', 'jijian', '结合信访情况上调']
		]);
		expect(grades.body[0].previousLevel).toBe(row.level);
		expect(typeof grades.body[0].at).toBe('number');
		const history = await editor.get(`/api/sections/${sectionId}/history`);
		expect(history.body.filter((e: { action: string }) => e.action === 'grade')).toHaveLength(2);
	});

	it('keeps collective approvals and the party decision, by the right people only', async () => {
		const approval = { unitId, meetingDate: '2014-09-20', attendees: ['马司长', '林涛', '何芳'], decision: '同意本司廉政风险防控手册内容。' };
		expect((await otherLeader.post(`/api/manuals/${manualId}/approvals`, approval)).status).toBe(403);
		expect((await editor.post(`/api/manuals/${manualId}/approvals`, approval)).status).toBe(403);
		expect((await leader.post(`/api/manuals/${manualId}/approvals`, { ...approval, meetingDate: '20.9.2014' })).status).toBe(400);
		expect((await leader.post(`/api/manuals/${manualId}/approvals`, { ...approval, attendees: [] })).status).toBe(400);
		const a = await leader.post(`/api/manuals/${manualId}/approvals`, approval);
		expect(a.status).toBe(201);
		expect(a.body.id).toBeTruthy();

		const decision = { meetingDate: '2014-09-28', decision: '原则同意《手册》，由驻局纪检组监察局汇编印发。' };
		expect((await coordinator.post(`/api/manuals/${manualId}/decisions`, decision)).status).toBe(403);
		expect((await party.post(`/api/manuals/${manualId}/decisions`, { meetingDate: '2014-09-28' })).status).toBe(400);
		const d = await party.post(`/api/manuals/${manualId}/decisions`, decision);
		expect(d.status).toBe(201);

		const records = await coordinator.get(`/api/manuals/${manualId}/records`);
		expect(records.status).toBe(200);
		expect(records.body.approvals).toHaveLength(1);
		expect(records.body.approvals[0]).toMatchObject({ unitId, meetingDate: '2014-09-20', attendees: approval.attendees, decision: approval.decision, by: { username: 'shebei_leader' } });
		expect(records.body.decisions[0]).toMatchObject({ meetingDate: '2014-09-28', decision: decision.decision, by: { username: 'dangzu' } });
		expect((await reader.get(`/api/manuals/${manualId}/records`)).status).toBe(403);
	});

	it('reports each unit’s progress: sections by state, risks by level, open comments', async () => {
		const r = await coordinator.get(`/api/manuals/${manualId}/progress`);
		expect(r.status).toBe(200);
		const unit = r.body.units.find((u: { id: string }) => u.id === unitId);
		expect(Object.keys(unit.states).sort()).toEqual(['accepted', 'draft', 'published', 'returned', 'submitted']);
		expect(unit.states.returned).toBe(1);
		expect(unit.states.draft).toBeGreaterThanOrEqual(2);
		expect(unit.risks.high + unit.risks.medium + unit.risks.low + unit.risks.ungraded).toBeGreaterThanOrEqual(9);
		expect(unit.openComments).toBeGreaterThanOrEqual(2);
		expect((await reader.get(`/api/manuals/${manualId}/progress`)).status).toBe(403);
	});

	it('puts what waits for each person in their inbox', async () => {
		const mine = await leader.get('/api/inbox');
		expect(mine.status).toBe(200);
		const toSubmit = mine.body.todo.filter((t: { kind: string }) => t.kind === 'submit');
		expect(toSubmit.map((t: { sectionId: string }) => t.sectionId)).toContain(sectionId);
		expect(mine.body.notifications.some((n: { kind: string; sectionId: string }) => n.kind === 'returned' && n.sectionId === sectionId)).toBe(true);
		expect(mine.body.unread).toBeGreaterThan(0);
		await transition(leader, 'submit');
		const coord = await coordinator.get('/api/inbox');
		expect(coord.body.todo.some((t: { kind: string; sectionId: string }) => t.kind === 'review' && t.sectionId === sectionId)).toBe(true);
		const exp = await expert.get('/api/inbox');
		expect(exp.body.todo.some((t: { kind: string; sectionId: string }) => t.kind === 'grade' && t.sectionId === sectionId)).toBe(true);
		expect((await leader.post('/api/inbox/read', { ids: 'all' })).status).toBe(200);
		expect((await leader.get('/api/inbox')).body.unread).toBe(0);
	});
});
