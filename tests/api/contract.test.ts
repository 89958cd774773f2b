import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ApiClient, signIn, TestServer } from '../helpers/server.ts';
import type { RawDatabase } from '../helpers/database.ts';
import { sessionIdOf } from '../../server/auth/sessions.ts';
import { PHASES, ROLES, SECTION_STATES } from '../../server/db/schema.ts';

/**
 * The JSON API's contract (DESIGN.md §3 and the routes beside it), against one real server
 * process with the seeded demo manual. Every error is checked for the exact shape
 * {"error":{"code","message"}}, a Chinese message and no stack trace.
 */

const server = new TestServer();
let db: RawDatabase;

type Res = { status: number; headers: Headers; text: string; body: any };
type CallOptions = {
	token?: string | null;
	cookie?: string;
	/** JSON-encoded as the body, with content-type application/json. */
	json?: unknown;
	/** Sent as is; pair with contentType. */
	raw?: string;
	contentType?: string;
	origin?: string;
	headers?: Record<string, string>;
};

async function call(method: string, p: string, o: CallOptions = {}): Promise<Res> {
	const headers: Record<string, string> = { ...o.headers };
	if (o.token) headers.authorization = `Bearer ${o.token}`;
	if (o.cookie) headers.cookie = o.cookie;
	if (o.origin) headers.origin = o.origin;
	let body: string | undefined;
	if (o.json !== undefined) {
		body = JSON.stringify(o.json);
		headers['content-type'] = 'application/json';
	}
	if (o.raw !== undefined) body = o.raw;
	if (o.contentType) headers['content-type'] = o.contentType;
	const r = await fetch(server.url + p, { method, headers, body, redirect: 'manual' });
	const text = await r.text();
	let parsed: unknown = undefined;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		/* not JSON: the shape checks below will say so */
	}
	return { status: r.status, headers: r.headers, text, body: parsed };
}

