// Node.js 24 for machines whose Node is older: the npm package `node` (a real binary), pinned in
// tools/node24/package-lock.json, fetched there on first use. Plain JavaScript, so that the old
// Node runs it. `npm start`, `npm test` and the backup commands go through `underNode24`;
// `node scripts/node24.mjs --bin-dir` serves scripts/node24.sh.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NEEDED_MAJOR = 24;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = path.join(ROOT, 'tools', 'node24');
const BIN_DIR = path.join(TOOLS, 'node_modules', 'node', 'bin');

const majorOf = (version) => Number(String(version).replace(/^v/, '').split('.')[0]);
const isOld = () => majorOf(process.versions.node) < NEEDED_MAJOR;

function say(zh, en) {
	process.stderr.write(`防控 Fangkong：${zh}\nFangkong: ${en}\n`);
}

function works(bin) {
	if (!fs.existsSync(bin)) return false;
	const r = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' });
	return r.status === 0 && majorOf(r.stdout.trim()) >= NEEDED_MAJOR;
}

/** How to run npm: the one that started us when there is one, else the one on PATH. */
export function npmCommand() {
	const cli = process.env.npm_execpath;
	if (cli && /npm-cli\.c?js$/.test(cli)) return [process.execPath, cli];
	return ['npm'];
}

/** The directory of a Node 24 `node`, fetched into tools/node24 the first time. */
export function node24BinDir() {
	const bin = path.join(BIN_DIR, 'node');
	if (works(bin)) return BIN_DIR;
	say(
		`当前 Node.js 为 ${process.version}，正在把 Node.js 24 下载到 tools/node24（仅第一次，约 50 MB）…`,
		`this Node is ${process.version}; fetching Node.js 24 into tools/node24 (first time only, about 50 MB)…`
	);
	const [cmd, ...pre] = npmCommand();
	// npm's own output goes to stderr: stdout may be someone's answer (--bin-dir).
	const r = spawnSync(cmd, [...pre, 'ci', '--no-audit', '--no-fund'], { cwd: TOOLS, stdio: ['ignore', 2, 2] });
	if (r.status !== 0 || !works(bin)) {
		say(
			'无法获取 Node.js 24。请检查网络或 npm 源设置后重试，或自行安装 Node.js 24。',
			'could not fetch Node.js 24. Check the network or the npm registry setting and try again, or install Node.js 24.'
		);
		process.exit(1);
	}
	return BIN_DIR;
}

/**
 * Runs `command` with SIGINT, SIGTERM and SIGHUP passed on to it; resolves with how it ended.
 * The caller stays alive until then, so stopping the caller stops the child.
 */
export function runForwardingSignals(command, args, options = {}) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { stdio: 'inherit', ...options });
		const forward = (signal) => child.kill(signal);
		const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
		for (const s of signals) process.on(s, forward);
		child.once('error', (err) => {
			say(`无法启动 ${command}：${err.message}`, `cannot start ${command}: ${err.message}`);
			resolve({ code: 1, signal: null });
		});
		child.once('exit', (code, signal) => {
			for (const s of signals) process.off(s, forward);
			resolve({ code, signal });
		});
	});
}

/** Ends this process the way a child ended: same exit code, or same signal. */
export function exitLike({ code, signal }) {
	if (signal) process.kill(process.pid, signal);
	process.exit(code ?? 1);
}

/**
 * Returns at once under Node 24 or newer. On an older Node, runs the calling script again under
 * Node 24 (first on PATH, so whatever it starts runs under 24 as well), passes signals on, and
 * exits as that run exits: this function then never returns.
 */
export async function underNode24(scriptUrl) {
	if (!isOld()) return;
	const dir = node24BinDir();
	const env = { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` };
	const ended = await runForwardingSignals(path.join(dir, 'node'), [fileURLToPath(scriptUrl), ...process.argv.slice(2)], { env });
	exitLike(ended);
	await new Promise(() => {});
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2] === '--bin-dir') {
	// Prints nothing when this Node will do.
	if (isOld()) process.stdout.write(`${node24BinDir()}\n`);
}
