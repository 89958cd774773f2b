// `npm run backup [file]`: a consistent copy of the database, safe while the server runs.
// Without a file: backup/fangkong-<date>-<time>.sqlite in the project folder.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { underNode24 } from './node24.mjs';

await underNode24(import.meta.url);
const { loadConfig } = await import('../server/config.ts');
const { backupDatabase, stamp, refuseOnPostgres } = await import('../server/db/backup.ts');
const { runCommand } = await import('./command.mjs');

await runCommand('备份失败 / backup failed', async () => {
	const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
	const arg = process.argv[2];
	// npm runs scripts in the project folder; a file named on the command line is meant from where it was typed.
	const target = arg ? path.resolve(process.env.INIT_CWD ?? process.cwd(), arg) : path.join(root, 'backup', `fangkong-${stamp(new Date())}.sqlite`);
	const config = loadConfig();
	refuseOnPostgres(config);
	const { databaseFile } = config;
	const { bytes } = await backupDatabase(databaseFile, target);
	process.stdout.write(`已备份到 / backed up to ${target} (${(bytes / 1024 / 1024).toFixed(1)} MB)\n`);
});