const HAN = /[\u4e00-\u9fff]/;
const STACK = /\n\s+at\s|\bat\s+\S+\s+\(|node_modules|\.(?:ts|js):\d+|\bError:|TypeError|ReferenceError/;

/** Exactly `{"error":{"code","message"}}`, with the status, a Chinese message and no stack trace. */
function expectError(res: Res, status: number, code: string) {
	const where = `${status} ${code}: got ${res.status} ${res.text.slice(0, 300)}`;
	expect(res.status, where).toBe(status);
	expect(res.headers.get('content-type') ?? '', where).toMatch(/^application\/json/);
	expect(res.body, where).toBeTypeOf('object');
	expect(Object.keys(res.body), where).toEqual(['error']);
	expect(Object.keys(res.body.error).sort(), where).toEqual(['code', 'message']);
	expect(res.body.error.code, where).toBe(code);
	expect(res.body.error.message, where).toBeTypeOf('string');
	expect(res.body.error.message, where).toMatch(HAN);
	expect(res.text, where).not.toMatch(STACK);
}

const keys = (o: object) => Object.keys(o).sort();

let admin: ApiClient;
/** Signed-in demo accounts by username. */
const accounts: Record<string, ApiClient> = {};
const tokenOf = (username: string) => accounts[username].token!;

let manualId: string;
let outline: { id: string; title: string; phase: string; units: { id: string; name: string; sections: { id: string; title: string; doc: string; state: string }[] }[] };
const unitByName = (name: string) => outline.units.find((u) => u.name === name)!;
const firstSection = (unitName: string) => unitByName(unitName).sections[0];

/** A user created for one test (so tests that disable or re-password accounts stay independent). */
let tempN = 0;
async function tempUser(role: string = 'editor', unitId?: string) {
	const username = `temp_${role}_${++tempN}`;
	const password = `temp-password-${tempN}`;
	const r = await admin.post('/api/users', { username, password, displayName: `临时用户${tempN}`, role, ...(unitId ? { unitId } : {}) });
	expect(r.status, JSON.stringify(r.body)).toBe(201);
	const login = await call('POST', '/api/auth/login', { json: { username, password } });
	expect(login.status).toBe(200);
	return { id: r.body.id as string, username, password, token: login.body.token as string };
}

const DEMO_ROLES: Record<string, string> = {
	admin: 'admin',
	jijian: 'coordinator',
	zhuanjia: 'expert',
	dangzu: 'party',
	duzhe: 'reader',
	kefa1: 'editor',
	kefa2: 'editor',
	kefa_leader: 'leader',
	yunshu1: 'editor',
	shebei1: 'editor',
	shebei_leader: 'leader'
};

beforeAll(async () => {
	await server.start();
	for (const username of Object.keys(DEMO_ROLES)) accounts[username] = await signIn(server, username);
	admin = accounts.admin;
	const manuals = await admin.get('/api/manuals');
	manualId = manuals.body[0].id;
	outline = (await admin.get(`/api/manuals/${manualId}`)).body;
	db = await server.database();
});

afterAll(async () => {
	await db?.close();
	await server.dispose();
});

const sessionRow = async (token: string) =>
	(await db.query('SELECT id, user_id, expires_at FROM sessions WHERE id = ?', [sessionIdOf(token)]))[0] as
		| { id: string; user_id: string; expires_at: number }
		| undefined;

describe('GET /healthz', () => {
	it('answers 200 {"ok":true} without a session', async () => {
		const r = await call('GET', '/healthz');
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toMatch(/^application\/json/);
		expect(r.body).toEqual({ ok: true });
	});
});

describe('POST /api/auth/login', () => {
	it('answers 200 {token, user:{id,username,role}} and sets an HttpOnly SameSite session cookie', async () => {
		const r = await call('POST', '/api/auth/login', { json: { username: 'admin', password: ADMIN_PASSWORD } });
		expect(r.status).toBe(200);
		expect(keys(r.body)).toEqual(['token', 'user']);
		expect(r.body.token).toMatch(/^[a-z2-7]{20,}$/);
		expect(keys(r.body.user)).toEqual(['id', 'role', 'username']);
		expect(r.body.user).toMatchObject({ username: 'admin', role: 'admin' });
		expect(r.body.user.id).toBeTypeOf('string');

		const cookies = r.headers.getSetCookie();
		const session = cookies.find((c) => c.startsWith('fk_session='));
		expect(session, cookies.join('\n')).toBeDefined();
		expect(session!.split(';')[0]).toBe(`fk_session=${r.body.token}`);
		expect(session).toMatch(/;\s*HttpOnly/i);
		expect(session).toMatch(/;\s*SameSite=(Lax|Strict)/i);
		expect(session).toMatch(/;\s*Path=\//i);
		expect(session).toMatch(/;\s*(Expires|Max-Age)=/i);
	});

	it('gives every demo account its role', async () => {
		for (const [username, role] of Object.entries(DEMO_ROLES)) {
			const r = await call('POST', '/api/auth/login', { json: { username, password: ADMIN_PASSWORD } });
			expect(r.status, username).toBe(200);
			expect(r.body.user, username).toMatchObject({ username, role });
		}
	});

	it('issues a token that works at once, a new one per login', async () => {
		const a = await call('POST', '/api/auth/login', { json: { username: 'kefa1', password: ADMIN_PASSWORD } });
		const b = await call('POST', '/api/auth/login', { json: { username: 'kefa1', password: ADMIN_PASSWORD } });
		expect(a.body.token).not.toBe(b.body.token);
		for (const t of [a.body.token, b.body.token]) {
			const me = await call('GET', '/api/me', { token: t });
			expect(me.status).toBe(200);
			expect(me.body.username).toBe('kefa1');
		}
	});

	it('answers 401 on a wrong password or an unknown user, and sets no cookie', async () => {
		for (const body of [
			{ username: 'admin', password: 'wrong-password' },
			{ username: 'nobody', password: ADMIN_PASSWORD },
			{ username: 'ADMIN', password: ADMIN_PASSWORD }
		]) {
			const r = await call('POST', '/api/auth/login', { json: body });
			expectError(r, 401, 'unauthorized');
			expect(r.headers.getSetCookie().filter((c) => /^fk_session=[^;]/.test(c))).toEqual([]);
		}
	});

	it('answers 400 on a bad or missing JSON body', async () => {
		const cases: CallOptions[] = [
			{ raw: '{"username":"admin",', contentType: 'application/json' },
			{ raw: 'not json at all', contentType: 'application/json' },
			{ contentType: 'application/json' },
			{}, // no body and no content type at all
			{ json: {} },
			{ json: { username: 'admin' } },
			{ json: { password: ADMIN_PASSWORD } },
			{ json: { username: '', password: '' } },
			{ json: { username: 123, password: ADMIN_PASSWORD } },
			{ json: { username: 'admin', password: ['x'] } },
			{ json: [] },
			{ json: null },
			{ json: 'admin' }
		];
		for (const c of cases) {
			const r = await call('POST', '/api/auth/login', c);
			expectError(r, 400, 'bad_request');
		}
	});
});

describe('POST /api/auth/logout', () => {
	it('ends a bearer session', async () => {
		const c = await signIn(server, 'kefa2');
		const r = await call('POST', '/api/auth/logout', { token: c.token });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ ok: true });
		expect(await sessionRow(c.token!)).toBeUndefined();
		expectError(await call('GET', '/api/me', { token: c.token }), 401, 'unauthorized');
	});

	it('ends a cookie session from the app’s own pages and clears the cookie', async () => {
		const c = await signIn(server, 'kefa2');
		const r = await call('POST', '/api/auth/logout', { cookie: `fk_session=${c.token}`, origin: server.url });
		expect(r.status).toBe(200);
		const cleared = r.headers.getSetCookie().find((c) => c.startsWith('fk_session='));
		expect(cleared).toMatch(/^fk_session=;|Max-Age=0|Expires=Thu, 01 Jan 1970/i);
		expectError(await call('GET', '/api/me', { cookie: `fk_session=${c.token}` }), 401, 'unauthorized');
	});

	it('is harmless without a session', async () => {
		const r = await call('POST', '/api/auth/logout');
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ ok: true });
	});

	it('refuses a cross-site form post that rides on the cookie, in the JSON error shape', async () => {
		const c = await signIn(server, 'kefa2');
		for (const o of [
			{ cookie: `fk_session=${c.token}`, origin: 'https://evil.example' },
			{ cookie: `fk_session=${c.token}`, origin: 'https://evil.example', raw: 'a=b', contentType: 'application/x-www-form-urlencoded' },
			{ cookie: `fk_session=${c.token}` } // no Origin: not from a page of ours
		]) {
			const r = await call('POST', '/api/auth/logout', o);
			expectError(r, 403, 'forbidden');
		}
		// The session survived the forged requests.
		expect((await call('GET', '/api/me', { token: c.token })).status).toBe(200);
	});
});

