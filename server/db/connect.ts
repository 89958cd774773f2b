import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

/**
 * Opens the embedded SQLite database with Node's built-in `node:sqlite` (nothing to compile at
 * install). WAL keeps readers off the writer's back; synchronous=FULL makes a committed append
 * survive a crash of the process or the machine, which is what lets the collaboration server
 * confirm an edit only after it is stored.
 */
export function openSqlite(file: string): Db {
	const sqlite = openSqliteFile(file);
	// Checkpoints (copying the WAL back into the database, with an fsync) are left to the
	// document writer thread (server/documents/sqlite-writer.ts): run here, one would stall
	// every request for the length of the copy.
	sqlite.exec('PRAGMA wal_autocheckpoint = 0');
	return new Kysely<Database>({ dialect: new SqliteDialect({ database: kyselyAdapter(sqlite) }) });
}

/**
 * One connection to the database file, as every thread opens it: the app's (above) and the
 * document threads' own (server/documents/), which share the file through WAL.
 */
export function openSqliteFile(file: string): DatabaseSync {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const sqlite = new DatabaseSync(file);
	sqlite.exec('PRAGMA journal_mode = WAL');
	sqlite.exec('PRAGMA synchronous = FULL');
	sqlite.exec('PRAGMA foreign_keys = ON');
	sqlite.exec('PRAGMA busy_timeout = 5000');
	return sqlite;
}

/** Kysely's SQLite driver speaks the better-sqlite3 interface; node:sqlite differs only in spelling. */
function kyselyAdapter(sqlite: DatabaseSync): SqliteDatabase {
	const statements = new Map<string, StatementSync>();
	const prepare = (sql: string) => {
		let stmt = statements.get(sql);
		if (!stmt) {
			stmt = sqlite.prepare(sql);
			// Kysely builds a new SQL string per shape, not per value: a bounded cache suffices.
			if (statements.size > 500) statements.clear();
			statements.set(sql, stmt);
		}
		return stmt;
	};
	type Param = SQLInputValue;
	return {
		close: () => sqlite.close(),
		prepare(sql: string): SqliteStatement {
			const stmt = prepare(sql);
			return {
				reader: stmt.columns().length > 0,
				all: (params) => stmt.all(...(params as Param[])),
				run: (params) => stmt.run(...(params as Param[])),
				iterate: (params) => stmt.iterate(...(params as Param[]))
			};
		}
	};
}
