// `npm run fuzz`: the long pass of the /collab fuzzer (tests/collab/fuzz.test.ts), 150,000 frames
// unless FUZZ_FRAMES says otherwise; FUZZ_SEED replays a run. `npm test` runs a short pass.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitLike, runForwardingSignals, underNode24 } from './node24.mjs';

await underNode24(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.FUZZ_FRAMES ??= '150000';
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const ended = await runForwardingSignals(process.execPath, [vitest, 'run', 'tests/collab/fuzz.test.ts', '--testTimeout=3600000', ...process.argv.slice(2)], { cwd: root });
exitLike(ended);