describe('GET /api/me', () => {
	it('returns the signed-in user with role and units', async () => {
		const r = await call('GET', '/api/me', { token: tokenOf('kefa1') });
		expect(r.status).toBe(200);
		expect(keys(r.body)).toEqual(['displayName', 'id', 'role', 'unitIds', 'username']);
		expect(r.body).toMatchObject({ username: 'kefa1', role: 'editor', unitIds: [unitByName('科技与法制司').id] });
		expect(r.body.displayName).toMatch(HAN);
		const a = await call('GET', '/api/me', { token: tokenOf('admin') });
		expect(a.body).toMatchObject({ username: 'admin', role: 'admin', unitIds: [] });
	});

	it('answers 401 without a session, with a bad token or a non-bearer authorization', async () => {
		expectError(await call('GET', '/api/me'), 401, 'unauthorized');
		expectError(await call('GET', '/api/me', { token: 'definitely-not-a-token' }), 401, 'unauthorized');
		expectError(await call('GET', '/api/me', { token: 'x'.repeat(500) }), 401, 'unauthorized');
		expectError(await call('GET', '/api/me', { headers: { authorization: `Basic ${tokenOf('admin')}` } }), 401, 'unauthorized');
		expectError(await call('GET', '/api/me', { cookie: 'fk_session=forged' }), 401, 'unauthorized');
	});
});

describe('POST /api/users', () => {
	it('creates a user (201 {id}) who can sign in with the role and unit given', async () => {
		const unitId = unitByName('运输监督管理司').id;
		const r = await call('POST', '/api/users', {
			token: tokenOf('admin'),
			json: { username: 'new.editor', password: 'new-password-1', displayName: '新编辑', role: 'editor', unitId }
		});
		expect(r.status).toBe(201);
		expect(keys(r.body)).toEqual(['id']);
		expect(r.body.id).toBeTypeOf('string');
		const view = await call('GET', `/api/users/${r.body.id}`, { token: tokenOf('admin') });
		expect(view.body).toEqual({ id: r.body.id, username: 'new.editor', displayName: '新编辑', role: 'editor', disabled: false, unitIds: [unitId] });
		const login = await call('POST', '/api/auth/login', { json: { username: 'new.editor', password: 'new-password-1' } });
		expect(login.status).toBe(200);
		expect(login.body.user).toEqual({ id: r.body.id, username: 'new.editor', role: 'editor' });
	});

	it('accepts every role of §3, with or without a unit', async () => {
		expect([...ROLES].sort()).toEqual(['admin', 'coordinator', 'editor', 'expert', 'leader', 'party', 'reader']);
		for (const role of ROLES) {
			const r = await call('POST', '/api/users', {
				token: tokenOf('admin'),
				json: { username: `role-${role}`, password: 'role-password', displayName: `角色${role}`, role, unitId: null }
			});
			expect(r.status, `${role}: ${r.text}`).toBe(201);
			const login = await call('POST', '/api/auth/login', { json: { username: `role-${role}`, password: 'role-password' } });
			expect(login.body.user.role).toBe(role);
		}
	});

	it('answers 400 on bad bodies, with a message saying what is wrong', async () => {
		const good = { username: 'bad.body', password: 'good-password', displayName: '测试', role: 'reader' };
		const cases: [CallOptions, RegExp?][] = [
			[{ raw: '{', contentType: 'application/json' }, /JSON/],
			[{ contentType: 'application/json' }, /JSON/],
			[{ json: {} }],
			[{ json: [] }],
			[{ json: { ...good, username: undefined } }, /用户名/],
			[{ json: { ...good, username: 'x' } }, /用户名/],
			[{ json: { ...good, username: '用户甲' } }, /用户名/],
			[{ json: { ...good, username: 'a'.repeat(41) } }, /用户名/],
			[{ json: { ...good, password: 'short' } }, /密码/],
			[{ json: { ...good, password: 12345678 } }, /密码/],
			[{ json: { ...good, displayName: '   ' } }, /姓名/],
			[{ json: { ...good, displayName: undefined } }, /姓名/],
			[{ json: { ...good, role: 'superuser' } }, /角色/],
			[{ json: { ...good, role: undefined } }, /角色/],
			[{ json: { ...good, unitId: 'no-such-unit' } }, /单位/],
			[{ json: { ...good, unitId: 42 } }]
		];
		for (const [c, message] of cases) {
			const r = await call('POST', '/api/users', { token: tokenOf('admin'), ...c });
			expectError(r, 400, 'bad_request');
			if (message) expect(r.body.error.message, JSON.stringify(c)).toMatch(message);
		}
		// None of them created the account.
		const list = await call('GET', '/api/users', { token: tokenOf('admin') });
		expect(list.body.map((u: { username: string }) => u.username)).not.toContain('bad.body');
	});

	it('answers 409 for a username already in use', async () => {
		const r = await call('POST', '/api/users', {
			token: tokenOf('admin'),
			json: { username: 'kefa1', password: 'some-password', displayName: '重名', role: 'editor' }
		});
		expectError(r, 409, 'conflict');
		expect(r.body.error.message).toContain('kefa1');
	});

	it('answers 403 to every other role and 401 without a session', async () => {
		const body = { username: 'not.allowed', password: 'some-password', displayName: '越权', role: 'admin' };
		for (const username of Object.keys(DEMO_ROLES).filter((u) => u !== 'admin')) {
			expectError(await call('POST', '/api/users', { token: tokenOf(username), json: body }), 403, 'forbidden');
		}
		expectError(await call('POST', '/api/users', { json: body }), 401, 'unauthorized');
		const list = await call('GET', '/api/users', { token: tokenOf('admin') });
		expect(list.body.map((u: { username: string }) => u.username)).not.toContain('not.allowed');
	});
});

