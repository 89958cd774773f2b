import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { demoSection, freePort, signIn, TestServer, type ApiClient } from '../../tests/helpers/server.ts';
import { sectionToYUpdate } from '../../collab/schema/index.ts';
import { newSectionTemplate } from '../../collab/schema/template.ts';
import { buildSection, DEMO_UNITS } from '../../server/seed/demo-content.ts';
import { BenchSocket } from './client.ts';
import type { DialectName } from './dialect.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** One server under test, started fresh for each scenario. */
export interface Target {
	readonly name: string;
	readonly dialect: DialectName;
	readonly wsBase: string;
	readonly pid: number;
	start(): Promise<void>;
	stop(): Promise<void>;
	/** Tokens for someone who may write the section, and someone who may only read it. */
	writerToken: string;
	readerToken: string;
	/**
	 * A document holding the demo section (the same content on every server), with one connection
	 * (a keeper) that stays open until `stop`: servers without storage drop a document nobody has open.
	 */
	section(): Promise<string>;
	/** `n` documents, each holding a new section and its keeper. */
	sections(n: number): Promise<string[]>;
}

/** The connections that keep a target's documents open, closed when it stops. */
class Keepers {
	private sockets: BenchSocket[] = [];
	async open(target: Target, docs: string[]) {
		for (let i = 0; i < docs.length; i += 50)
			this.sockets.push(...(await Promise.all(docs.slice(i, i + 50).map(async (d) => {
				const s = new BenchSocket(target.wsBase, target.dialect, d, target.readerToken);
				await s.ready;
				return s;
			}))));
	}
	closeAll() {
		for (const s of this.sockets.splice(0)) s.close();
	}
}

/** Kilobytes of resident memory of a process (threads included). */
export function rssKiB(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** Seconds of CPU a process has used so far (user + system). */
export function cpuSeconds(pid: number): number {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Fangkong as shipped: `node server/main.ts`, with sign-in, schema guard, presence and the durable log. */
export class FangkongTarget implements Target {
	readonly name = 'Fangkong';
	readonly dialect = 'hocuspocus' as const;
	private server: TestServer;
	writerToken = '';
	readerToken = '';
	private admin: ApiClient | null = null;
	private env: Record<string, string>;
	private profileDir: string | undefined;
	/** `profileDir`: write a CPU profile of the server there (it is then stopped gracefully). */
	constructor(profileDir?: string) {
		this.profileDir = profileDir;
		this.env = { LOG_LEVEL: 'error', ...(profileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(profileDir)}` } : {}) };
		this.server = new TestServer(this.env);
	}

	get wsBase() {
		return this.server.wsUrl;
	}
	get pid() {
		return this.server.pid;
	}
	async start() {
		await this.server.start();
		this.admin = await signIn(this.server, 'admin');
		this.writerToken = (await signIn(this.server, 'shebei1')).token!;
		this.readerToken = (await signIn(this.server, 'zhuanjia')).token!;
	}
	private keepers = new Keepers();
	async stop() {
		this.keepers.closeAll();
		if (this.profileDir) await this.server.stop('SIGTERM');
		await this.server.dispose();
		this.server = new TestServer(this.env);
	}
	async section() {
		const doc = (await demoSection(this.admin!, '设备监督管理司')).section.doc;
		await this.keepers.open(this, [doc]);
		return doc;
	}
	async sections(n: number) {
		const coordinator = await signIn(this.server, 'jijian');
		const { manual, unit } = await demoSection(this.admin!, '设备监督管理司');
		const docs: string[] = [];
		for (let i = 0; i < n; i++) {
			const r = await coordinator.post(`/api/manuals/${manual.id}/sections`, { unitId: unit.id, title: `压测章节${i}` });
			if (r.status !== 201) throw new Error(`creating a section: ${r.status} ${JSON.stringify(r.body)}`);
			docs.push(r.body.doc);
		}
		await this.keepers.open(this, docs);
		return docs;
	}
}

/** A server in a child process that keeps everything in memory; documents are seeded by a client. */
abstract class ChildTarget implements Target {
	abstract readonly name: string;
	abstract readonly dialect: DialectName;
	writerToken = 'bench';
	readerToken = 'bench';
	private child: ChildProcess | null = null;
	private port = 0;
	protected abstract command(): string[];

	get wsBase() {
		return `ws://127.0.0.1:${this.port}`;
	}
	get pid() {
		return this.child?.pid ?? 0;
	}
	async start() {
		this.port = await freePort();
		const child = spawn(process.execPath, this.command(), {
			cwd: ROOT,
			env: { ...process.env, HOST: '127.0.0.1', PORT: String(this.port) },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = child;
		let output = '';
		child.stdout!.on('data', (d) => (output += d));
		child.stderr!.on('data', (d) => (output += d));
		const deadline = Date.now() + 30_000;
		while (!(await listening(this.port))) {
			if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${this.name} did not start:\n${output}`);
			await new Promise((r) => setTimeout(r, 100));
		}
	}
	private keepers = new Keepers();
	async stop() {
		this.keepers.closeAll();
		const child = this.child;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGKILL');
		await exited;
		this.child = null;
	}
	async section() {
		const doc = 'bench-section';
		await this.seed(doc, sectionToYUpdate(buildSection(DEMO_UNITS[2].sections[0])));
		return doc;
	}
	async sections(n: number) {
		const docs = Array.from({ length: n }, (_, i) => `bench-section-${i}`);
		for (let i = 0; i < n; i += 50) await Promise.all(docs.slice(i, i + 50).map((d, j) => this.seed(d, sectionToYUpdate(newSectionTemplate(`压测章节${i + j}`)))));
		return docs;
	}

	/** Puts `state` into the server's document and waits until a second client reads it back. */
	private async seed(doc: string, state: Uint8Array) {
		await this.keepers.open(this, [doc]);
		const seeder = new BenchSocket(this.wsBase, this.dialect, doc, this.writerToken);
		await seeder.ready;
		seeder.send(seeder.dialect.update(doc, state));
		const expected = new Y.Doc();
		Y.applyUpdate(expected, state);
		const want = Y.encodeStateVector(expected);
		for (;;) {
			const check = new BenchSocket(this.wsBase, this.dialect, doc, this.readerToken, { doc: new Y.Doc() });
			await check.ready;
			const got = Y.encodeStateVector(check.doc!);
			check.close();
			if (Buffer.from(got).equals(Buffer.from(want))) break;
			await new Promise((r) => setTimeout(r, 50));
		}
		seeder.close();
	}
}

export class BareHocuspocusTarget extends ChildTarget {
	readonly name = 'bare Hocuspocus';
	readonly dialect = 'hocuspocus' as const;
	protected command() {
		return [path.join(ROOT, 'bench/collab/bare-hocuspocus.ts')];
	}
}

export class YWebsocketTarget extends ChildTarget {
	readonly name = 'y-websocket';
	readonly dialect = 'y-websocket' as const;
	protected command() {
		return [path.join(ROOT, 'node_modules/y-websocket/bin/server.js')];
	}
}

async function listening(port: number): Promise<boolean> {
	try {
		await fetch(`http://127.0.0.1:${port}/`);
		return true;
	} catch {
		return false;
	}
}
