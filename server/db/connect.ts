import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { errorFields, log } from '../log.ts';

export type Db = Kysely<Database>;
export type Engine = 'sqlite' | 'postgres';

/** PostgreSQL when a `DATABASE_URL` is given, else the embedded SQLite file. */
export function openDatabase(where: { databaseUrl?: string; databaseFile: string }): Db {
	return where.databaseUrl ? openPostgres(where.databaseUrl) : openSqlite(where.databaseFile);
}

export function engineOf(db: Kysely<any>): Engine {
	return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

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

const OID = { int8: 20, numeric: 1700, bytea: 17 } as const;

/**
 * The code declares epoch-millisecond timestamps, counts and ids as numbers and documents as
 * Uint8Array; node-postgres would give BIGINT and NUMERIC as strings and BYTEA as Buffer. All
 * of them stay far below 2^53, so they come back as numbers here, for this pool only.
 */
export const pgTypes: pg.CustomTypesConfig = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
		if (oid === OID.int8 || oid === OID.numeric) return (v: string) => Number(v);
		if (oid === OID.bytea) {
			const buffer = pg.types.getTypeParser(OID.bytea, 'text') as (v: string) => Buffer;
			return (v: string) => {
				const b = buffer(v);
				return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
			};
		}
		return pg.types.getTypeParser(oid, format ?? 'text');
	}) as pg.CustomTypesConfig['getTypeParser']
};

/** A pool on PostgreSQL (`DATABASE_URL`); several Fangkong instances may share the database. */
export function openPostgres(url: string): Db {
	const pool = new pg.Pool({ connectionString: url, types: pgTypes, max: 10 });
	// An idle client losing its connection (database restarted) must not crash the process;
	// the pool replaces it on the next query.
	pool.on('error', (err) => log.error('database connection lost', errorFields(err)));
	return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
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
