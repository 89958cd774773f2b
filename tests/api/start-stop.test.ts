import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient, freePort, TestServer } from '../helpers/server.ts';
import { until } from '../helpers/collab-client.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE24_BIN = path.join(ROOT, 'tools/node24/node_modules/node/bin');

const majorOf = (bin: string) => Number(spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.split('.')[0]);

/** A Node older than 24 on this machine (the machines here ship 20), or null. */
function olderNode(): string | null {
	const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d && path.resolve(d) !== NODE24_BIN);
	for (const dir of [...dirs, '/usr/local/bin', '/usr/bin']) {
		const bin = path.join(dir, 'node');
		if (fs.existsSync(bin) && majorOf(bin) < 24) return bin;
	}
	return null;
}
const OLD_NODE = olderNode();

/** PATH as a newcomer's shell has it: the machine's older Node first, nothing of ours. */
function pathWithOlderNode(): string {
	const rest = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d && path.resolve(d) !== NODE24_BIN);
	return [path.dirname(OLD_NODE!), ...rest].join(path.delimiter);
}

/** Every process below `pid` (Linux /proc). */
function descendants(pid: number): number[] {
	const children = new Map<number, number[]>();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
		} catch {
			/* gone meanwhile */
		}
	}
	const out: number[] = [];
	const walk = (p: number) => {
		for (const c of children.get(p) ?? []) {
			out.push(c);
			walk(c);
		}
	};
	walk(pid);
	return out;
}

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
	} catch {
		return false;
	}
};

async function healthy(port: number) {
	try {
		return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
	} catch {
		return false;
	}
}

type Started = { child: ChildProcess; port: number; output: () => string; exit: Promise<{ code: number | null; signal: string | null }> };

/** Runs a command the way README tells people to, on a data directory of its own, until healthy. */
async function startAsReadmeSays(command: string, args: string[], env: Record<string, string>): Promise<Started> {
	const port = await freePort();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-start-'));
	dirs.push(dataDir);
	let output = '';
	const child = spawn(command, args, {
		cwd: ROOT,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD: 'start-stop-password', SEED_DEMO: '0', LOG_LEVEL: 'info', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.push(child);
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	await until(async () => {
		if (child.exitCode !== null) throw new Error(`exited early:\n${output}`);
		return healthy(port);
	}, `${command} ${args.join(' ')} healthy`, 170_000);
	// Killed after the tests whatever happens, so a failing test leaves no server behind either.
	spawned.push(...descendants(child.pid!));
	return { child, port, output: () => output, exit };
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
const spawned: number[] = [];
afterAll(() => {
	for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
	for (const pid of spawned.filter(alive)) process.kill(pid, 'SIGKILL');
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const listeningLine = (output: string) =>
	output
		.split('\n')
		.filter((l) => l.startsWith('{'))
		.map((l) => JSON.parse(l))
		.find((l) => l.msg === 'listening');

/** SIGTERM to the command started; it must exit cleanly and leave no process behind. */
async function stopAndExpectNothingLeft(s: Started) {
	const below = descendants(s.child.pid!);
	expect(below.length).toBeGreaterThan(0);
	s.child.kill('SIGTERM');
	expect(await s.exit).toEqual({ code: 0, signal: null });
	await until(() => below.every((p) => !alive(p)), 'every process below it gone', 20_000);
	await until(async () => !(await healthy(s.port)), 'port released', 20_000);
	expect(s.output()).toMatch(/"msg":"shutting down"/);
}

describe.skipIf(process.platform !== 'linux')('npm start, and stopping it', () => {
	it('stops on SIGTERM to npm start: the signal reaches the server and no process is left', async () => {
		const s = await startAsReadmeSays('npm', ['start'], {});
		await stopAndExpectNothingLeft(s);
	});

	it.skipIf(!OLD_NODE)('works as written on a machine whose Node is older: runs under Node 24, and stops the same', async () => {
		const s = await startAsReadmeSays('npm', ['start'], { PATH: pathWithOlderNode() });
		expect(majorOf(path.join(path.dirname(OLD_NODE!), 'node'))).toBeLessThan(24);
		expect(listeningLine(s.output())?.node).toMatch(/^v24\./);
		await stopAndExpectNothingLeft(s);
	});
});

describe('scripts/node24.sh', () => {
	it.each(['sh', 'bash'])('puts Node 24 first on PATH when sourced by %s', (shell) => {
		const env = { ...process.env, PATH: OLD_NODE ? pathWithOlderNode() : process.env.PATH! };
		const r = spawnSync(shell, ['-c', '. scripts/node24.sh && node -p process.versions.node'], { cwd: ROOT, env, encoding: 'utf8' });
		expect(r.status, r.stderr).toBe(0);
		expect(Number(r.stdout.trim().split('.')[0])).toBeGreaterThanOrEqual(24);
	});
});

describe('a port that is already taken', () => {
	const server = new TestServer({ ADMIN_PASSWORD: '', SEED_DEMO: '0', LOG_LEVEL: 'info' });
	// Answers, so that the test's health check gets a reply (not ok) instead of waiting forever.
	const blocker = http.createServer((_req, res) => res.writeHead(503).end());
	afterAll(async () => {
		blocker.close();
		await server.dispose();
	});

	it('stops with a clear message and no stack, before creating anything; the next start still prints the password', async () => {
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		server.port = (blocker.address() as net.AddressInfo).port;
		await expect(server.start()).rejects.toThrow(/exited early/);
		expect(server.output).toContain(`端口 ${server.port} 已被占用`);
		expect(server.output).toContain(`port ${server.port} is already in use`);
		expect(server.output).not.toMatch(/^\s+at /m);
		expect(server.output).not.toContain('初始密码');
		expect(fs.existsSync(path.join(server.dataDir, 'fangkong.sqlite'))).toBe(false);

		server.port = 0;
		server.output = '';
		await server.start();
		const printed = server.output.match(/初始密码：(\S+)/)?.[1];
		expect(printed, server.output).toBeTruthy();
		expect((await new ApiClient(server.url).post('/api/auth/login', { username: 'admin', password: printed })).status).toBe(200);
	});
});
