import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient, collabSocket, until } from '../helpers/collab-client.ts';
import { InProcessCollab } from './in-process.ts';
import { frames, RawSocket } from './raw-socket.ts';

/**
 * Revocation reaches every open document of a user, also when several documents share one
 * socket (as in a browser tab) and some of them closed before; and a connection whose access
 * changed finds its way back without a new provider.
 */
describe('revoking access on open connections', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let manualId: string;
	let unitId: string;
	let n = 0;
	const clients: CollabClient[] = [];
	const sockets: ReturnType<typeof collabSocket>[] = [];

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '设备监督管理司');
		manualId = demo.manual.id;
		unitId = demo.unit.id;
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		for (const s of sockets) s.destroy();
		await server.dispose();
	});

	/** A fresh editor of the unit, signed in, so each case starts from its own account. */
	async function freshEditor() {
		const username = `revoke_${++n}`;
		const created = await admin.post('/api/users', { username, password: 'revoke-password', displayName: `撤销测试${n}`, role: 'editor', unitId });
		expect(created.status).toBe(201);
		const api = await signIn(server, username, 'revoke-password');
		return { id: created.body.id as string, api };
	}

	async function freshSection(title: string) {
		const r = await admin.post(`/api/manuals/${manualId}/sections`, { unitId, title });
		expect(r.status).toBe(201);
		return r.body as { id: string; doc: string };
	}

	/** Documents A and B of one user on one shared socket; A is then closed (the tab left that section). */
	async function twoDocumentsOneSocketThenCloseA(token: string) {
		const [a, b] = [await freshSection(`甲章节${++n}`), await freshSection(`乙章节${++n}`)];
		const socket = collabSocket(server.wsUrl);
		sockets.push(socket);
		const A = new CollabClient(server.wsUrl, a.doc, token, { socket });
		const B = new CollabClient(server.wsUrl, b.doc, token, { socket });
		clients.push(A, B);
		await Promise.all([A.synced(), B.synced()]);
		expect([A.scope, B.scope]).toEqual(['read-write', 'read-write']);
		A.destroy();
		// A write on B after A's close went out on the same socket: the server has handled the close.
		B.appendParagraph('关闭甲之后的乙修改');
		await B.confirmed();
		return { B, sectionB: b };
	}

	async function contentOf(sectionId: string) {
		const r = await admin.get(`/api/sections/${sectionId}`);
		return JSON.stringify(r.body.content ?? '');
	}

	it('disabling the user closes the other document on the shared socket, and its later writes are not stored', async () => {
		const u = await freshEditor();
		const { B, sectionB } = await twoDocumentsOneSocketThenCloseA(u.api.token!);
		expect((await admin.patch(`/api/users/${u.id}`, { disabled: true })).status).toBe(200);
		await until(() => B.closes.includes('access-changed'), 'B closed for the access change');
		await until(() => B.authFailed !== null, 'B refused on re-authentication');
		B.appendParagraph('停用之后的写入');
		// Another client's confirmed write proves the server has handled everything sent before it.
		const leader = await signIn(server, 'shebei_leader');
		const probe = new CollabClient(server.wsUrl, B.provider.configuration.name, leader.token!);
		clients.push(probe);
		await probe.synced();
		probe.appendParagraph('负责人的确认写入');
		await probe.confirmed();
		const text = await contentOf(sectionB.id);
		expect(text).toContain('关闭甲之后的乙修改');
		expect(text).not.toContain('停用之后的写入');
	});

	it('demoting the user makes the other document read-only', async () => {
		const u = await freshEditor();
		const { B } = await twoDocumentsOneSocketThenCloseA(u.api.token!);
		expect((await admin.patch(`/api/users/${u.id}`, { role: 'expert' })).status).toBe(200);
		await until(() => B.closes.includes('access-changed'), 'B closed for the access change');
		await until(() => B.scope === 'readonly', 'B re-authenticated read-only');
	});

	it("removing the user's unit makes the other document read-only", async () => {
		const u = await freshEditor();
		const { B } = await twoDocumentsOneSocketThenCloseA(u.api.token!);
		expect((await admin.patch(`/api/users/${u.id}`, { unitIds: [] })).status).toBe(200);
		await until(() => B.closes.includes('access-changed'), 'B closed for the access change');
		await until(() => B.scope === 'readonly', 'B re-authenticated read-only');
	});

	it('deleting the other section closes it', async () => {
		const u = await freshEditor();
		const { B, sectionB } = await twoDocumentsOneSocketThenCloseA(u.api.token!);
		const del = await admin.request('DELETE', `/api/sections/${sectionB.id}`);
		expect(del.status).toBe(204);
		await until(() => B.closes.includes('access-changed'), 'B closed for the deletion');
		await until(() => B.authFailed !== null, 'B refused on re-authentication');
	});

	it("logging out closes that session's open documents (not the user's other sessions) and its token opens nothing more", async () => {
		const u = await freshEditor();
		const other = await signIn(server, `revoke_${n}`, 'revoke-password');
		const { B } = await twoDocumentsOneSocketThenCloseA(u.api.token!);
		const elsewhere = new CollabClient(server.wsUrl, B.provider.configuration.name, other.token!);
		clients.push(elsewhere);
		await elsewhere.synced();

		expect((await u.api.post('/api/auth/logout')).status).toBe(200);
		await until(() => B.closes.includes('access-changed'), 'B closed for the logout');
		await until(() => B.authFailed !== null, 'the logged-out token is refused on re-authentication');

		// A further document on the same socket with the logged-out token is refused too.
		const c = await freshSection(`丙章节${++n}`);
		const C = new CollabClient(server.wsUrl, c.doc, u.api.token!, { socket: B.socket });
		clients.push(C);
		await until(() => C.authFailed !== null, 'new document with the logged-out token refused');

		// The user's other session still writes.
		elsewhere.appendParagraph('另一会话仍可写入');
		await elsewhere.confirmed();
		expect(elsewhere.closes).not.toContain('access-changed');
	});

	it('a connection made read-only and writable again, several times quickly, writes again without a new provider', async () => {
		const u = await freshEditor();
		const section = await freshSection(`往返章节${++n}`);
		const c = new CollabClient(server.wsUrl, section.doc, u.api.token!);
		clients.push(c);
		await c.synced();
		expect(c.scope).toBe('read-write');

		const toggle = async (unitIds: string[]) => expect((await admin.patch(`/api/users/${u.id}`, { unitIds })).status).toBe(200);
		// Each change observed by the client before the next one…
		for (let i = 0; i < 3; i++) {
			await toggle([]);
			await until(() => c.scope === 'readonly', `read-only after removal ${i}`);
			await toggle([unitId]);
			await until(() => c.scope === 'read-write', `writable after restoring ${i}`);
		}
		// …and changes faster than the client can follow.
		for (let i = 0; i < 5; i++) {
			await toggle([]);
			await toggle([unitId]);
		}
		await until(() => c.scope === 'read-write' && c.provider.isAuthenticated && c.provider.isSynced, 'writable and authenticated at the end');
		c.appendParagraph('往返之后的写入');
		await c.confirmed();
		expect(await contentOf(section.id)).toContain('往返之后的写入');
	});
});

