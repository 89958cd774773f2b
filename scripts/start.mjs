// `npm start`: plain JavaScript, so that an older Node still gets to say what is missing
// (Node 20 cannot load the TypeScript entry at all).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 17)) {
	process.stderr.write(
		`防控 Fangkong 需要 Node.js 24（当前 ${process.version}）。请先执行：. scripts/node24.sh ，再重新执行 npm ci && npm start\n` +
			`Fangkong needs Node.js 24 (running ${process.version}). Run: . scripts/node24.sh, then npm ci && npm start again\n`
	);
	process.exit(1);
}
await import('../server/main.ts');
