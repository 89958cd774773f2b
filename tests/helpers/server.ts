import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBacking, type Backing } from './backing.ts';
import { rawPostgres, rawSqlite, testPostgres, type RawDatabase } from './database.ts';
import { freePort } from './ports.ts';
import { openPostgres, openSqlite, type Db } from '../../server/db/connect.ts';

export { freePort };

const ROOT = path.resolve(import.meta.dirname, '../..');
export const ADMIN_PASSWORD = 'test-admin-password';

/**
 * A real Fangkong server process (`node server/main.ts`) on its own port and data directory.
 * It can be stopped gracefully, killed with SIGKILL, and started again on the same data.
 *
 * In the `postgres` test project it stores in a database of its own on the run's PostgreSQL
 * cluster and relays through a Redis of its own, unless given a `backing` that several servers
 * share (the instances of one deployment).
 */
export class TestServer {
	readonly dataDir: string;
	port = 0;
	private child: ChildProcess | null = null;
	output = '';
	private env: Record<string, string>;
	backing: Backing | null;
	private ownsBacking = false;

	constructor(env: Record<string, string> = {}, options: { backing?: Backing } = {}) {
		this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-test-'));
		this.env = env;
		this.backing = options.backing ?? null;
	}

	/** A Kysely handle on this server's database, as the server opens it (destroy it after use). */
	openDb(): Db {
		return this.backing ? openPostgres(this.backing.databaseUrl) : openSqlite(path.join(this.dataDir, 'fangkong.sqlite'));
	}

	/** Plain SQL on this server's database (the SQLite file, or its PostgreSQL database). */
	async database(): Promise<RawDatabase> {
		if (this.backing) return rawPostgres(this.backing.databaseUrl);
		return rawSqlite(path.join(this.dataDir, 'fangkong.sqlite'));
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
		const postgres = testPostgres();
		if (!this.backing && postgres) {
			this.backing = await createBacking(postgres);
			this.ownsBacking = true;
		}
		const backing: Record<string, string> = this.backing ? { DATABASE_URL: this.backing.databaseUrl, REDIS_URL: this.backing.redisUrl } : {};
		const child = spawn(process.execPath, [path.join(ROOT, 'server/main.ts')], {
			cwd: ROOT,
			env: {
				...process.env,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				DATA_DIR: this.dataDir,
				ADMIN_PASSWORD,
				LOG_LEVEL: 'warn',
				...backing,
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
		if (this.ownsBacking) await this.backing?.dispose();
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
