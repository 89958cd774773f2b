import fs from 'node:fs';
import path from 'node:path';

/**
 * Which server process uses a data directory: `$DATA_DIR/server.pid`, written once the server
 * listens and removed when it stops. A second server on the same data would hold its own copy
 * of every open document, and a restore under a running server would be overwritten by it.
 */
const file = (dataDir: string) => path.join(dataDir, 'server.pid');

/** The pid of the server running on `dataDir`, or null (no file, or its process is gone). */
export function serverRunningOn(dataDir: string): number | null {
	const pid = readPid(dataDir);
	if (pid === null || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
	try {
		process.kill(pid, 0);
	} catch (err) {
		// EPERM: it exists but belongs to someone else, so it is running.
		if ((err as NodeJS.ErrnoException).code !== 'EPERM') return null;
	}
	// After a crash and a reboot the number may belong to another program (Linux can tell).
	const cmdline = `/proc/${pid}/cmdline`;
	if (fs.existsSync('/proc/self/cmdline') && !(fs.existsSync(cmdline) && /node/.test(fs.readFileSync(cmdline, 'utf8')))) return null;
	return pid;
}

/** Records this process as the data directory's server; refuses when another one runs there. */
export function claimDataDir(dataDir: string): { ok: true } | { ok: false; pid: number } {
	const other = serverRunningOn(dataDir);
	if (other) return { ok: false, pid: other };
	fs.mkdirSync(dataDir, { recursive: true });
	fs.writeFileSync(file(dataDir), `${process.pid}\n`);
	return { ok: true };
}

/** Removes the record, if it is this process's. */
export function releaseDataDir(dataDir: string) {
	if (readPid(dataDir) === process.pid) fs.rmSync(file(dataDir), { force: true });
}

function readPid(dataDir: string): number | null {
	try {
		return Number(fs.readFileSync(file(dataDir), 'utf8').trim());
	} catch {
		return null;
	}
}
