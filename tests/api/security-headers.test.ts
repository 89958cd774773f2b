import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ApiClient, signIn, TestServer } from '../helpers/server.ts';

/** What every answer carries, page or not. */
function expectBaseHeaders(h: Headers, what: string) {
	expect(h.get('x-content-type-options'), what).toBe('nosniff');
	expect(h.get('x-frame-options'), what).toBe('DENY');
	expect(h.get('referrer-policy'), what).toBe('same-origin');
	expect(h.get('content-security-policy'), what).toMatch(/frame-ancestors 'none'/);
}

const directives = (csp: string) =>
	new Map(
		csp
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((d) => d[0])
			.map(([name, ...values]) => [name, values])
	);

describe('security headers', () => {
	const server = new TestServer({ SEED_DEMO: '0' });
	let admin: ApiClient;
	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
	});
	afterAll(() => server.dispose());

	it('pages carry a script policy with a fresh nonce that every inline script of the page holds', async () => {
		const nonces = new Set<string>();
		for (let i = 0; i < 2; i++) {
			const r = await fetch(`${server.url}/login`);
			expect(r.status).toBe(200);
			expectBaseHeaders(r.headers, '/login');
			const csp = directives(r.headers.get('content-security-policy')!);
			const nonce = csp.get('script-src')!.find((v) => v.startsWith("'nonce-"))!.slice(7, -1);
			expect(nonce).toMatch(/^[A-Za-z0-9+/=_-]{16,}$/);
			nonces.add(nonce);
			expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
			expect(csp.get('script-src')).not.toContain("'unsafe-eval'");
			expect(csp.get('default-src')).toEqual(["'self'"]);
			expect(csp.get('object-src')).toEqual(["'none'"]);
			expect(csp.get('base-uri')).toEqual(["'self'"]);
			expect(csp.get('form-action')).toEqual(["'self'"]);
			// The collaboration socket goes to the page's own host ('self' covers ws: and wss: there).
			expect(csp.get('connect-src')).toEqual(["'self'"]);
			const html = await r.text();
			const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
			expect(scripts.length).toBeGreaterThan(0);
			for (const attrs of scripts.filter((a) => !/\bsrc=/.test(a))) expect(attrs).toContain(`nonce="${nonce}"`);
		}
		expect(nonces.size).toBe(2);
	});

	it('a signed-in page and a page that does not exist carry them too', async () => {
		const cookie = `fk_session=${admin.token}`;
		for (const p of ['/', '/admin', '/no-such-page']) {
			const r = await fetch(server.url + p, { headers: { cookie }, redirect: 'manual' });
			expect([200, 404], p).toContain(r.status);
			expectBaseHeaders(r.headers, p);
			expect(r.headers.get('content-security-policy'), p).toMatch(/script-src 'self' 'nonce-/);
		}
	});

	it('API answers, errors, redirects, static files and refused cross-site posts carry them', async () => {
		const answers: [string, Response][] = [
			['/api/me (200)', await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${admin.token}` } })],
			['/api/me (401)', await fetch(`${server.url}/api/me`)],
			['/api/no-such-thing (404)', await fetch(`${server.url}/api/no-such-thing`)],
			['/ (redirect to sign-in)', await fetch(`${server.url}/`, { redirect: 'manual' })],
			['/healthz', await fetch(`${server.url}/healthz`)],
			['/favicon.svg', await fetch(`${server.url}/favicon.svg`)],
			[
				'cross-site POST (403)',
				await fetch(`${server.url}/api/units`, {
					method: 'POST',
					headers: { cookie: `fk_session=${admin.token}`, origin: 'https://evil.example', 'content-type': 'text/plain' },
					body: '{}'
				})
			]
		];
		for (const [what, r] of answers) expectBaseHeaders(r.headers, what);
		const statuses = answers.map(([, r]) => r.status);
		expect(statuses).toEqual([200, 401, 404, 303, 200, 200, 403]);
		// Nothing but a page may run or load anything: a JSON answer or an SVG opened directly cannot.
		for (const [what, r] of answers.filter(([w]) => w.startsWith('/api') || w === '/favicon.svg'))
			expect(r.headers.get('content-security-policy'), what).toBe("default-src 'none'; frame-ancestors 'none'");
	});

	it('asks for HTTPS only for requests that came over HTTPS', async () => {
		expect((await fetch(`${server.url}/login`)).headers.get('strict-transport-security')).toBeNull();
		expect((await fetch(`${server.url}/api/me`)).headers.get('strict-transport-security')).toBeNull();
		const viaTls = await fetch(`${server.url}/login`, { headers: { 'x-forwarded-proto': 'https' } });
		expect(viaTls.headers.get('strict-transport-security')).toMatch(/^max-age=(\d+)/);
		expect(Number(viaTls.headers.get('strict-transport-security')!.match(/max-age=(\d+)/)![1])).toBeGreaterThanOrEqual(180 * 24 * 3600);
	});
});

describe('security headers behind an HTTPS origin', () => {
	const server = new TestServer({ SEED_DEMO: '0', ORIGIN: 'https://fangkong.test' });
	beforeAll(() => server.start());
	afterAll(() => server.dispose());

	it('asks for HTTPS when ORIGIN is https, also on API answers', async () => {
		for (const p of ['/login', '/api/me']) expect((await fetch(server.url + p)).headers.get('strict-transport-security'), p).toMatch(/^max-age=\d+/);
		expect((await new ApiClient(server.url).post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(200);
	});
});