describe('GET /api/users', () => {
	it('lists accounts for an admin, without password hashes', async () => {
		const r = await call('GET', '/api/users', { token: tokenOf('admin') });
		expect(r.status).toBe(200);
		expect(Array.isArray(r.body)).toBe(true);
		const names = r.body.map((u: { username: string }) => u.username);
		for (const u of Object.keys(DEMO_ROLES)) expect(names).toContain(u);
		for (const u of r.body) expect(keys(u)).toEqual(['disabled', 'displayName', 'id', 'role', 'unitIds', 'username']);
		expect(r.text).not.toMatch(/argon2|password/i);
	});

	it('answers 403 to other roles and 401 without a session', async () => {
		for (const username of ['jijian', 'kefa_leader', 'duzhe']) expectError(await call('GET', '/api/users', { token: tokenOf(username) }), 403, 'forbidden');
		expectError(await call('GET', '/api/users'), 401, 'unauthorized');
	});
});

describe('GET/PATCH /api/users/:id', () => {
	it('reads a user for an admin', async () => {
		const me = await call('GET', '/api/me', { token: tokenOf('shebei_leader') });
		const r = await call('GET', `/api/users/${me.body.id}`, { token: tokenOf('admin') });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ id: me.body.id, username: 'shebei_leader', role: 'leader', disabled: false, unitIds: me.body.unitIds });
	});

	it('changes name, role and units', async () => {
		const u = await tempUser('editor', unitByName('科技与法制司').id);
		const target = unitByName('设备监督管理司').id;
		const r = await call('PATCH', `/api/users/${u.id}`, { token: tokenOf('admin'), json: { displayName: '改名后', role: 'leader', unitIds: [target] } });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ id: u.id, displayName: '改名后', role: 'leader', unitIds: [target], disabled: false });
		const me = await call('GET', '/api/me', { token: u.token });
		expect(me.body).toMatchObject({ role: 'leader', unitIds: [target] });
	});

	it('ends the sessions of a user whose password changed', async () => {
		const u = await tempUser();
		const r = await call('PATCH', `/api/users/${u.id}`, { token: tokenOf('admin'), json: { password: 'changed-password' } });
		expect(r.status).toBe(200);
		expectError(await call('GET', '/api/me', { token: u.token }), 401, 'unauthorized');
		expect((await call('POST', '/api/auth/login', { json: { username: u.username, password: 'changed-password' } })).status).toBe(200);
	});

	it('answers 404 for an unknown id', async () => {
		expectError(await call('GET', '/api/users/no-such-user', { token: tokenOf('admin') }), 404, 'not_found');
		expectError(await call('PATCH', '/api/users/no-such-user', { token: tokenOf('admin'), json: { displayName: '无' } }), 404, 'not_found');
	});

	it('answers 400 on a bad patch, and on an admin locking themself out', async () => {
		const u = await tempUser();
		for (const json of [{ role: 'root' }, { disabled: 'yes' }, { unitIds: ['no-such-unit'] }, { unitIds: 'x' }, { password: 'short' }, { displayName: '' }])
			expectError(await call('PATCH', `/api/users/${u.id}`, { token: tokenOf('admin'), json }), 400, 'bad_request');
		expectError(await call('PATCH', `/api/users/${u.id}`, { token: tokenOf('admin'), raw: 'nope', contentType: 'application/json' }), 400, 'bad_request');
		const adminId = (await call('GET', '/api/me', { token: tokenOf('admin') })).body.id;
		expectError(await call('PATCH', `/api/users/${adminId}`, { token: tokenOf('admin'), json: { disabled: true } }), 400, 'bad_request');
		expectError(await call('PATCH', `/api/users/${adminId}`, { token: tokenOf('admin'), json: { role: 'reader' } }), 400, 'bad_request');
		expect((await call('GET', '/api/me', { token: tokenOf('admin') })).body.role).toBe('admin');
	});

	it('answers 403 to other roles (also on their own account) and 401 without a session', async () => {
		const me = await call('GET', '/api/me', { token: tokenOf('kefa1') });
		expectError(await call('GET', `/api/users/${me.body.id}`, { token: tokenOf('kefa1') }), 403, 'forbidden');
		expectError(await call('PATCH', `/api/users/${me.body.id}`, { token: tokenOf('kefa1'), json: { role: 'admin' } }), 403, 'forbidden');
		expectError(await call('PATCH', `/api/users/${me.body.id}`, { token: tokenOf('jijian'), json: { disabled: true } }), 403, 'forbidden');
		expectError(await call('GET', `/api/users/${me.body.id}`), 401, 'unauthorized');
		expectError(await call('PATCH', `/api/users/${me.body.id}`, { json: { role: 'admin' } }), 401, 'unauthorized');
		expect((await call('GET', '/api/me', { token: tokenOf('kefa1') })).body.role).toBe('editor');
	});
});

