import * as Y from 'yjs';
import { createBacking, type Backing } from '../helpers/backing.ts';
import { testPostgres } from '../helpers/database.ts';
import { TestServer } from '../helpers/server.ts';

/**
 * Several Fangkong instances of one deployment: each its own process and port, all on one
 * PostgreSQL database and one Redis. The database also records every append to the update log
 * (a test-only trigger), so a test can tell what was stored, and how often, after compaction
 * has folded the log away.
 */
export class Cluster {
	backing!: Backing;
	readonly servers: TestServer[] = [];
	private env: Record<string, string>;
	constructor(env: Record<string, string> = {}) {
		this.env = env;
	}

	static available() {
		return testPostgres() !== null;
	}

	async create() {
		this.backing = await createBacking(testPostgres()!);
		return this;
	}

	/** A new instance (not started). */
	instance(env: Record<string, string> = {}) {
		const s = new TestServer({ ...this.env, ...env }, { backing: this.backing });
		this.servers.push(s);
		return s;
	}

	/** Records every row appended to doc_updates from now on (the schema must exist: after one instance started). */
	async recordAppends() {
		await this.sql(`CREATE TABLE IF NOT EXISTS test_appends (id bigserial PRIMARY KEY, doc text NOT NULL, data bytea NOT NULL)`);
		await this.sql(`CREATE OR REPLACE FUNCTION test_record_append() RETURNS trigger AS $$
			BEGIN INSERT INTO test_appends (doc, data) VALUES (NEW.doc, NEW.data); RETURN NEW; END $$ LANGUAGE plpgsql`);
		await this.sql(`CREATE OR REPLACE TRIGGER test_record_append AFTER INSERT ON doc_updates FOR EACH ROW EXECUTE FUNCTION test_record_append()`);
	}

	/**
	 * How many times each client's edits were appended for `doc`: per Yjs client id, the number
	 * of times each of its clocks appears in the recorded appends (1 everywhere: stored once).
	 */
	async appendsPerClock(doc: string, clientId: number): Promise<number[]> {
		const rows = await this.sql<{ data: Uint8Array }>('SELECT data FROM test_appends WHERE doc = ? ORDER BY id', [doc]);
		const seen: number[] = [];
		for (const { data } of rows) {
			for (const struct of Y.decodeUpdate(data).structs) {
				if (struct.id.client !== clientId) continue;
				for (let clock = struct.id.clock; clock < struct.id.clock + struct.length; clock++) seen[clock] = (seen[clock] ?? 0) + 1;
			}
		}
		return Array.from(seen, (n) => n ?? 0);
	}

	async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
		const db = await this.servers[0].database();
		try {
			return await db.query<T>(text, params);
		} finally {
			await db.close();
		}
	}

	async dispose() {
		for (const s of this.servers) await s.dispose();
		await this.backing?.dispose();
	}
}
