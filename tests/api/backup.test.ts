import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient } from '../helpers/collab-client.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm run <script> -- <args>` on a data directory, as README gives it. */
function npmRun(script: string, args: string[], dataDir: string) {
	const r = spawnSync('npm', ['run', '--silent', script, '--', ...args], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR: dataDir, ADMIN_PASSWORD },
		encoding: 'utf8'
	});
	return { status: r.status, out: r.stdout + r.stderr };
}

describe('npm run backup / npm run restore', () => {
	const original = new TestServer();
	const restored = new TestServer();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-backup-'));
	const clients: CollabClient[] = [];
	let admin: ApiClient;
	let section: { id: string; doc: string };

	beforeAll(async () => {
		await original.start();
		admin = await signIn(original, 'admin');
		section = (await demoSection(admin, '设备监督管理司')).section;
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await original.dispose();
		await restored.dispose();
		fs.rmSync(work, { recursive: true, force: true });
	});

	async function write(text: string) {
		const editor = await signIn(original, 'shebei1');
		const c = new CollabClient(original.wsUrl, section.doc, editor.token!);
		clients.push(c);
		await c.synced();
		c.appendParagraph(text);
		await c.confirmed();
	}

	it('backs up a running server, refuses to restore under it, and restores into a new data directory that serves the content', async () => {
		await write('备份之前写下的段落');
		const file = path.join(work, 'nested', 'copy.sqlite');
		const backup = npmRun('backup', [file], original.dataDir);
		expect(backup.status, backup.out).toBe(0);
		expect(backup.out).toContain(file);
		expect(fs.statSync(file).size).toBeGreaterThan(0);
		await write('备份之后写下的段落');

		// The server is running on that data directory: restoring under it is refused, nothing changes.
		const refused = npmRun('restore', [file], original.dataDir);
		expect(refused.status).not.toBe(0);
		expect(refused.out).toMatch(/正在运行/);
		expect(refused.out).not.toMatch(/^\s+at /m);
		expect(JSON.stringify((await admin.get(`/api/sections/${section.id}`)).body.content)).toContain('备份之后写下的段落');

		const restore = npmRun('restore', [file], restored.dataDir);
		expect(restore.status, restore.out).toBe(0);
		await restored.start();
		const again = await signIn(restored, 'admin');
		const content = JSON.stringify((await again.get(`/api/sections/${section.id}`)).body.content);
		expect(content).toContain('备份之前写下的段落');
		expect(content).not.toContain('备份之后写下的段落');
	});

	it('restoring over an existing database keeps the replaced one aside', async () => {
		await restored.stop();
		const file = path.join(work, 'second.sqlite');
		expect(npmRun('backup', [file], original.dataDir).status).toBe(0);
		const r = npmRun('restore', [file], restored.dataDir);
		expect(r.status, r.out).toBe(0);
		const kept = fs.readdirSync(restored.dataDir).filter((f) => f.startsWith('fangkong.sqlite.before-restore-'));
		expect(kept, r.out).toHaveLength(1);
		expect(r.out).toContain(kept[0]);
		await restored.start();
		const content = JSON.stringify((await (await signIn(restored, 'admin')).get(`/api/sections/${section.id}`)).body.content);
		expect(content).toContain('备份之后写下的段落');
	});

	it('refuses what is not a backup, and a missing database, with a message and no stack', () => {
		const junk = path.join(work, 'junk.sqlite');
		fs.writeFileSync(junk, 'not a database');
		const bad = npmRun('restore', [junk], fs.mkdtempSync(path.join(work, 'empty-')));
		expect(bad.status).not.toBe(0);
		expect(bad.out).not.toMatch(/^\s+at /m);
		const none = npmRun('backup', [path.join(work, 'x.sqlite')], path.join(work, 'no-such-dir'));
		expect(none.status).not.toBe(0);
		expect(none.out).toMatch(/没有找到数据库/);
		expect(fs.existsSync(path.join(work, 'no-such-dir'))).toBe(false);
		const missingArg = npmRun('restore', [], original.dataDir);
		expect(missingArg.status).not.toBe(0);
		expect(missingArg.out).toMatch(/npm run restore/);
	});

	it('writes to backup/ with the date in the name when given no file', () => {
		const r = npmRun('backup', [], original.dataDir);
		expect(r.status, r.out).toBe(0);
		const made = r.out.match(/(\/\S+\/backup\/fangkong-\d{4}-\d{2}-\d{2}-\d{6}\.sqlite)/)?.[1];
		expect(made, r.out).toBeTruthy();
		expect(fs.existsSync(made!)).toBe(true);
		fs.rmSync(made!);
	});
});
