import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SOURCES = ['src', 'server', 'collab', 'messages', 'static', 'project.inlang', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestMtime(p: string): number {
	if (!fs.existsSync(p)) return 0;
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let max = 0;
	for (const e of fs.readdirSync(p)) {
		if (e === 'paraglide' || e === 'node_modules') continue; // generated, or not ours
		max = Math.max(max, newestMtime(path.join(p, e)));
	}
	return max;
}

/** Runs `vite build` when there is no build, or when a source changed since the last one. */
export async function ensureBuilt(root: string): Promise<void> {
	// Several processes (test runners, a developer's server) may ask at once: build one at a time.
	const lock = path.join(root, '.build.lock');
	const deadline = Date.now() + 10 * 60_000;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			break;
		} catch {
			const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if (age > 5 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
			else if (Date.now() > deadline) throw new Error(`build lock ${lock} held too long`);
			else await new Promise((r) => setTimeout(r, 250));
		}
	}
	try {
		buildIfStale(root);
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function buildIfStale(root: string) {
	const stamp = path.join(root, 'build', '.built');
	const builtAt = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
	const newest = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
	if (builtAt && builtAt >= newest) return;
	process.stdout.write('正在构建前端（首次启动需要约一分钟）… / building the web app…\n');
	const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (r.status !== 0) throw new Error('vite build failed');
	fs.writeFileSync(stamp, new Date().toISOString());
}
