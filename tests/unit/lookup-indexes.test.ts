import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery, type Compilable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite, type Db } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrations/index.ts';

let dir: string;
let db: Db;

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-indexes-'));
	db = openSqlite(path.join(dir, 'fangkong.sqlite'));
	await migrate(db);
});

afterAll(async () => {
	await db.destroy();
	fs.rmSync(dir, { recursive: true, force: true });
});

/** SQLite's plan for the query the code runs, one line per step ("SCAN t" reads every row). */
async function plan(query: Compilable): Promise<string> {
	const c = query.compile();
	const r = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${c.sql}`, [...c.parameters]));
	return r.rows.map((row) => row.detail).join('\n');
}

describe('lookups on every request use an index', () => {
	it('a user’s units (every session check and collaboration sign-in)', async () => {
		const p = await plan(db.selectFrom('unit_members').select('unit_id').where('user_id', '=', 'u1'));
		expect(p).toMatch(/SEARCH unit_members USING (COVERING )?INDEX/);
	});

	it('a unit’s sections', async () => {
		const p = await plan(db.selectFrom('sections').select('id').where('unit_id', '=', 'unit-a'));
		expect(p).toMatch(/SEARCH sections USING (COVERING )?INDEX/);
	});

	it('expired sessions', async () => {
		const p = await plan(db.deleteFrom('sessions').where('expires_at', '<=', Date.now()));
		expect(p).toMatch(/SEARCH sessions USING (COVERING )?INDEX/);
	});
});
