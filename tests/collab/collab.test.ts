import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';

describe('collaboration server', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let editor1: ApiClient;
	let editor2: ApiClient;
	let leader: ApiClient;
	let section: { id: string; doc: string };
	const clients: CollabClient[] = [];
	const client = (token: string, doc = section.doc) => {
		const c = new CollabClient(server.wsUrl, doc, token);
		clients.push(c);
		return c;
	};

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		editor1 = await signIn(server, 'shebei1');
		editor2 = await signIn(server, 'shebei2');
		leader = await signIn(server, 'shebei_leader');
		section = (await demoSection(admin, '设备监督管理司')).section;
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server.dispose();
	});

	it('converges concurrent edits from three clients', async () => {
		const [a, b, c] = [client(editor1.token!), client(editor2.token!), client(leader.token!)];
		await Promise.all([a.synced(), b.synced(), c.synced()]);
		expect(a.scope).toBe('read-write');
		a.typeInFirstParagraph(0, '甲');
		b.typeInFirstParagraph(0, '乙');
		c.typeInFirstParagraph(0, '丙');
		a.appendParagraph('甲追加的段落');
		b.appendParagraph('乙追加的段落');
		await Promise.all([a.confirmed(), b.confirmed(), c.confirmed()]);
		await until(() => a.text() === b.text() && b.text() === c.text() && a.text().includes('乙追加的段落') && c.text().includes('甲追加的段落'), 'convergence');
		for (const ch of ['甲', '乙', '丙']) expect(a.firstParagraphText().toString()).toContain(ch);
		const api = await admin.get(`/api/sections/${section.id}`);
		expect(JSON.stringify(api.body.content)).toContain('乙追加的段落');
	});

	it('refuses a bad token and an expired (logged-out) token', async () => {
		const bad = client('not-a-real-token');
		await until(() => bad.authFailed !== null, 'bad token refused');
		const gone = await signIn(server, 'shebei1');
		await gone.post('/api/auth/logout');
		const expired = client(gone.token!);
		await until(() => expired.authFailed !== null, 'logged-out token refused');
		expect(expired.provider.isSynced).toBe(false);
	});

	it('gives read-only access outside the unit and refuses its writes', async () => {
		const other = await signIn(server, 'kefa1');
		const ro = client(other.token!);
		await ro.synced();
		expect(ro.scope).toBe('readonly');
		ro.appendParagraph('越权写入');
		await new Promise((r) => setTimeout(r, 500));
		const api = await admin.get(`/api/sections/${section.id}`);
		expect(JSON.stringify(api.body.content)).not.toContain('越权写入');
	});

	it("closes a disabled user's open connection and refuses it afterwards", async () => {
		const temp = await admin.post('/api/users', { username: 'temp_editor', password: 'temp-password-1', displayName: '临时编辑', role: 'editor', unitId: (await demoSection(admin, '设备监督管理司')).unit.id });
		expect(temp.status).toBe(201);
		const tempApi = await signIn(server, 'temp_editor', 'temp-password-1');
		const c = client(tempApi.token!);
		await c.synced();
		expect(c.scope).toBe('read-write');
		const r = await admin.patch(`/api/users/${temp.body.id}`, { disabled: true });
		expect(r.status).toBe(200);
		await until(() => c.closes.includes('access-changed'), 'connection closed for the access change');
		await until(() => c.authFailed !== null, 'reconnect refused');
	});

	it('keeps every confirmed edit across a graceful restart', async () => {
		const a = client(editor1.token!);
		await a.synced();
		a.appendParagraph('重启前确认的修改');
		await a.confirmed();
		a.destroy();
		await server.restart('SIGTERM');
		const b = client(editor2.token!);
		await b.synced();
		expect(b.text()).toContain('重启前确认的修改');
	});

	it('keeps edits two clients saw confirmed when the server is killed with SIGKILL', async () => {
		const a = client(editor1.token!);
		const b = client(editor2.token!);
		await Promise.all([a.synced(), b.synced()]);
		a.appendParagraph('甲：确认后立即断电');
		b.typeInFirstParagraph(0, '【乙的修改】');
		await Promise.all([a.confirmed(), b.confirmed()]);
		await server.stop('SIGKILL');
		a.destroy();
		b.destroy();
		await server.start();
		const api = await admin.get(`/api/sections/${section.id}`);
		const text = JSON.stringify(api.body.content);
		expect(text).toContain('甲：确认后立即断电');
		expect(text).toContain('【乙的修改】');
		const c = client(leader.token!);
		await c.synced();
		expect(c.text()).toContain('甲：确认后立即断电');
	});
});
