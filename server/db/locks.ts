import { sql, type Kysely, type Transaction } from 'kysely';
import { engineOf } from './connect.ts';

/*
 * Locks between Fangkong instances that share one PostgreSQL database (advisory locks, keyed by
 * a hash of the name). On SQLite one process owns the database file (server-pid.ts refuses a
 * second one), and Kysely runs its queries one at a time, so there is nobody to lock out.
 */

const key = (name: string) => sql`hashtextextended(${name}, 0)`;

/** Runs `work` while holding the lock `name`, waiting for it if another instance holds it. */
export async function withLock<T>(db: Kysely<any>, name: string, work: () => Promise<T>): Promise<T> {
	if (engineOf(db) === 'sqlite') return work();
	// A session lock lives on one connection: keep that connection until it is released, while
	// `work` uses the pool as usual.
	return db.connection().execute(async (conn) => {
		await sql`select pg_advisory_lock(${key(name)})`.execute(conn);
		try {
			return await work();
		} finally {
			await sql`select pg_advisory_unlock(${key(name)})`.execute(conn);
		}
	});
}

/**
 * Takes the lock `name` for the rest of transaction `trx` if nobody holds it; false when another
 * instance does (the caller skips its work: that instance is doing it).
 */
export async function tryTransactionLock(trx: Transaction<any>, name: string): Promise<boolean> {
	if (engineOf(trx) === 'sqlite') return true;
	const r = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${key(name)}) as ok`.execute(trx);
	return r.rows[0]?.ok === true;
}