describe('/api/units', () => {
	it('lists units to every signed-in role', async () => {
		for (const username of ['admin', 'duzhe', 'kefa1', 'zhuanjia']) {
			const r = await call('GET', '/api/units', { token: tokenOf(username) });
			expect(r.status, username).toBe(200);
			const names = r.body.map((u: { name: string }) => u.name);
			expect(names).toEqual(expect.arrayContaining(['科技与法制司', '运输监督管理司', '设备监督管理司']));
			for (const u of r.body) expect(keys(u)).toEqual(['id', 'memberCount', 'name', 'position', 'sectionCount']);
		}
		const units = (await call('GET', '/api/units', { token: tokenOf('admin') })).body;
		const kefa = units.find((u: { name: string }) => u.name === '科技与法制司');
		expect(kefa.id).toBe(unitByName('科技与法制司').id);
		expect(kefa.sectionCount).toBe(unitByName('科技与法制司').sections.length);
		expect(kefa.memberCount).toBeGreaterThanOrEqual(3);
		expectError(await call('GET', '/api/units'), 401, 'unauthorized');
	});

	it('creates, renames and deletes a unit (admin)', async () => {
		const created = await call('POST', '/api/units', { token: tokenOf('admin'), json: { name: '  综合司  ' } });
		expect(created.status).toBe(201);
		expect(keys(created.body)).toEqual(['id']);
		const id = created.body.id;
		let list = (await call('GET', '/api/units', { token: tokenOf('admin') })).body;
		expect(list.find((u: { id: string }) => u.id === id)).toMatchObject({ name: '综合司', memberCount: 0, sectionCount: 0 });

		const renamed = await call('PATCH', `/api/units/${id}`, { token: tokenOf('admin'), json: { name: '综合监督司' } });
		expect(renamed.status).toBe(200);
		expect(renamed.body).toEqual({ ok: true });
		// Renaming to its own name is no conflict.
		expect((await call('PATCH', `/api/units/${id}`, { token: tokenOf('admin'), json: { name: '综合监督司' } })).status).toBe(200);
		list = (await call('GET', '/api/units', { token: tokenOf('admin') })).body;
		expect(list.find((u: { id: string }) => u.id === id).name).toBe('综合监督司');

		const deleted = await call('DELETE', `/api/units/${id}`, { token: tokenOf('admin') });
		expect(deleted.status).toBe(204);
		expect(deleted.text).toBe('');
		list = (await call('GET', '/api/units', { token: tokenOf('admin') })).body;
		expect(list.map((u: { id: string }) => u.id)).not.toContain(id);
		expectError(await call('DELETE', `/api/units/${id}`, { token: tokenOf('admin') }), 404, 'not_found');
	});

	it('answers 400 on bad bodies and 409 on a taken name', async () => {
		for (const c of [{ json: {} }, { json: { name: '' } }, { json: { name: '   ' } }, { json: { name: 7 } }, { json: { name: '司'.repeat(61) } }, { raw: '{', contentType: 'application/json' }] as CallOptions[])
			expectError(await call('POST', '/api/units', { token: tokenOf('admin'), ...c }), 400, 'bad_request');
		const r = await call('POST', '/api/units', { token: tokenOf('admin'), json: { name: '科技与法制司' } });
		expectError(r, 409, 'conflict');
		expect(r.body.error.message).toContain('科技与法制司');

		const spare = (await call('POST', '/api/units', { token: tokenOf('admin'), json: { name: '备用司' } })).body.id;
		expectError(await call('PATCH', `/api/units/${spare}`, { token: tokenOf('admin'), json: { name: '运输监督管理司' } }), 409, 'conflict');
		expectError(await call('PATCH', `/api/units/${spare}`, { token: tokenOf('admin'), json: { name: '' } }), 400, 'bad_request');
		expectError(await call('PATCH', '/api/units/no-such-unit', { token: tokenOf('admin'), json: { name: '不存在司' } }), 404, 'not_found');
		expectError(await call('DELETE', '/api/units/no-such-unit', { token: tokenOf('admin') }), 404, 'not_found');
	});

	it('refuses to delete a unit that has sections in a manual (409)', async () => {
		const unit = unitByName('设备监督管理司');
		expectError(await call('DELETE', `/api/units/${unit.id}`, { token: tokenOf('admin') }), 409, 'conflict');
		expect((await call('GET', `/api/manuals/${manualId}`, { token: tokenOf('admin') })).body.units.map((u: { id: string }) => u.id)).toContain(unit.id);
	});

	it('refuses to delete a unit that still has members, or sections only in a recycle bin (409), and keeps them', async () => {
		const staffed = (await call('POST', '/api/units', { token: tokenOf('admin'), json: { name: '有成员的司' } })).body.id;
		const member = await tempUser('editor', staffed);
		const r = await call('DELETE', `/api/units/${staffed}`, { token: tokenOf('admin') });
		expectError(r, 409, 'conflict');
		expect(r.body.error.message).toContain('1 名成员');
		expect((await admin.get(`/api/users/${member.id}`)).body.unitIds).toEqual([staffed]);
		// Moved out, the unit holds nothing and can go.
		expect((await admin.patch(`/api/users/${member.id}`, { unitIds: [] })).status).toBe(200);
		expect((await call('DELETE', `/api/units/${staffed}`, { token: tokenOf('admin') })).status).toBe(204);

		const binned = (await call('POST', '/api/units', { token: tokenOf('admin'), json: { name: '只剩回收站的司' } })).body.id;
		// In a manual of its own, so the demo manual's outline stays as the other tests expect it.
		const spare = (await call('POST', '/api/manuals', { token: tokenOf('admin'), json: { title: '单位删除测试手册' } })).body.id;
		expect((await call('POST', `/api/manuals/${spare}/units`, { token: tokenOf('admin'), json: { unitId: binned } })).status).toBe(201);
		const section = await call('POST', `/api/manuals/${spare}/sections`, { token: tokenOf('admin'), json: { unitId: binned, title: '回收站里的事项' } });
		expect(section.status).toBe(201);
		expect((await call('DELETE', `/api/sections/${section.body.id}`, { token: tokenOf('admin') })).status).toBe(204);
		const refused = await call('DELETE', `/api/units/${binned}`, { token: tokenOf('admin') });
		expectError(refused, 409, 'conflict');
		expect(refused.body.error.message).toContain('回收站');
		expect((await call('GET', '/api/units', { token: tokenOf('admin') })).body.map((u: { id: string }) => u.id)).toContain(binned);
	});

	it('lets the coordinator manage units too', async () => {
		const token = tokenOf('jijian');
		const created = await call('POST', '/api/units', { token, json: { name: '纪检协调司' } });
		expect(created.status).toBe(201);
		expect((await call('PATCH', `/api/units/${created.body.id}`, { token, json: { name: '纪检协调二司' } })).status).toBe(200);
		expect((await call('DELETE', `/api/units/${created.body.id}`, { token })).status).toBe(204);
	});

	it('answers 403 to other roles and 401 without a session on writes', async () => {
		const unit = unitByName('科技与法制司');
		for (const username of ['zhuanjia', 'dangzu', 'kefa1', 'kefa_leader', 'duzhe']) {
			const token = tokenOf(username);
			expectError(await call('POST', '/api/units', { token, json: { name: '越权司' } }), 403, 'forbidden');
			expectError(await call('PATCH', `/api/units/${unit.id}`, { token, json: { name: '越权改名' } }), 403, 'forbidden');
			expectError(await call('DELETE', `/api/units/${unit.id}`, { token }), 403, 'forbidden');
		}
		expectError(await call('POST', '/api/units', { json: { name: '匿名司' } }), 401, 'unauthorized');
		expectError(await call('PATCH', `/api/units/${unit.id}`, { json: { name: '匿名改名' } }), 401, 'unauthorized');
		expectError(await call('DELETE', `/api/units/${unit.id}`), 401, 'unauthorized');
		const names = (await call('GET', '/api/units', { token: tokenOf('admin') })).body.map((u: { name: string }) => u.name);
		expect(names).toContain('科技与法制司');
		expect(names).not.toContain('越权司');
		expect(names).not.toContain('匿名司');
	});
});

