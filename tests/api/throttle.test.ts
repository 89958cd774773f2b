import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, TestServer } from '../helpers/server.ts';

type Answer = { status: number; body: any };

/**
 * A sign-in from a chosen local address: on Linux every 127.x.y.z is the loopback, so one
 * machine can play several clients whose sockets really come from different addresses.
 */
function login(server: TestServer, from: string, username: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
	const payload = JSON.stringify({ username, password });
	return new Promise((resolve, reject) => {
		const req = http.request(
			`${server.url}/api/auth/login`,
			{ method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', ...headers } },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (d) => (text += d));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
			}
		);
		req.on('error', reject);
		req.end(payload);
	});
}

/** Wrong passwords until the server answers 429; how many it took. */
async function failUntilLocked(server: TestServer, from: string, username: (i: number) => string, headers: Record<string, string> = {}, limit = 100) {
	for (let i = 1; i <= limit; i++) {
		const r = await login(server, from, username(i), `wrong-${i}`, headers);
		if (r.status === 429) return i;
		expect(r.status).toBe(401);
	}
	throw new Error(`no lock after ${limit} failures`);
}

const lockLines = (server: TestServer) =>
	server.output
		.split('\n')
		.filter((l) => l.startsWith('{'))
		.map((l) => JSON.parse(l))
		.filter((l) => l.msg === 'sign-in locked');

describe('password guessing, by socket address', () => {
	const server = new TestServer({ SEED_DEMO: '0' });
	beforeAll(() => server.start());
	afterAll(() => server.dispose());

	it('locks one account for one address only: the right password from elsewhere still works', async () => {
		const tries = await failUntilLocked(server, '127.0.0.1', () => 'admin');
		expect(tries).toBeLessThanOrEqual(8);
		const locked = await login(server, '127.0.0.1', 'admin', ADMIN_PASSWORD);
		expect(locked.status).toBe(429);
		expect(locked.body.error.code).toBe('too_many_requests');
		expect(locked.body.error.message).toMatch(/请 \d+ 分钟后再试/);
		// Without TRUST_PROXY a forwarded-for header is the client's say-so and changes nothing.
		expect((await login(server, '127.0.0.1', 'admin', ADMIN_PASSWORD, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);

		expect((await login(server, '127.0.0.2', 'admin', ADMIN_PASSWORD)).status).toBe(200);
		// Another account from the locked address is judged on its own.
		expect((await login(server, '127.0.0.1', 'nobody', 'x')).status).toBe(401);

		const lines = lockLines(server);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatchObject({ level: 'warn', scope: 'account', username: 'admin', address: '127.0.0.1' });
		expect(lines[0].lockedSeconds).toBeGreaterThan(0);
	});

	it('tells the person how long the lock lasts, as logged', async () => {
		const from = '127.0.0.5';
		await failUntilLocked(server, from, () => 'admin');
		const lock = lockLines(server).at(-1);
		expect(lock).toMatchObject({ scope: 'account', address: from });
		const r = await login(server, from, 'admin', 'x');
		expect(Number(r.body.error.message.match(/请 (\d+) 分钟/)[1])).toBe(Math.ceil(lock.lockedSeconds / 60));
	});

	it('locks an address that tries many accounts, for every account, and only that address', async () => {
		const tries = await failUntilLocked(server, '127.0.0.3', (i) => `guess${i}`);
		expect(tries).toBeGreaterThan(8);
		expect((await login(server, '127.0.0.3', 'admin', ADMIN_PASSWORD)).status).toBe(429);
		expect((await login(server, '127.0.0.4', 'admin', ADMIN_PASSWORD)).status).toBe(200);
		expect(lockLines(server).at(-1)).toMatchObject({ scope: 'address', address: '127.0.0.3' });
	});
});

describe('password guessing behind a reverse proxy (TRUST_PROXY=1)', () => {
	const server = new TestServer({ SEED_DEMO: '0', TRUST_PROXY: '1' });
	beforeAll(() => server.start());
	afterAll(() => server.dispose());

	it('tells clients apart by the address the proxy appended to X-Forwarded-For', async () => {
		const via = (client: string) => ({ 'x-forwarded-for': client });
		await failUntilLocked(server, '127.0.0.1', () => 'admin', via('203.0.113.7'));
		expect((await login(server, '127.0.0.1', 'admin', ADMIN_PASSWORD, via('203.0.113.7'))).status).toBe(429);
		// What the client wrote in front of the proxy's entry is not believed.
		expect((await login(server, '127.0.0.1', 'admin', ADMIN_PASSWORD, via('198.51.100.1, 203.0.113.7'))).status).toBe(429);
		// Another client behind the same proxy (same socket address) signs in.
		expect((await login(server, '127.0.0.1', 'admin', ADMIN_PASSWORD, via('203.0.113.8'))).status).toBe(200);
		expect(lockLines(server).at(-1)).toMatchObject({ scope: 'account', username: 'admin', address: '203.0.113.7' });
	});
});
