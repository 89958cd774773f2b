import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

/**
 * Opens the embedded SQLite database. WAL keeps readers off the writer's back;
 * synchronous=FULL makes a committed append survive a crash of the process or the machine,
 * which is what lets the collaboration server confirm an edit only after it is stored.
 */
export function openSqlite(file: string): Db {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const sqlite = new SQLite(file);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
