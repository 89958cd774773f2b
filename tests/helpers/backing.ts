/**
 * Real PostgreSQL and Redis servers for tests and benchmarks, started from Debian's packages
 * (`postgresql`, `redis-server`) on free ports in temporary directories and torn down after.
 * Nothing here is a stand-in: the servers are the ones operators run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports.ts';

/** Debian keeps the server binaries out of PATH, under /usr/lib/postgresql/<major>/bin. */
export function postgresBin(): string | null {
	const root = '/usr/lib/postgresql';
	const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
	for (const major of majors) if (fs.existsSync(path.join(root, major, 'bin/initdb'))) return path.join(root, major, 'bin');
	const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
	return found ? path.dirname(found) : null;
}

export const hasRedis = () => spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).status === 0;

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` account (or `nobody`). */
function serverUser(): { uid: number; gid: number } | null {
	if (process.getuid?.() !== 0) return null;
	for (const name of ['postgres', 'nobody']) {
		const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
		const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
		if (uid.status === 0 && gid.status === 0) return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
	}
	throw new Error('running as root and no postgres or nobody account to run PostgreSQL as');
}

async function until(check: () => Promise<boolean>, what: string, child: ChildProcess, output: () => string, ms = 60_000) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${what}: exited early\n${output()}`);
		if (await check().catch(() => false)) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`${what}: not ready\n${output()}`);
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill(signal);
	await exited;
}

export type PostgresCluster = {
	/** Superuser URL of the maintenance database. */
	adminUrl: string;
	stop(): Promise<void>;
};

/** A throwaway cluster: initdb into a temporary directory, `postgres` on a free port. */
export async function startPostgres(): Promise<PostgresCluster> {
	const bin = postgresBin();
	if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-pg-'));
	const user = serverUser();
	if (user) fs.chownSync(dir, user.uid, user.gid);
	const as = user ? { uid: user.uid, gid: user.gid } : {};
	const data = path.join(dir, 'data');
	const init = spawnSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
		...as,
		encoding: 'utf8'
	});
	if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
	const port = await freePort();
	// fsync off: the tests kill Fangkong, never PostgreSQL, so what it committed is never lost.
	const child = spawn(
		path.join(bin, 'postgres'),
		['-D', data, '-k', dir, '-p', String(port), '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400'],
		{ ...as, stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
	await until(
		async () => {
			const c = new pg.Client(adminUrl);
			await c.connect();
			await c.end();
			return true;
		},
		'PostgreSQL',
		child,
		() => output
	);
	return {
		adminUrl,
		async stop() {
			await stopChild(child, 'SIGINT'); // fast shutdown
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** A fresh, empty database on `adminUrl`'s cluster; `drop` removes it (and ends its sessions). */
export async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `fk_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client(adminUrl);
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			const c = new pg.Client(adminUrl);
			await c.connect();
			await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await c.end();
		}
	};
}

export type RedisServer = { url: string; stop(): Promise<void> };

/** `redis-server` on a free port, keeping nothing on disk. */
export async function startRedis(): Promise<RedisServer> {
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-redis-'));
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const stopOnExit = () => child.kill('SIGKILL');
	process.once('exit', stopOnExit);
	const url = `redis://127.0.0.1:${port}`;
	await until(async () => output.includes('Ready to accept connections'), 'Redis', child, () => output, 20_000);
	return {
		url,
		async stop() {
			process.off('exit', stopOnExit);
			await stopChild(child, 'SIGTERM');
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** One database and one Redis that one or several Fangkong instances share. */
export type Backing = { databaseUrl: string; redisUrl: string; dispose(): Promise<void> };

export async function createBacking(adminUrl: string): Promise<Backing> {
	const [db, redis] = await Promise.all([createDatabase(adminUrl), startRedis()]);
	return {
		databaseUrl: db.url,
		redisUrl: redis.url,
		async dispose() {
			await redis.stop();
			await db.drop();
		}
	};
}
