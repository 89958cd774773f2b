import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSection, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { InProcessCollab } from './in-process.ts';
import { frames, MSG, RawSocket } from './raw-socket.ts';
import { AUTH_TIMEOUT, MAX_FRAME_BYTES } from '../../collab/attach.ts';
import { PRE_AUTH_LIMITS } from '../../collab/server.ts';
import { COOKIE_TOKEN } from '../../collab/protocol.ts';

/** A browser's upgrade request: its page's origin and the session cookie it sends by itself. */
const browser = (origin: string, token: string) => ({ origin, cookie: `fk_session=${token}` });

describe('which origins may use the session cookie on /collab', () => {
	const server = new TestServer();
	const behindProxy = new TestServer({ ORIGIN: 'https://fangkong.example.gov.cn' });
	let token: string;
	let doc: string;
	const clients: CollabClient[] = [];
	const client = (url: string, t: string, headers?: Record<string, string>) => {
		const c = new CollabClient(url, doc, t, { headers });
		clients.push(c);
		return c;
	};

	beforeAll(async () => {
		await Promise.all([server.start(), behindProxy.start()]);
		const admin = await signIn(server, 'admin');
		doc = (await demoSection(admin, '设备监督管理司')).section.doc;
		token = (await signIn(server, 'shebei1')).token!;
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await Promise.all([server.dispose(), behindProxy.dispose()]);
	});

	it('refuses a page of another origin on the same site that would ride on the cookie', async () => {
		const raw = new RawSocket(server.wsUrl, browser('http://intranet.example.gov.cn', token));
		await expect(raw.opened).rejects.toThrow();
		// Through a provider the same: never signed in, never synced.
		const c = client(server.wsUrl, COOKIE_TOKEN, browser(`http://127.0.0.1:${server.port + 1}`, token));
		const own = client(server.wsUrl, COOKIE_TOKEN, browser(server.url, token));
		await own.synced(); // the app's own page, opened after the foreign one, is through
		expect(c.provider.isSynced).toBe(false);
		expect(c.scope).toBeNull();
		expect(own.scope).toBe('read-write');
	});

	it('lets token clients in from anywhere when they carry no cookie', async () => {
		const c = client(server.wsUrl, token, { origin: 'http://tools.example.gov.cn' });
		await c.synced();
		expect(c.scope).toBe('read-write');
	});

	it('accepts the configured ORIGIN behind a proxy, and still nothing else', async () => {
		const admin = await signIn(behindProxy, 'admin');
		const proxyDoc = (await demoSection(admin, '设备监督管理司')).section.doc;
		const t = (await signIn(behindProxy, 'shebei1')).token!;
		const ok = new CollabClient(behindProxy.wsUrl, proxyDoc, COOKIE_TOKEN, { headers: browser('https://fangkong.example.gov.cn', t) });
		clients.push(ok);
		await ok.synced();
		expect(ok.scope).toBe('read-write');
		const raw = new RawSocket(behindProxy.wsUrl, browser('https://evil.example.gov.cn', t));
		await expect(raw.opened).rejects.toThrow();
	});
});

describe('what a socket can make the server hold', () => {
	const harness = new InProcessCollab();
	let token: string;
	let doc: string;
	const sockets: RawSocket[] = [];
	const raw = async () => {
		const s = new RawSocket(harness.wsUrl);
		sockets.push(s);
		await s.opened;
		return s;
	};

	beforeAll(async () => {
		await harness.start({ attach: { authDeadlineMs: 500 } });
		token = (await harness.tokenFor('shebei1')).token;
		doc = (await harness.sectionsOf('设备监督管理司')).sections[0].doc;
	});

	afterAll(async () => {
		for (const s of sockets) s.close();
		await harness.stop();
	});

	it(`closes the socket on a frame over ${MAX_FRAME_BYTES / 1024 / 1024} MiB before reading it (1009)`, async () => {
		const s = await raw();
		s.send(frames.auth(doc, token));
		await until(() => s.authAnswers().length > 0, 'signed in');
		expect(s.authAnswers()).toEqual(['read-write']);
		s.send(frames.update(doc, new Uint8Array(MAX_FRAME_BYTES + 1024)));
		await until(() => s.closed !== null, 'socket closed');
		expect(s.closed!.code).toBe(1009);
	});

	it('closes a socket that queues too many messages before signing in', async () => {
		const s = await raw();
		for (let i = 0; i <= PRE_AUTH_LIMITS.maxUnauthenticatedQueueMessages; i++) s.send(frames.update(doc, new Uint8Array(16)));
		await until(() => s.closed !== null, 'socket closed');
	});

	it('closes a socket that queues too many bytes before signing in', async () => {
		const s = await raw();
		const chunk = 32 * 1024;
		for (let sent = 0; sent <= PRE_AUTH_LIMITS.maxUnauthenticatedQueueSize; sent += chunk) s.send(frames.update(doc, new Uint8Array(chunk)));
		await until(() => s.closed !== null, 'socket closed');
	});

	it('closes a socket that opens too many documents without signing in', async () => {
		const s = await raw();
		for (let i = 0; i <= PRE_AUTH_LIMITS.maxPendingDocuments; i++) s.send(frames.update(`section:pending-${i}`, new Uint8Array(16)));
		await until(() => s.closed !== null, 'socket closed');
	});

	it('closes a socket that sent something but signed nothing in within the deadline, and keeps one that did', async () => {
		const queued = await raw();
		queued.send(frames.update(doc, new Uint8Array(16)));
		const refused = await raw();
		refused.send(frames.auth(doc, 'not-a-token'));
		const signedIn = await raw();
		signedIn.send(frames.auth(doc, token));
		await until(() => queued.closed !== null && refused.closed !== null, 'sockets without a signed-in document closed');
		expect(queued.closed).toEqual(AUTH_TIMEOUT);
		expect(refused.closed).toEqual(AUTH_TIMEOUT);
		expect(refused.authAnswers()).toEqual(['denied:permission-denied']);
		// Well past the deadline the signed-in socket still answers.
		await new Promise((r) => setTimeout(r, 1000));
		signedIn.send(frames.update(doc, new Uint8Array([0, 0])));
		await until(() => signedIn.received.some((m) => m.type === MSG.syncStatus), 'answer on the signed-in socket');
		expect(signedIn.closed).toBeNull();
	});
});