describe('GET /api/manuals', () => {
	it('lists manuals as [{id,title,phase}] to every role', async () => {
		for (const username of Object.keys(DEMO_ROLES)) {
			const r = await call('GET', '/api/manuals', { token: tokenOf(username) });
			expect(r.status, username).toBe(200);
			expect(Array.isArray(r.body)).toBe(true);
			expect(r.body.length).toBeGreaterThanOrEqual(1);
			for (const m of r.body) {
				expect(keys(m)).toEqual(['id', 'phase', 'title']);
				expect(PHASES).toContain(m.phase);
			}
		}
		const r = await call('GET', '/api/manuals', { token: tokenOf('admin') });
		expect(r.body[0]).toEqual({ id: manualId, title: '国家铁路局行政许可廉政风险防控手册', phase: 'self_check' });
		expectError(await call('GET', '/api/manuals'), 401, 'unauthorized');
	});
});

describe('GET /api/manuals/:id', () => {
	it('returns {id,title,phase,units:[{id,name,sections:[{id,title,doc,state}]}]}', async () => {
		const r = await call('GET', `/api/manuals/${manualId}`, { token: tokenOf('jijian') });
		expect(r.status).toBe(200);
		expect(keys(r.body)).toEqual(['id', 'phase', 'title', 'units']);
		expect(r.body).toMatchObject({ id: manualId, title: '国家铁路局行政许可廉政风险防控手册', phase: 'self_check' });
		expect(r.body.units.map((u: { name: string }) => u.name)).toEqual(['科技与法制司', '运输监督管理司', '设备监督管理司']);
		const docs = new Set<string>();
		for (const u of r.body.units) {
			expect(keys(u)).toEqual(['id', 'name', 'sections']);
			expect(u.sections.length).toBeGreaterThanOrEqual(1);
			for (const s of u.sections) {
				expect(keys(s)).toEqual(['doc', 'id', 'state', 'title']);
				expect(s.doc).toBe(`section:${s.id}`);
				expect(SECTION_STATES).toContain(s.state);
				expect(s.title).toMatch(HAN);
				docs.add(s.doc);
			}
		}
		expect(docs.size).toBe(r.body.units.flatMap((u: { sections: unknown[] }) => u.sections).length);
	});

	it('answers 404 for an unknown manual and 401 without a session', async () => {
		expectError(await call('GET', '/api/manuals/no-such-manual', { token: tokenOf('admin') }), 404, 'not_found');
		expectError(await call('GET', `/api/manuals/${manualId}`), 401, 'unauthorized');
	});
});

