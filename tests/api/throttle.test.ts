import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ADMIN_PASSWORD, TestServer } from '../helpers/server.ts';

describe('password guessing', () => {
	const server = new TestServer({ SEED_DEMO: '0' });
	beforeAll(() => server.start());
	afterAll(() => server.dispose());

	it('answers 429 with a Chinese message after repeated failures, even for the right password', async () => {
		const api = new ApiClient(server.url);
		for (let i = 0; i < 8; i++) expect((await api.post('/api/auth/login', { username: 'admin', password: `wrong-${i}` })).status).toBe(401);
		const r = await api.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
		expect(r.status).toBe(429);
		expect(r.body.error.code).toBe('too_many_requests');
		expect(r.body.error.message).toMatch(/分钟后再试/);
		// Another account is judged on its own: a wrong password is a plain 401, not a 429.
		const other = await new ApiClient(server.url).post('/api/auth/login', { username: 'nobody', password: 'x' });
		expect(other.status).toBe(401);
	});
});