describe('revoking access while an authentication is under way', () => {
	const harness = new InProcessCollab();
	beforeAll(() => harness.start());
	afterAll(() => harness.stop());

	/** The admin removes the user's unit (as `changeUser` does: the change, then the closing). */
	async function removeUnit(userId: string) {
		await harness.services.users.update(userId, { unitIds: [] });
		harness.collab.connections.closeUser(userId);
	}

	it('a connection that authenticated on rights revoked meanwhile is closed, and nothing it sent is stored', async () => {
		const u = await harness.freshEditor('inflight1', '设备监督管理司');
		const doc = u.sections[0].doc;
		harness.authGate.close(doc);
		const c = new CollabClient(harness.wsUrl, doc, u.token);
		try {
			await until(() => harness.authGate.entered > 0, 'authentication under way');
			c.appendParagraph('在途认证期间的写入'); // waits on the server for the answer
			await removeUnit(u.userId); // while the authentication still holds the old rights
			harness.authGate.open();

			await until(() => c.closes.includes('access-changed'), 'closed once established');
			await until(() => c.scope === 'readonly', 'authenticated again, read-only');
			expect(await harness.storedText(doc)).not.toContain('在途认证期间的写入');
			expect(harness.collab.hocuspocus.documents.get(doc)?.getXmlFragment('default').toString()).not.toContain('在途认证期间的写入');
		} finally {
			harness.authGate.open();
			c.destroy();
		}
	});

	it('an update queued before such an authentication finished is refused, even when it is handled first', async () => {
		const u = await harness.freshEditor('inflight2', '设备监督管理司');
		const doc = u.sections[1].doc;
		harness.authGate.close(doc);
		// A client that typed offline: on reconnecting, its update goes out before its authentication,
		// so it is the first message the new connection handles.
		const edit = new Y.Doc();
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText('排在认证前面的写入')]);
		edit.getXmlFragment('default').insert(0, [p]);
		const raw = new RawSocket(harness.wsUrl);
		try {
			await raw.opened;
			raw.send(frames.update(doc, Y.encodeStateAsUpdate(edit)));
			raw.send(frames.auth(doc, u.token));
			await until(() => harness.authGate.entered > 0, 'authentication under way');
			await removeUnit(u.userId);
			harness.authGate.open();

			await until(() => raw.syncStatuses().length > 0, 'the update answered');
			expect(raw.syncStatuses()).toEqual([false]);
			await until(() => raw.closeReasons().includes('access-changed'), 'closed once established');
			expect(await harness.storedText(doc)).not.toContain('排在认证前面的写入');
		} finally {
			harness.authGate.open();
			raw.close();
		}
	});

	it('messages a connection received before it was closed for an access change are not stored', async () => {
		const u = await harness.freshEditor('queued', '运输监督管理司');
		const doc = u.sections[0].doc;
		const c = new CollabClient(harness.wsUrl, doc, u.token);
		try {
			await c.synced();
			harness.appendGate.close(doc);
			c.appendParagraph('撤销前已在存储的写入');
			await until(() => harness.appendGate.entered === 1, 'the first update is being stored');
			c.appendParagraph('撤销前排队的写入甲');
			c.appendParagraph('撤销前排队的写入乙');
			// The two later updates have reached the server and wait behind the first one (the
			// connection's message queue is Hocuspocus-internal; read only to know when they are there).
			const connection = harness.collab.hocuspocus.documents.get(doc)!.getConnections()[0] as unknown as { messageQueue: unknown[] };
			await until(() => connection.messageQueue.length === 3, 'two updates queued behind the first');
			await removeUnit(u.userId);
			harness.appendGate.open();
			await until(() => c.scope === 'readonly', 'authenticated again, read-only');

			const text = await harness.storedText(doc);
			expect(text).toContain('撤销前已在存储的写入');
			expect(text).not.toContain('撤销前排队的写入');
		} finally {
			harness.appendGate.open();
			c.destroy();
		}
	});
});
