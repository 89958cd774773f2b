import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient } from '../helpers/collab-client.ts';
import { editorSchema, yDocToNode } from '../../collab/schema/index.ts';
import { sizeMapping, textAnchor } from '../../collab/schema/anchors.ts';

/**
 * A browser comments on what its own copy of the document shows, which may be a moment behind the
 * server's. With relative positions beside the absolute ones, the comment lands on the words chosen.
 */
describe('a text comment made on a document that is behind the server', () => {
	const server = new TestServer();
	let expert: ApiClient;
	let editor: ApiClient;
	let section: { id: string; doc: string };
	const clients: CollabClient[] = [];

	beforeAll(async () => {
		await server.start();
		[expert, editor] = await Promise.all(['zhuanjia', 'shebei1'].map((u) => signIn(server, u)));
		section = (await demoSection(expert, '设备监督管理司')).section;
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

	/** PM positions of `text` in a client's copy, and the same range as relative positions. */
	function rangeIn(c: CollabClient, text: string) {
		const node = yDocToNode(c.doc);
		let at: { from: number; to: number } | null = null;
		node.descendants((n, pos) => {
			const i = n.isText ? n.text!.indexOf(text) : -1;
			if (!at && i >= 0) at = { from: pos + i, to: pos + i + text.length };
		});
		if (!at) throw new Error(`not found: ${text}`);
		const { from, to } = at as { from: number; to: number };
		const rel = textAnchor(c.fragment, sizeMapping(editorSchema()), from, to) as { start: string; end: string };
		return { from, to, start: rel.start, end: rel.end };
	}

	it('anchors on the chosen words although text was inserted before them meanwhile', async () => {
		const reviewer = await open(expert.token!);
		const writer = await open(editor.token!);
		const target = '谁是领导谁控';
		// What the reviewer's browser sees when the expert selects the words.
		const seen = rangeIn(reviewer, target);
		// Someone types above before the reviewer's copy hears of it: take the reviewer offline first.
		reviewer.provider.detach();
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText('新插入的一段说明文字。')]);
		writer.fragment.insert(0, [p]);
		await writer.confirmed();

		const created = await expert.post(`/api/sections/${section.id}/comments`, { anchor: { type: 'text', ...seen }, body: '请明确责任领导。' });
		expect(created.status).toBe(201);
		const thread = (await expert.get(`/api/sections/${section.id}/comments`)).body.find((t: { id: string }) => t.id === created.body.id);
		expect(thread.quote).toBe(target);
		expect(thread.anchor.from).toBeGreaterThan(seen.from);

		// Without relative positions the stale absolute ones still mean what they always meant.
		const stale = await expert.post(`/api/sections/${section.id}/comments`, { anchor: { type: 'text', from: seen.from, to: seen.to }, body: '旧位置。' });
		expect(stale.status).toBe(201);
		const staleThread = (await expert.get(`/api/sections/${section.id}/comments`)).body.find((t: { id: string }) => t.id === stale.body.id);
		expect(staleThread.quote).not.toBe(target);
	});

	it('keeps a comment on its words when their paragraph is split before them (Yjs: deleted and typed again)', async () => {
		const writer = await open(editor.token!);
		const target = '谁的风险谁防';
		const created = await expert.post(`/api/sections/${section.id}/comments`, { anchor: { type: 'text', ...rangeIn(writer, target) }, body: '请写明防控责任人。' });
		expect(created.status).toBe(201);
		const thread = async () => (await expert.get(`/api/sections/${section.id}/comments`)).body.find((t: { id: string }) => t.id === created.body.id);
		expect(await thread()).toMatchObject({ quote: target, detached: false });

		// Enter just before the words, as the editor writes it: the rest of the paragraph leaves this
		// Y.XmlText and comes back as new text in a new paragraph.
		const index = writer.fragment.toArray().findIndex((el) => el instanceof Y.XmlElement && el.toString().includes(target));
		const paragraph = writer.fragment.get(index) as Y.XmlElement;
		const text = paragraph.get(0) as Y.XmlText;
		const at = text.toString().indexOf(target);
		const rest = text.toString().slice(at);
		writer.doc.transact(() => {
			text.delete(at, rest.length);
			const next = new Y.XmlElement('paragraph');
			next.insert(0, [new Y.XmlText(rest)]);
			writer.fragment.insert(index + 1, [next]);
		});
		await writer.confirmed();
		expect(await thread()).toMatchObject({ quote: target, detached: false });

		// Words really deleted: the thread keeps its quote and says so.
		const moved = writer.fragment.get(index + 1) as Y.XmlElement;
		(moved.get(0) as Y.XmlText).delete(0, target.length);
		await writer.confirmed();
		expect(await thread()).toMatchObject({ quote: target, detached: true });
	});

	it('refuses relative positions the server does not know', async () => {
		const local = new Y.Doc();
		const frag = local.getXmlFragment('default');
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText('只在本地存在的文字')]);
		frag.insert(0, [p]);
		const rel = textAnchor(frag, sizeMapping(editorSchema()), 1, 4) as { start: string; end: string };
		const r = await expert.post(`/api/sections/${section.id}/comments`, { anchor: { type: 'text', from: 1, to: 4, ...rel }, body: 'x' });
		expect(r.status).toBe(400);
		expect(r.body.error.message).toContain('找不到');
		const garbage = await expert.post(`/api/sections/${section.id}/comments`, { anchor: { type: 'text', from: 1, to: 4, start: '!!', end: '??' }, body: 'x' });
		expect(garbage.status).toBe(400);
	});
});