describe('GET /api/sections/:id', () => {
	it('returns {id,title,doc,state,content} with ProseMirror JSON content, for every section', async () => {
		for (const unit of outline.units)
			for (const s of unit.sections) {
				const r = await call('GET', `/api/sections/${s.id}`, { token: tokenOf('zhuanjia') });
				expect(r.status, s.title).toBe(200);
				expect(Object.keys(r.body)).toEqual(expect.arrayContaining(['id', 'title', 'doc', 'state', 'content']));
				expect(r.body).toMatchObject({ id: s.id, title: s.title, doc: s.doc, state: s.state });
				expect(r.body.content.type).toBe('doc');
				expect(Array.isArray(r.body.content.content)).toBe(true);
				expect(r.body.content.content.length).toBeGreaterThan(0);
				for (const block of r.body.content.content) expect(block.type).toBeTypeOf('string');
				expect(r.text).toMatch(HAN);
			}
	});

	it('lets every role but reader read a draft section, also of another unit', async () => {
		const s = firstSection('运输监督管理司');
		expect(s.state).toBe('draft');
		for (const username of ['admin', 'jijian', 'zhuanjia', 'dangzu', 'kefa1', 'kefa_leader', 'yunshu1'])
			expect((await call('GET', `/api/sections/${s.id}`, { token: tokenOf(username) })).status, username).toBe(200);
	});

	it('answers 403 to a reader on a draft section', async () => {
		const s = firstSection('科技与法制司');
		const r = await call('GET', `/api/sections/${s.id}`, { token: tokenOf('duzhe') });
		expectError(r, 403, 'forbidden');
		expect(r.text).not.toContain('content');
	});

	it('shows a reader no unpublished section in the outline', async () => {
		const hidden = (await call('GET', `/api/manuals/${manualId}`, { token: tokenOf('duzhe') })).body;
		expect(hidden.units.length).toBe(outline.units.length);
		expect(hidden.units.flatMap((u: { sections: unknown[] }) => u.sections)).toEqual([]);

		// Publishing (and what readers then see) is driven through the workflow in tests/api/editions.test.ts.
	});

	it('answers 404 for an unknown or deleted section and 401 without a session', async () => {
		expectError(await call('GET', '/api/sections/no-such-section', { token: tokenOf('admin') }), 404, 'not_found');
		const s = firstSection('科技与法制司');
		expectError(await call('GET', `/api/sections/${s.id}`), 401, 'unauthorized');
		expect((await call('DELETE', `/api/sections/${s.id}`, { token: tokenOf('jijian') })).status).toBe(204);
		try {
			expectError(await call('GET', `/api/sections/${s.id}`, { token: tokenOf('admin') }), 404, 'not_found');
		} finally {
			expect((await call('POST', `/api/sections/${s.id}/restore`, { token: tokenOf('jijian') })).status).toBe(200);
		}
		expect((await call('GET', `/api/sections/${s.id}`, { token: tokenOf('admin') })).status).toBe(200);
	});
});

describe('API errors beyond the routes', () => {
	it('answers 404 JSON for unknown API paths, with any method, signed in or not', async () => {
		for (const p of ['/api/whatever', '/api/whatever/deeper/still', '/api/manuals/x/y', '/api/sections'])
			for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
				expectError(await call(method, p, { token: tokenOf('admin') }), 404, 'not_found');
				expectError(await call(method, p), 404, 'not_found');
			}
	});

	it('answers 405 JSON for a method a route does not support', async () => {
		for (const [method, p] of [
			['DELETE', '/api/manuals'],
			['POST', '/api/me'],
			['PUT', `/api/users/x`],
			['PUT', `/api/sections/x`],
			['GET', '/api/auth/login'],
			['PUT', '/api/units']
		]) {
			const r = await call(method, p, { token: tokenOf('admin') });
			expectError(r, 405, 'method_not_allowed');
			expect(r.headers.get('allow') ?? '', `${method} ${p}`).not.toContain(method);
			expect(r.headers.get('allow') ?? '', `${method} ${p}`).toMatch(/\b(GET|POST|PATCH|DELETE)\b/);
		}
		// Reshaping the answer keeps its other headers, such as the refreshed session cookie.
		const r = await call('DELETE', '/api/manuals', { cookie: `fk_session=${tokenOf('kefa1')}`, origin: server.url });
		expectError(r, 405, 'method_not_allowed');
		expect(r.headers.get('allow')).toContain('GET');
		expect(r.headers.getSetCookie().find((c) => c.startsWith('fk_session='))).toMatch(new RegExp(`^fk_session=${tokenOf('kefa1')};`));
	});

	it('guards the manual-management routes: 401 without a session, 403 for a reader, JSON either way', async () => {
		const s = firstSection('科技与法制司');
		const routes: [string, string, unknown?][] = [
			['POST', '/api/manuals', { title: '越权手册' }],
			['POST', `/api/manuals/${manualId}/sections`, { unitId: unitByName('科技与法制司').id, title: '越权章节' }],
			['POST', `/api/manuals/${manualId}/units`, { unitId: unitByName('科技与法制司').id }],
			['GET', `/api/manuals/${manualId}/trash`],
			['PATCH', `/api/sections/${s.id}`, { title: '越权改名' }],
			['DELETE', `/api/sections/${s.id}`],
			['POST', `/api/sections/${s.id}/restore`]
		];
		for (const [method, p, json] of routes) {
			expectError(await call(method, p, { json }), 401, 'unauthorized');
			expectError(await call(method, p, { json, token: tokenOf('duzhe') }), 403, 'forbidden');
		}
		const after = await call('GET', `/api/sections/${s.id}`, { token: tokenOf('admin') });
		expect(after.body.title).toBe(s.title);
	});

	it('answers 400 JSON for a malformed URL', async () => {
		expectError(await call('GET', '/api/sections/%E0%A4%A', { token: tokenOf('admin') }), 400, 'bad_request');
	});

	it('answers 413 JSON for a body over the size limit', async () => {
		const r = await call('POST', '/api/units', { token: tokenOf('admin'), json: { name: 'x'.repeat(1024 * 1024) } });
		expectError(r, 413, 'payload_too_large');
	});
});

