import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ADMIN_PASSWORD, demoSection, signIn, type TestServer } from '../helpers/server.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';
import { DOC_MESSAGE } from '../../collab/protocol.ts';
import { Cluster } from './cluster.ts';

/**
 * Two instances behind one load balancer, on one PostgreSQL and one Redis (DESIGN.md §3:
 * DATABASE_URL, REDIS_URL): one section, clients on both, and what must hold across them.
 */
describe.skipIf(!Cluster.available())('two instances serving one section', () => {
	const cluster = new Cluster({ HOLIDAYS: '', ESCALATION_CHECK_MS: '100' });
	let a: TestServer;
	let b: TestServer;
	let section: { id: string; doc: string };
	let manualId: string;
	const clients: CollabClient[] = [];
	const client = (server: TestServer, token: string, doc = section.doc) => {
		const c = new CollabClient(server.wsUrl, doc, token);
		clients.push(c);
		return c;
	};
	const on = (server: TestServer, username: string) => signIn(server, username);

	beforeAll(async () => {
		await cluster.create();
		a = await cluster.instance().start();
		await cluster.recordAppends();
		b = await cluster.instance().start();
		const d = await demoSection(await on(a, 'admin'), '设备监督管理司');
		section = d.section;
		manualId = d.manual.id;
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await cluster.dispose();
	});

	it('publishes each edit itself to the other instances, not only its state vector', async () => {
		// What the peers hear on the document's channel: the typed words, in one trip through Redis.
		const listener = new Redis(cluster.backing.redisUrl);
		const heard: Buffer[] = [];
		listener.on('messageBuffer', (_channel: Buffer, message: Buffer) => heard.push(message));
		await listener.subscribe(`fangkong:collab:${section.doc}`);
		try {
			const writer = client(a, (await on(a, 'shebei1')).token!);
			await writer.synced();
			writer.appendParagraph('经由频道直接送达');
			await writer.confirmed();
			const words = Buffer.from('经由频道直接送达');
			await until(() => heard.some((m) => m.includes(words)), 'the edit itself on the channel');
		} finally {
			listener.disconnect();
		}
	});

	it('a client on each instance: both type, both converge, each edit is stored once', async () => {
		const [e1, e2] = await Promise.all([on(a, 'shebei1'), on(b, 'shebei2')]);
		const onA = client(a, e1.token!);
		const onB = client(b, e2.token!);
		await Promise.all([onA.synced(), onB.synced()]);
		for (let i = 0; i < 5; i++) {
			onA.typeInFirstParagraph(0, `甲${i}`);
			onB.appendParagraph(`乙在另一台实例上写的第${i}段`);
		}
		await Promise.all([onA.confirmed(), onB.confirmed()]);
		await until(() => onA.text() === onB.text() && onA.text().includes('乙在另一台实例上写的第4段') && onB.text().includes('甲4'), 'both clients converge');
		for (const c of [onA, onB]) {
			const perClock = await cluster.appendsPerClock(section.doc, c.doc.clientID);
			// Every clock of this client's edits appended exactly once, by the instance it typed on.
			expect(perClock.length).toBe(Y.getState(c.doc.store, c.doc.clientID));
			expect(new Set(perClock)).toEqual(new Set([1]));
		}
		// Read through either instance: the same stored text.
		for (const server of [a, b]) {
			const text = JSON.stringify((await (await on(server, 'admin')).get(`/api/sections/${section.id}`)).body.content);
			expect(text).toContain('乙在另一台实例上写的第4段');
			expect(text).toContain('甲4');
		}
	});

	it("shows each client the other instance's caret under the session's name", async () => {
		const [e1, e2] = await Promise.all([on(a, 'shebei1'), on(b, 'shebei2')]);
		const onA = client(a, e1.token!);
		const onB = client(b, e2.token!);
		await Promise.all([onA.synced(), onB.synced()]);
		const text = onA.firstParagraphText();
		const at = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, 1));
		onA.provider.setAwarenessField('cursor', { anchor: at, head: at });
		onA.provider.setAwarenessField('user', { id: 'forged', name: '冒名', color: '#000000' });
		const peer = () => onB.provider.awareness!.getStates().get(onA.doc.clientID) as { user?: { name: string }; cursor?: unknown } | undefined;
		await until(() => peer()?.cursor !== undefined, "A's caret reaches B");
		expect(peer()!.user!.name).toBe('设备司 林涛');
		expect(peer()!.cursor).toEqual({ anchor: at, head: at });
	});

	it('disabling a user on instance A closes their connection on instance B at once', async () => {
		const admin = await on(a, 'admin');
		const created = await admin.post('/api/users', { username: 'shebei_temp', password: 'temp-password', displayName: '设备司 临时', role: 'editor', unitId: (await demoSection(admin, '设备监督管理司')).unit.id });
		expect(created.status).toBe(201);
		const user = await new ApiClient(b.url).login('shebei_temp', 'temp-password');
		const onB = client(b, user.token!);
		await onB.synced();
		expect(onB.scope).toBe('read-write');
		expect((await admin.patch(`/api/users/${created.body.id}`, { disabled: true })).status).toBe(200);
		await until(() => onB.closes.includes('access-changed'), 'B closes the disabled user');
		await until(() => onB.authFailed !== null, 'B refuses the re-authentication');
		// And what the closed connection still sends is neither applied nor stored.
		onB.appendParagraph('停用之后仍想写入');
		const watcher = client(b, (await on(b, 'shebei1')).token!);
		await watcher.synced();
		expect(watcher.text()).not.toContain('停用之后仍想写入');
	});

	it('logging out on instance A ends that session’s connection on instance B', async () => {
		const session = await on(a, 'shebei2');
		const onB = client(b, session.token!);
		await onB.synced();
		expect((await session.post('/api/auth/logout')).status).toBe(200);
		await until(() => onB.authFailed !== null, 'B refuses the logged-out session');
	});

	it('a transition on instance A makes the unit’s connections on B read-only; a comment made on A reaches editors on B', async () => {
		const [editor, leader] = await Promise.all([on(b, 'shebei1'), on(a, 'shebei_leader')]);
		const onB = client(b, editor.token!);
		await onB.synced();
		expect(onB.scope).toBe('read-write');
		const notices: string[] = [];
		onB.provider.on('stateless', ({ payload }: { payload: string }) => notices.push(payload));
		const r = await leader.post(`/api/sections/${section.id}/transition`, { action: 'submit' });
		if (r.status !== 200) throw new Error(`submit: ${r.status} ${JSON.stringify(r.body)}`);
		await until(() => onB.scope === 'readonly', 'B re-authenticates read-only');
		// A comment made through A reaches the editor on B live.
		const coordinator = await on(a, 'jijian');
		const rowId = riskRowsOf((await coordinator.get(`/api/sections/${section.id}`)).body.content)[0].id;
		expect((await coordinator.post(`/api/sections/${section.id}/comments`, { anchor: { type: 'row', rowId }, body: '请补充防控措施。' })).status).toBe(201);
		await until(() => notices.some((n) => JSON.parse(n).type === DOC_MESSAGE.comments), 'the comments notice reaches B');
		expect((await coordinator.post(`/api/sections/${section.id}/transition`, { action: 'return', note: '退回修改' })).status).toBe(200);
		await until(() => onB.scope === 'read-write', 'B re-authenticates read-write');
	});

	it("an inbox signal raised on instance A reaches the user's event stream on instance B", async () => {
		const reader = await on(b, 'shebei1');
		const stream = await fetch(`${b.url}/api/events`, { headers: { authorization: `Bearer ${reader.token}` } });
		const body = stream.body!.getReader();
		let received = '';
		const reading = (async () => {
			for (;;) {
				const { value, done } = await body.read();
				if (done) return;
				received += new TextDecoder().decode(value);
			}
		})();
		await until(() => received.includes('retry:'), 'the stream is open');
		const sameUserOnA = await on(a, 'shebei1');
		expect((await sameUserOnA.post('/api/inbox/read', { ids: 'all' })).status).toBe(200);
		await until(() => received.includes('event: inbox'), 'the signal reaches B');
		await body.cancel();
		await reading.catch(() => {});
	});

	it('counts failed sign-ins on both instances together', async () => {
		const attempt = async (server: TestServer, password: string) => (await new ApiClient(server.url).post('/api/auth/login', { username: 'kefa2', password })).status;
		// Five failures, alternating: each instance saw fewer than the five that lock the account.
		for (let i = 0; i < 5; i++) expect(await attempt(i % 2 ? b : a, 'wrong-password')).toBe(401);
		for (const server of [a, b]) expect(await attempt(server, ADMIN_PASSWORD)).toBe(429);
	});

	it('escalates each overdue warning once, with both instances looking for overdue ones', async () => {
		const coordinator = await on(a, 'jijian');
		expect((await coordinator.post(`/api/manuals/${manualId}/phase`, { phase: 'improvement' })).status).toBe(200);
		// Many warnings due at one moment: both instances' rounds overlap on them.
		const dueAt = Date.now() + 1000;
		const ids: string[] = [];
		for (let i = 0; i < 20; i++) {
			const r = await coordinator.post(`/api/manuals/${manualId}/warnings`, {
				sectionId: section.id,
				source: '信访举报',
				subject: `检验机构${i}`,
				description: '群众反映检验结论出具拖延。',
				dueAt
			});
			expect(r.status).toBe(201);
			ids.push(r.body.id);
		}
		const mine = async () => (await coordinator.get(`/api/manuals/${manualId}/warnings`)).body.filter((x: { id: string }) => ids.includes(x.id));
		await until(async () => (await mine()).every((w: { stage: string }) => w.stage === 'talk'), 'automatic escalation', 20_000);
		// Both instances look every 100 ms: give each of them many more looks at them.
		await new Promise((r) => setTimeout(r, 1500));
		for (const w of await mine()) {
			expect(w.stage).toBe('talk');
			expect(w.history.filter((h: { kind: string }) => h.kind === 'escalate')).toHaveLength(1);
		}
	});
});
