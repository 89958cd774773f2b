import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import pg from 'pg';
import { inject } from 'vitest';
import { openPostgres, openSqlite, pgTypes, type Db } from '../../server/db/connect.ts';
import { createDatabase } from './backing.ts';

/** The PostgreSQL cluster of this run (project `postgres`), or null on SQLite. */
export function testPostgres(): string | null {
	try {
		return inject('postgres') ?? null;
	} catch {
		return null; // outside Vitest (benchmarks)
	}
}

/** Plain SQL on a test server's database, `?` placeholders on both engines. */
export type RawDatabase = {
	query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
	close(): Promise<void>;
};

export function rawSqlite(file: string): RawDatabase {
	const db = new DatabaseSync(file);
	db.exec('PRAGMA busy_timeout = 5000');
	return {
		async query<T>(text: string, params: unknown[] = []) {
			const stmt = db.prepare(text);
			if (stmt.columns().length === 0) {
				stmt.run(...(params as SQLInputValue[]));
				return [];
			}
			return stmt.all(...(params as SQLInputValue[])) as T[];
		},
		async close() {
			db.close();
		}
	};
}

export async function rawPostgres(url: string): Promise<RawDatabase> {
	// The server's type parsers: BIGINT as numbers here too.
	const client = new pg.Client({ connectionString: url, types: pgTypes });
	await client.connect();
	return {
		async query<T>(text: string, params: unknown[] = []) {
			let n = 0;
			const r = await client.query(
				text.replace(/\?/g, () => `$${++n}`),
				params
			);
			return r.rows as T[];
		},
		async close() {
			await client.end();
		}
	};
}

/** A migrated-or-not Kysely handle on a fresh database of this run's engine, and its disposal. */
/** `file`: the SQLite file (absent on PostgreSQL). */
export async function freshDb(): Promise<{ db: Db; engine: 'sqlite' | 'postgres'; file?: string; dispose(): Promise<void> }> {
	const admin = testPostgres();
	if (admin) {
		const created = await createDatabase(admin);
		const db = openPostgres(created.url);
		return {
			db,
			engine: 'postgres',
			async dispose() {
				await db.destroy();
				await created.drop();
			}
		};
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-db-'));
	const file = path.join(dir, 'fangkong.sqlite');
	const db = openSqlite(file);
	return {
		db,
		engine: 'sqlite',
		file,
		async dispose() {
			await db.destroy();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}