describe('authentication', () => {
	/** Every GET route of the API, with ids that exist. */
	const readRoutes = () => {
		const s = firstSection('科技与法制司');
		return ['/api/me', '/api/units', '/api/manuals', `/api/manuals/${manualId}`, `/api/sections/${s.id}`];
	};

	it('accepts the bearer token on every API and refuses a missing or unknown one', async () => {
		const adminId = (await call('GET', '/api/me', { token: tokenOf('admin') })).body.id;
		for (const p of [...readRoutes(), '/api/users', `/api/users/${adminId}`]) {
			expect((await call('GET', p, { token: tokenOf('admin') })).status, p).toBe(200);
			expectError(await call('GET', p), 401, 'unauthorized');
			expectError(await call('GET', p, { token: 'unknown-token' }), 401, 'unauthorized');
		}
	});

	it('accepts the browser’s session cookie and keeps it fresh', async () => {
		const token = tokenOf('kefa_leader');
		for (const p of readRoutes()) {
			const r = await call('GET', p, { cookie: `fk_session=${token}` });
			expect(r.status, p).toBe(200);
			const set = r.headers.getSetCookie().find((c) => c.startsWith('fk_session='));
			expect(set, p).toMatch(new RegExp(`^fk_session=${token};.*HttpOnly`, 'i'));
		}
		// A write with the cookie from the app's own page.
		const created = await call('POST', '/api/units', { cookie: `fk_session=${tokenOf('admin')}`, origin: server.url, json: { name: 'Cookie司' } });
		expect(created.status).toBe(201);
		expect((await call('DELETE', `/api/units/${created.body.id}`, { cookie: `fk_session=${tokenOf('admin')}`, origin: server.url })).status).toBe(204);
	});

	it('clears an unknown cookie', async () => {
		const r = await call('GET', '/api/me', { cookie: 'fk_session=stale-token' });
		expectError(r, 401, 'unauthorized');
		expect(r.headers.getSetCookie().find((c) => c.startsWith('fk_session='))).toMatch(/^fk_session=;|Max-Age=0|Expires=Thu, 01 Jan 1970/i);
	});

	it("stops a disabled user's token at once, refuses their sign-in, and lets them back after re-enabling", async () => {
		const u = await tempUser('editor', unitByName('科技与法制司').id);
		expect((await call('GET', '/api/me', { token: u.token })).status).toBe(200);
		const r = await call('PATCH', `/api/users/${u.id}`, { token: tokenOf('admin'), json: { disabled: true } });
		expect(r.status).toBe(200);
		expect(r.body.disabled).toBe(true);
		for (const p of readRoutes()) expectError(await call('GET', p, { token: u.token }), 401, 'unauthorized');
		expectError(await call('GET', '/api/me', { cookie: `fk_session=${u.token}` }), 401, 'unauthorized');
		expectError(await call('POST', '/api/auth/login', { json: { username: u.username, password: u.password } }), 401, 'unauthorized');

		expect((await call('PATCH', `/api/users/${u.id}`, { token: tokenOf('admin'), json: { disabled: false } })).status).toBe(200);
		expectError(await call('GET', '/api/me', { token: u.token }), 401, 'unauthorized'); // the old session stays ended
		expect((await call('POST', '/api/auth/login', { json: { username: u.username, password: u.password } })).status).toBe(200);
	});

	it('refuses a session whose user was disabled behind the API’s back', async () => {
		const u = await tempUser();
		await db.query('UPDATE users SET disabled = 1 WHERE id = ?', [u.id]);
		expect(await sessionRow(u.token)).toBeDefined();
		expectError(await call('GET', '/api/me', { token: u.token }), 401, 'unauthorized');
	});

	it('refuses an expired session and removes it', async () => {
		const c = await signIn(server, 'yunshu1');
		expect(await sessionRow(c.token!)).toBeDefined();
		await db.query('UPDATE sessions SET expires_at = ? WHERE id = ?', [Date.now() - 60_000, sessionIdOf(c.token!)]);
		expectError(await call('GET', '/api/me', { token: c.token }), 401, 'unauthorized');
		expectError(await call('GET', `/api/manuals/${manualId}`, { cookie: `fk_session=${c.token}` }), 401, 'unauthorized');
		expect(await sessionRow(c.token!)).toBeUndefined();
	});

	it('slides a session forward when it is used in the second half of its life', async () => {
		const DAY = 24 * 60 * 60 * 1000;
		const lifetime = 30 * DAY; // SESSION_DAYS default
		const c = await signIn(server, 'shebei1');
		const fresh = (await sessionRow(c.token!))!.expires_at;

		// First half of its life: using it changes nothing.
		expect((await call('GET', '/api/me', { token: c.token })).status).toBe(200);
		expect((await sessionRow(c.token!))!.expires_at).toBe(fresh);

		// Second half: pushed forward to a full lifetime from the request.
		const late = Date.now() + lifetime / 2 - DAY;
		await db.query('UPDATE sessions SET expires_at = ? WHERE id = ?', [late, sessionIdOf(c.token!)]);
		const t0 = Date.now();
		expect((await call('GET', '/api/manuals', { token: c.token })).status).toBe(200);
		const t1 = Date.now();
		const renewed = (await sessionRow(c.token!))!.expires_at;
		expect(renewed).toBeGreaterThan(late);
		expect(renewed).toBeGreaterThanOrEqual(t0 + lifetime);
		expect(renewed).toBeLessThanOrEqual(t1 + lifetime);

		// Through the cookie too, and the cookie's expiry follows.
		await db.query('UPDATE sessions SET expires_at = ? WHERE id = ?', [late, sessionIdOf(c.token!)]);
		const r = await call('GET', '/api/me', { cookie: `fk_session=${c.token}` });
		expect(r.status).toBe(200);
		const again = (await sessionRow(c.token!))!.expires_at;
		expect(again).toBeGreaterThan(late + lifetime / 4);
		const set = r.headers.getSetCookie().find((x) => x.startsWith('fk_session='))!;
		const expires = Date.parse(/Expires=([^;]+)/i.exec(set)![1]);
		expect(Math.abs(expires - again)).toBeLessThan(1000); // the cookie carries the new expiry (second precision)
	});
});
