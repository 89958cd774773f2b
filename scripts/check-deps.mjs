// Fails when the installed tree has more than one copy of Yjs (two copies break sync
// silently) or when @tiptap/* packages are not all on one version.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { danglingOptionals } from './repair-lock.mjs';

const problems = [];
const copies = execFileSync('npm', ['ls', 'yjs', '--all', '--parseable'], { encoding: 'utf8' })
	.split('\n')
	.filter(Boolean);
const versions = new Set(copies.map((dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version));
if (copies.length !== 1 || ![...versions].every((v) => v.startsWith('13.'))) {
	problems.push(`expected exactly one yjs 13, found ${copies.length} copies: ${[...versions].join(', ')}`);
}

const tiptapDir = 'node_modules/@tiptap';
const tiptap = new Map();
for (const name of fs.readdirSync(tiptapDir)) {
	if (name === 'y-tiptap') continue; // separately versioned binding, not part of the editor release train
	tiptap.set(name, JSON.parse(fs.readFileSync(path.join(tiptapDir, name, 'package.json'), 'utf8')).version);
}
if (new Set(tiptap.values()).size > 1) {
	problems.push(`@tiptap/* on several versions: ${[...tiptap].map(([n, v]) => `${n}@${v}`).join(', ')}`);
}

const dangling = danglingOptionals(JSON.parse(fs.readFileSync('package-lock.json', 'utf8')));
if (dangling.length) {
	problems.push(`package-lock.json names optional packages it has no entry for (${dangling.map((d) => d.name).join(', ')}); \`npm ci\` will refuse it. Run: node scripts/repair-lock.mjs`);
}

if (problems.length) {
	console.error('dependency check failed:\n- ' + problems.join('\n- '));
	process.exit(1);
}
console.log(`deps ok: one yjs@${[...versions][0]}, @tiptap/* all at ${[...new Set(tiptap.values())][0]}`);
