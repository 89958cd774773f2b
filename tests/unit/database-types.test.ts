import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrations/index.ts';
import { freshDb } from '../helpers/database.ts';

/** Values come back with the types `server/db/schema.ts` declares, on SQLite and on PostgreSQL. */
describe('database values', () => {
	let db: Db;
	let dispose: () => Promise<void>;
	beforeAll(async () => {
		({ db, dispose } = await freshDb());
		await migrate(db);
	});
	afterAll(() => dispose());

	it('gives BIGINT timestamps, ids and counts as numbers, and documents as Uint8Array', async () => {
		const at = Date.UTC(2026, 10, 27, 8, 0, 0);
		await db.insertInto('users').values({ id: 'u1', username: 'u1', display_name: 'U', password_hash: 'x', role: 'editor', disabled: 0, created_at: at }).execute();
		await db.insertInto('sessions').values({ id: 's1', user_id: 'u1', expires_at: at + 1 }).execute();
		await db.insertInto('doc_updates').values({ doc: 'section:t', data: new Uint8Array([1, 2, 3]), created_at: at }).execute();

		const user = await db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
		expect(user.created_at).toBe(at);
		expect(user.disabled).toBe(0);
		const session = await db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow();
		expect(session.expires_at).toBe(at + 1);
		const update = await db.selectFrom('doc_updates').selectAll().executeTakeFirstOrThrow();
		expect(typeof update.id).toBe('number');
		// A plain Uint8Array, as node:sqlite gives (not a Buffer, whose slice() shares memory).
		expect(Object.getPrototypeOf(update.data)).toBe(Uint8Array.prototype);
		expect(Array.from(update.data)).toEqual([1, 2, 3]);
		const count = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(count.n).toBe(1);
		const latest = await db.selectFrom('sessions').select((eb) => eb.fn.max('expires_at').as('m')).executeTakeFirstOrThrow();
		expect(latest.m).toBe(at + 1);
	});
});
