import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, TestServer, type ApiClient } from '../helpers/server.ts';

/** GET /api/people: whom a comment can @mention. */
describe('people to mention', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let expert: ApiClient;

	beforeAll(async () => {
		await server.start();
		[admin, expert] = await Promise.all([signIn(server, 'admin'), signIn(server, 'zhuanjia')]);
	});
	afterAll(() => server.dispose());

	it('finds active participants by username or name, best match first', async () => {
		const r = await expert.get('/api/people?q=shebei');
		expect(r.status).toBe(200);
		expect(r.body.map((p: { username: string }) => p.username)).toEqual(['shebei_leader', 'shebei1', 'shebei2'].sort());
		expect(Object.keys(r.body[0]).sort()).toEqual(['displayName', 'id', 'role', 'username']);
		const jijian = (await expert.get('/api/people?q=jijian')).body[0];
		const byName = await expert.get(`/api/people?q=${encodeURIComponent(jijian.displayName.slice(0, 1))}`);
		expect(byName.body.map((p: { id: string }) => p.id)).toContain(jijian.id);
		expect((await expert.get('/api/people')).body.length).toBeGreaterThan(0);
	});

	it('never lists readers or disabled accounts', async () => {
		expect((await expert.get('/api/people?q=duzhe')).body).toEqual([]);
		const id = (await expert.get('/api/people?q=kefa2')).body[0].id;
		expect((await admin.patch(`/api/users/${id}`, { disabled: true })).status).toBe(200);
		expect((await expert.get('/api/people?q=kefa2')).body).toEqual([]);
	});

	it('answers only signed-in participants', async () => {
		const reader = await signIn(server, 'duzhe');
		expect((await reader.get('/api/people?q=a')).status).toBe(403);
		const anonymous = await fetch(`${server.url}/api/people?q=a`);
		expect(anonymous.status).toBe(401);
		expect((await expert.get(`/api/people?q=${'x'.repeat(41)}`)).status).toBe(400);
	});
});
