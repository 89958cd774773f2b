import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Whether this machine has what CI would otherwise install, asked without any pipe. */
function machineHasEverything(): boolean {
	const fonts = spawnSync('fc-list', [':', 'family'], { encoding: 'utf8' });
	const postgres = fs.existsSync('/usr/lib/postgresql') && fs.readdirSync('/usr/lib/postgresql').some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
	const redis = spawnSync('sh', ['-c', 'command -v redis-server']).status === 0;
	return fs.existsSync('/usr/bin/chromium') && fonts.status === 0 && /Noto Sans CJK/i.test(fonts.stdout) && postgres && redis;
}

describe('.ci/run', () => {
	it.skipIf(!machineHasEverything())('installs nothing on a machine that has it all, every time', () => {
		// The font check once piped fc-list into `grep -q` under pipefail: grep stopped reading at
		// the first match, fc-list died of SIGPIPE, and about 4 runs in 10 reinstalled the fonts.
		for (let i = 0; i < 25; i++) {
			const r = spawnSync('bash', [path.join(ROOT, '.ci/run'), '--plan'], { encoding: 'utf8' });
			expect(r.status, r.stderr).toBe(0);
			expect(r.stdout, `run ${i + 1}`).toBe('');
		}
	});
});
