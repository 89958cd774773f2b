import fs from 'node:fs';
import path from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { serverRunningOn } from '../server-pid.ts';

/** A refusal the backup commands print as it is: the operator can act on it, no stack needed. */
export class BackupError extends Error {}

/** These commands copy the SQLite file; a PostgreSQL deployment is backed up with its own tools. */
export function refuseOnPostgres(config: { databaseUrl?: string }) {
	if (config.databaseUrl)
		throw new BackupError(
			'数据保存在 PostgreSQL（DATABASE_URL）中，请用 pg_dump / pg_restore 备份和恢复。\nthe data is in PostgreSQL (DATABASE_URL): back it up and restore it with pg_dump / pg_restore.'
		);
}

/**
 * Copies the database with SQLite's online backup API: a consistent copy even while the server
 * writes, since it reads one snapshot (WAL readers never block the writer). The copy is written
 * beside its destination first and only renamed into place once checked, so a file under the
 * final name is always a whole backup.
 */
export async function backupDatabase(databaseFile: string, target: string): Promise<{ bytes: number }> {
	if (!fs.existsSync(databaseFile)) throw new BackupError(`没有找到数据库 ${databaseFile}（请检查 DATA_DIR）/ no database at ${databaseFile} (check DATA_DIR)`);
	if (fs.existsSync(target)) throw new BackupError(`${target} 已存在，不会覆盖 / ${target} exists, not overwritten`);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	const partial = `${target}.partial`;
	const source = new DatabaseSync(databaseFile);
	try {
		source.exec('PRAGMA busy_timeout = 5000');
		// All pages in one step: a step-wise copy restarts whenever the server writes meanwhile.
		await backup(source, partial, { rate: 2 ** 31 - 1 });
	} finally {
		source.close();
	}
	try {
		const copy = new DatabaseSync(partial);
		try {
			// A backup is one self-contained file: no -wal beside it to forget.
			copy.exec('PRAGMA journal_mode = DELETE');
		} finally {
			copy.close();
		}
		checkFangkongDatabase(partial);
		fs.renameSync(partial, target);
	} finally {
		fs.rmSync(partial, { force: true });
	}
	return { bytes: fs.statSync(target).size };
}

/**
 * Puts a backup in place as the data directory's database. Refused while a server runs there
 * (it would keep serving, and writing, the old data). A database already there is kept aside
 * under `fangkong.sqlite.before-restore-<time>`.
 */
export function restoreDatabase(backupFile: string, databaseFile: string, now = new Date()): { keptAs: string | null } {
	if (!fs.existsSync(backupFile)) throw new BackupError(`没有找到备份文件 ${backupFile} / no backup file at ${backupFile}`);
	const dataDir = path.dirname(databaseFile);
	const pid = serverRunningOn(dataDir);
	if (pid) {
		throw new BackupError(
			`服务器正在运行（进程 ${pid}），使用数据目录 ${dataDir}。请先停止服务器（kill ${pid}，或在其终端按 Ctrl+C），再恢复。\n` +
				`a server is running (process ${pid}) on ${dataDir}. Stop it first (kill ${pid}, or Ctrl+C in its terminal), then restore.`
		);
	}
	fs.mkdirSync(dataDir, { recursive: true });
	// Checked as a copy beside its destination: opening the backup itself could leave -wal and
	// -shm files next to it, and nothing is replaced until the copy has passed.
	const incoming = `${databaseFile}.restoring`;
	try {
		fs.copyFileSync(backupFile, incoming);
		checkFangkongDatabase(incoming);
	} catch (err) {
		for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(incoming + suffix, { force: true });
		throw err;
	}
	let keptAs: string | null = null;
	if (fs.existsSync(databaseFile)) {
		// Fold its write-ahead log in, so the copy kept aside is whole and no old -wal is left
		// for SQLite to replay onto the restored file.
		const old = new DatabaseSync(databaseFile);
		try {
			old.exec('PRAGMA wal_checkpoint(TRUNCATE)');
		} finally {
			old.close();
		}
		keptAs = `${databaseFile}.before-restore-${stamp(now)}`;
		fs.renameSync(databaseFile, keptAs);
	}
	for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(databaseFile + suffix, { force: true });
	fs.renameSync(incoming, databaseFile);
	return { keptAs };
}

/** Refuses a file that is not a sound Fangkong database. */
function checkFangkongDatabase(file: string) {
	let db: DatabaseSync;
	try {
		db = new DatabaseSync(file);
	} catch (err) {
		throw new BackupError(`${file} 无法打开 / cannot be opened: ${(err as Error).message}`);
	}
	try {
		const check = db.prepare('PRAGMA quick_check').get() as { quick_check?: string } | undefined;
		if (check?.quick_check !== 'ok') throw new BackupError(`${file} 已损坏 / is damaged: ${check?.quick_check}`);
		const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'kysely_migration')`).all();
		if (tables.length !== 2) throw new BackupError(`${file} 不是防控 Fangkong 的数据库 / is not a Fangkong database`);
	} catch (err) {
		if (err instanceof BackupError) throw err;
		throw new BackupError(`${file} 不是有效的 SQLite 数据库 / is not a valid SQLite database: ${(err as Error).message}`);
	} finally {
		db.close();
	}
}

/** Local time as 2025-06-30-142501, for file names. */
export function stamp(d: Date): string {
	const p = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
