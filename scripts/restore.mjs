// `npm run restore <file>`: puts a backup in place as $DATA_DIR/fangkong.sqlite. The server must
// be stopped; the database it replaces is kept aside.
import path from 'node:path';
import { underNode24 } from './node24.mjs';

await underNode24(import.meta.url);
const { loadConfig } = await import('../server/config.ts');
const { BackupError, restoreDatabase, refuseOnPostgres } = await import('../server/db/backup.ts');
const { runCommand } = await import('./command.mjs');

await runCommand('恢复失败 / restore failed', async () => {
	const arg = process.argv[2];
	if (!arg) throw new BackupError('请指定备份文件：npm run restore <文件> / name the backup file: npm run restore <file>');
	const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), arg);
	const config = loadConfig();
	refuseOnPostgres(config);
	const { databaseFile } = config;
	const { keptAs } = restoreDatabase(file, databaseFile);
	process.stdout.write(`已从 ${file} 恢复到 ${databaseFile} / restored\n`);
	if (keptAs) process.stdout.write(`原数据库已保留为 / the replaced database is kept as ${keptAs}\n`);
	process.stdout.write('现在可以启动服务器：npm start / you can start the server now: npm start\n');
});
