import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { demoSection, signIn, TestServer } from '../helpers/server.ts';

/** Junk on /collab costs the operator's disk a few lines, not a stack trace per frame. */
describe('the log under malformed frames', () => {
	const server = new TestServer({ LOG_LEVEL: 'warn' });
	beforeAll(() => server.start());
	afterAll(() => server.dispose());

	const flood = async (frames: Buffer[], headers: Record<string, string> = {}) => {
		const ws = new WebSocket(server.wsUrl, { headers });
		await new Promise((resolve, reject) => {
			ws.on('open', resolve);
			ws.on('error', reject);
		});
		for (const f of frames) if (ws.readyState === WebSocket.OPEN) ws.send(f);
		await new Promise((r) => setTimeout(r, 300));
		ws.close();
	};

	it('writes a handful of JSON lines for 2,000 malformed frames, before and after signing in', async () => {
		const api = await signIn(server, 'kefa1');
		const { section } = await demoSection(api, '科技与法制司');
		const before = server.output.length;
		// Truncated frames addressed to nothing, then to a real document on many sockets.
		for (let round = 0; round < 10; round++) {
			await flood(Array.from({ length: 100 }, (_, i) => Buffer.from([0x05, 0xff, 0x01, i])));
			const name = Buffer.from(section.doc);
			await flood(Array.from({ length: 100 }, (_, i) => Buffer.concat([Buffer.from([name.length]), name, Buffer.from([0x00, 0x07, i, 0x99])])), { authorization: `Bearer ${api.token}` });
		}
		await new Promise((r) => setTimeout(r, 500));
		const out = server.output.slice(before);
		const lines = out.split('\n').filter((l) => l.trim());
		for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
		expect(out.length).toBeLessThan(20_000);
		expect(out).not.toContain('    at ');
		// And the server still serves.
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
	});
});
