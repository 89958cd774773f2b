import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const ADMIN_PASSWORD = 'test-admin-password';

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.listen(0, '127.0.0.1', () => {
			const port = (srv.address() as net.AddressInfo).port;
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

/**
 * A real Fangkong server process (`node server/main.ts`) on its own port and data directory.
 * It can be stopped gracefully, killed with SIGKILL, and started again on the same data.
 */
export class TestServer {
	readonly dataDir: string;
	port = 0;
	private child: ChildProcess | null = null;
	output = '';
	private env: Record<string, string>;

	constructor(env: Record<string, string> = {}) {
		this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-test-'));
		this.env = env;
	}

	get url() {
		return `http://127.0.0.1:${this.port}`;
	}
	/** Process id of the running server (0 when stopped). */
	get pid() {
		return this.child?.pid ?? 0;
	}
	get wsUrl() {
		return `ws://127.0.0.1:${this.port}/collab`;
	}

	async start(): Promise<this> {
		if (!this.port) this.port = await freePort();
		const child = spawn(process.execPath, [path.join(ROOT, 'server/main.ts')], {
			cwd: ROOT,
			env: {
				...process.env,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				DATA_DIR: this.dataDir,
				ADMIN_PASSWORD,
				LOG_LEVEL: 'warn',
				...this.env
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = child;
		// The last 1 MiB of what it printed (a fuzzed server logs every frame it refuses).
		const keep = (d: Buffer) => (this.output = (this.output + d).slice(-(1 << 20)));
		child.stdout!.on('data', keep);
		child.stderr!.on('data', keep);
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`server exited early:\n${this.output}`);
			try {
				const r = await fetch(`${this.url}/healthz`);
				if (r.ok) return this;
			} catch {
				/* not listening yet */
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error(`server did not become healthy:\n${this.output}`);
	}

	/** SIGTERM and wait for exit (graceful) or SIGKILL (crash). */
	async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		child.kill(signal);
		await exited;
		this.child = null;
	}

	async restart(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') {
		await this.stop(signal);
		return this.start();
	}

	async dispose() {
		await this.stop('SIGKILL');
		fs.rmSync(this.dataDir, { recursive: true, force: true });
	}
}

export type ApiResult<T = any> = { status: number; body: T; headers: Headers };

/** A JSON API client that signs in with a bearer token. */
export class ApiClient {
	token: string | null = null;
	private baseUrl: string;
	constructor(baseUrl: string) {
		this.baseUrl = baseUrl;
	}

	async request<T = any>(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
		const h: Record<string, string> = { ...headers };
		if (this.token) h.authorization = `Bearer ${this.token}`;
		let payload: string | undefined;
		if (body !== undefined) {
			h['content-type'] = 'application/json';
			payload = typeof body === 'string' ? body : JSON.stringify(body);
		}
		const r = await fetch(this.baseUrl + p, { method, headers: h, body: payload, redirect: 'manual' });
		const text = await r.text();
		let parsed: any = text;
		try {
			parsed = text ? JSON.parse(text) : null;
		} catch {
			/* not JSON */
		}
		return { status: r.status, body: parsed, headers: r.headers };
	}

	get<T = any>(p: string) {
		return this.request<T>('GET', p);
	}
	post<T = any>(p: string, body?: unknown) {
		return this.request<T>('POST', p, body);
	}
	patch<T = any>(p: string, body?: unknown) {
		return this.request<T>('PATCH', p, body);
	}

	async login(username: string, password: string): Promise<this> {
		const r = await this.post('/api/auth/login', { username, password });
		if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
		this.token = r.body.token;
		return this;
	}
}

export async function signIn(server: TestServer, username: string, password = ADMIN_PASSWORD) {
	return new ApiClient(server.url).login(username, password);
}

/** The first section of the demo manual that belongs to `unitName`. */
export async function demoSection(api: ApiClient, unitName: string) {
	const manuals = await api.get('/api/manuals');
	const manual = await api.get(`/api/manuals/${manuals.body[0].id}`);
	const unit = manual.body.units.find((u: any) => u.name === unitName);
	return { manual: manual.body, unit, section: unit.sections[0] as { id: string; doc: string; title: string; state: string } };
}
