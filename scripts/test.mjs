// `npm test`: the dependency and type checks (`npm run check`), then every Vitest suite, under
// Node 24 with it first on PATH (the test servers are started with process.execPath).
// Arguments go to Vitest: `npm test -- tests/unit/config.test.ts`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitLike, npmCommand, runForwardingSignals, underNode24 } from './node24.mjs';

await underNode24(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [npm, ...pre] = npmCommand();
const steps = [
	[npm, [...pre, 'run', 'check']],
	[process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)]]
];
for (const [command, args] of steps) {
	const ended = await runForwardingSignals(command, args, { cwd: root });
	if (ended.code !== 0) exitLike(ended);
}
