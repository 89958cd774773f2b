import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { editorSchema } from '../../collab/schema/index.ts';

/** What review does to open documents: locks and unlocks at once, and comments that follow the text. */
describe('review on open documents', () => {
	const server = new TestServer();
	let coordinator: ApiClient;
	let expert: ApiClient;
	let editor: ApiClient;
	let leader: ApiClient;
	let section: { id: string; doc: string };
	const clients: CollabClient[] = [];

	beforeAll(async () => {
		await server.start();
		[coordinator, expert, editor, leader] = await Promise.all(['jijian', 'zhuanjia', 'yunshu1', 'yunshu_leader'].map((u) => signIn(server, u)));
		section = (await demoSection(coordinator, '运输监督管理司')).section;
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server.dispose();
	});

	const open = async (token: string) => {
		const c = new CollabClient(server.wsUrl, section.doc, token);
		clients.push(c);
		return c.synced();
	};
	const storedText = async () => JSON.stringify((await coordinator.get(`/api/sections/${section.id}`)).body.content);

	/** PM positions of `text` inside the section, as GET /api/sections/:id gives the content now. */
	async function positionsOf(text: string) {
		const content = (await coordinator.get(`/api/sections/${section.id}`)).body.content;
		const doc = editorSchema().nodeFromJSON(content);
		let found: { from: number; to: number } | null = null;
		doc.descendants((n, pos) => {
			if (found || !n.isText) return;
			const i = n.text!.indexOf(text);
			if (i >= 0) found = { from: pos + i, to: pos + i + text.length };
		});
		if (!found) throw new Error(`text not found: ${text}`);
		return found as { from: number; to: number };
	}

	it('turns an open editor read-only when its section is submitted, and writable again when returned', async () => {
		const writer = await open(editor.token!);
		expect(writer.scope).toBe('read-write');
		writer.appendParagraph('报送前的最后一句。');
		await writer.confirmed();

		expect((await leader.post(`/api/sections/${section.id}/transition`, { action: 'submit' })).status).toBe(200);
		await until(() => writer.scope === 'readonly', 'editor turned read-only');
		// The open editor was also told the new state (before its connection re-authenticated).
		await until(() => writer.messages.some((x) => x.type === 'section-state' && x.state === 'submitted'), 'state message reaches the editor');
		writer.appendParagraph('锁定后写入的内容');
		await new Promise((r) => setTimeout(r, 500));
		expect(await storedText()).not.toContain('锁定后写入的内容');
		const watcher = await open(coordinator.token!);
		expect(watcher.text()).not.toContain('锁定后写入的内容');

		expect((await coordinator.post(`/api/sections/${section.id}/transition`, { action: 'return', note: '请完善送达环节。' })).status).toBe(200);
		await until(() => writer.scope === 'read-write', 'editor writable again');
		// The refused paragraph stays local; what is typed now is stored and seen by others.
		writer.appendParagraph('退回后补充的内容。');
		await writer.confirmed();
		await until(async () => (await storedText()).includes('退回后补充的内容。'), 'edit after return stored');
		await until(() => watcher.text().includes('退回后补充的内容。'), 'edit after return reaches others');
	});

	it('keeps a text comment on its words while others type before it, and its last quote once the words are gone', async () => {
		const writer = await open(editor.token!);
		await until(() => writer.scope === 'read-write', 'writable');
		writer.appendParagraph('申请材料应当一次性告知补正内容。');
		await writer.confirmed();
		const target = '一次性告知';
		const at = await positionsOf(target);
		const created = await expert.post(`/api/sections/${section.id}/comments`, { anchor: { type: 'text', ...at }, body: '“一次性告知”应写明告知时限。@yunshu1' });
		expect(created.status).toBe(201);
		const read = async () => (await editor.get(`/api/sections/${section.id}/comments`)).body.find((c: { id: string }) => c.id === created.body.id);
		let thread = await read();
		expect(thread.quote).toBe(target);
		expect(thread.anchor).toMatchObject({ type: 'text', from: at.from, to: at.to });

		// Concurrent typing before the anchor, in the same paragraph and above it.
		const para = writer.fragment.get(writer.fragment.length - 1) as Y.XmlElement;
		(para.get(0) as Y.XmlText).insert(0, '【补】');
		writer.appendParagraph('无关的一段。');
		const p0 = new Y.XmlElement('paragraph');
		p0.insert(0, [new Y.XmlText('插在前面的一段。')]);
		writer.fragment.insert(0, [p0]);
		await writer.confirmed();
		thread = await read();
		expect(thread.quote).toBe(target);
		expect(thread.detached).toBe(false);
		const moved = await positionsOf(target);
		expect(thread.anchor).toMatchObject({ from: moved.from, to: moved.to });
		expect(moved.from).toBeGreaterThan(at.from);

		// The commented words are deleted: the thread stays, with its last quote, and says so.
		const text = para.get(0) as Y.XmlText;
		const i = text.toString().indexOf(target);
		text.delete(i, target.length);
		await writer.confirmed();
		thread = await read();
		expect(thread.detached).toBe(true);
		expect(thread.quote).toBe(target);

		// The mention reached the editor's inbox.
		const inbox = await editor.get('/api/inbox');
		expect(inbox.body.notifications.some((n: { kind: string; ref: string }) => n.kind === 'mention' && n.ref === created.body.id)).toBe(true);
	});

	it('lets an expert comment without any write access, and replies, resolves and reopens threads', async () => {
		const reviewer = await open(expert.token!);
		expect(reviewer.scope).toBe('readonly');
		const content = (await expert.get(`/api/sections/${section.id}`)).body;
		const rowId = JSON.stringify(content.content).match(/"riskRow","attrs":\{"id":"([^"]+)"/)![1];
		const flowId = Object.keys(content.flowcharts)[0];
		const stepId = Object.keys(content.flowcharts[flowId].nodes)[0];
		const onRow = await expert.post(`/api/sections/${section.id}/comments`, { anchor: { type: 'row', rowId }, body: '该风险等级偏低。' });
		const onStep = await expert.post(`/api/sections/${section.id}/comments`, { anchor: { type: 'step', flowchartId: flowId, stepId }, body: '请写明该环节的监督责任。' });
		expect([onRow.status, onStep.status]).toEqual([201, 201]);
		for (const bad of [
			{ type: 'row', rowId: 'nope' },
			{ type: 'step', flowchartId: flowId, stepId: 'nope' },
			{ type: 'text', from: 5, to: 5 },
			{ type: 'text', from: 1, to: 999999 },
			{ type: 'paragraph' }
		]) {
			const r = await expert.post(`/api/sections/${section.id}/comments`, { anchor: bad, body: 'x' });
			expect(r.status, JSON.stringify(bad)).toBe(400);
		}
		const reader = await signIn(server, 'duzhe');
		expect((await reader.post(`/api/sections/${section.id}/comments`, { anchor: { type: 'row', rowId }, body: 'x' })).status).toBe(403);
		const reply = await editor.post(`/api/comments/${onRow.body.id}/replies`, { body: '已按意见调整。' });
		expect(reply.status).toBe(201);
		expect((await editor.post(`/api/comments/${onRow.body.id}/resolve`)).status).toBe(200);
		let list = (await expert.get(`/api/sections/${section.id}/comments`)).body;
		let row = list.find((c: { id: string }) => c.id === onRow.body.id);
		expect(row).toMatchObject({ anchor: { type: 'row', rowId }, resolved: true, author: { username: 'zhuanjia', role: 'expert' } });
		expect(row.replies).toMatchObject([{ body: '已按意见调整。', author: { username: 'yunshu1' } }]);
		expect((await expert.post(`/api/comments/${onRow.body.id}/reopen`)).status).toBe(200);
		list = (await expert.get(`/api/sections/${section.id}/comments`)).body;
		row = list.find((c: { id: string }) => c.id === onRow.body.id);
		expect(row.resolved).toBe(false);
		expect(list.find((c: { id: string }) => c.id === onStep.body.id).anchor).toEqual({ type: 'step', flowchartId: flowId, stepId });
		// Commenting never changed the document.
		expect(reviewer.scope).toBe('readonly');
		const history = (await expert.get(`/api/sections/${section.id}/history`)).body.map((e: { action: string }) => e.action);
		expect(history).toEqual(expect.arrayContaining(['comment', 'reply', 'resolve', 'reopen']));
	});
});
