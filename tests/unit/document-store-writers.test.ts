import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrations/index.ts';
import { DocumentStore } from '../../server/documents/store.ts';
import { DatabaseBackend } from '../../server/documents/database-backend.ts';
import { createDatabase } from '../helpers/backing.ts';
import { rawPostgres, testPostgres, type RawDatabase } from '../helpers/database.ts';
import { until } from '../helpers/collab-client.ts';

/**
 * The update log with several writers, on PostgreSQL (project `postgres`): two instances'
 * stores on one database, and a test connection that steers the interleaving. A trigger on
 * doc_snapshots makes a compaction wait, just before it writes its snapshot, until the test
 * releases the advisory lock named after that instance (its application_name): so the races
 * below happen every run, not by chance.
 */
const admin = testPostgres();

describe.skipIf(!admin)('document store with several writers (PostgreSQL)', () => {
	let url: string;
	let drop: () => Promise<void>;
	let a: Db;
	let b: Db;
	let steer: RawDatabase;
	let n = 0;
	const docName = () => `section:writers-${++n}`;

	beforeAll(async () => {
		({ url, drop } = await createDatabase(admin!));
		const as = (name: string) => `${url}?application_name=${name}`;
		a = openPostgres(as('instance-a'));
		b = openPostgres(as('instance-b'));
		await migrate(a);
		steer = await rawPostgres(url);
		await steer.query(`
			CREATE FUNCTION hold_snapshot_write() RETURNS trigger AS $$
			BEGIN
				PERFORM pg_advisory_lock(hashtext(current_setting('application_name')));
				PERFORM pg_advisory_unlock(hashtext(current_setting('application_name')));
				RETURN NEW;
			END $$ LANGUAGE plpgsql`);
		await steer.query('CREATE TRIGGER hold_snapshot_write BEFORE INSERT OR UPDATE ON doc_snapshots FOR EACH ROW EXECUTE FUNCTION hold_snapshot_write()');
	});

	afterAll(async () => {
		await steer?.close();
		await a?.destroy();
		await b?.destroy();
		await drop?.();
	});

	const hold = (instance: string) => steer.query('SELECT pg_advisory_lock(hashtext(?))', [instance]);
	const release = (instance: string) => steer.query('SELECT pg_advisory_unlock(hashtext(?))', [instance]);
	/** Until `instance`'s compaction waits in the trigger. */
	const waiting = (instance: string) =>
		until(async () => {
			const rows = await steer.query("SELECT 1 FROM pg_stat_activity WHERE application_name = ? AND wait_event = 'advisory'", [instance]);
			return rows.length > 0;
		}, `${instance} waits before writing its snapshot`);

	function edits(...texts: string[]) {
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		for (const t of texts) {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(t)]);
			doc.getXmlFragment('default').insert(doc.getXmlFragment('default').length, [p]);
		}
		return { doc, updates };
	}
	const xml = async (store: DocumentStore, name: string) => {
		const d = await store.loadDoc(name);
		return d ? d.getXmlFragment('default').toString() : '';
	};

	it('compaction keeps a row with a lower id that commits after it read the log', async () => {
		const store = new DocumentStore(new DatabaseBackend(a), 1000);
		const name = docName();
		const { updates } = edits('先取号后提交', '后取号先提交');
		// Another instance's append takes its id first but commits last.
		const late = await rawPostgres(url);
		await late.query('BEGIN');
		await late.query('INSERT INTO doc_updates (doc, data, created_at) VALUES (?, ?, ?)', [name, Buffer.from(updates[0]), Date.now()]);
		await store.append(name, updates[1]);

		await hold('instance-a');
		const compaction = store.compact(name);
		await waiting('instance-a'); // it has read the log: only the higher id was committed then
		await late.query('COMMIT');
		await late.close();
		await release('instance-a');
		await compaction;

		expect(await store.logLength(name)).toBe(1);
		expect(await xml(store, name)).toContain('先取号后提交');
		expect(await xml(store, name)).toContain('后取号先提交');
	});

	it('two instances never compact one document at once: the later one leaves it to the first', async () => {
		const [storeA, storeB] = [new DocumentStore(new DatabaseBackend(a), 1000), new DocumentStore(new DatabaseBackend(b), 1000)];
		const name = docName();
		const { updates } = edits('第一段', '第二段', '压缩期间写入的段落');
		await storeA.append(name, updates[0]);
		await storeA.append(name, updates[1]);

		await hold('instance-a');
		await hold('instance-b');
		const first = storeA.compact(name);
		await waiting('instance-a'); // A folded the first two
		await storeB.append(name, updates[2]);
		const second = storeB.compact(name);
		// B must not write a snapshot now (it would hold the third paragraph, then A's older one
		// would overwrite it after B deleted that row); let B through first, then A.
		await release('instance-b');
		await second;
		await release('instance-a');
		await Promise.all([first, second]);

		expect(await xml(storeA, name)).toContain('压缩期间写入的段落');
		expect(await xml(storeB, name)).toContain('第二段');
		await storeB.compact(name);
		expect(await storeB.logLength(name)).toBe(0);
		expect(await xml(storeB, name)).toContain('压缩期间写入的段落');
	});

	it('loading sees snapshot and log from one moment while a compaction commits', async () => {
		const store = new DocumentStore(new DatabaseBackend(a), 1000);
		const reader = new DocumentStore(new DatabaseBackend(b), 1000);
		const name = docName();
		const { updates } = edits(...Array.from({ length: 40 }, (_, i) => `第${i}段`));
		for (const u of updates) await store.append(name, u);
		// Each load must hold all 40 paragraphs, whichever side of the compaction's commit it reads.
		const loads = Array.from({ length: 30 }, () => xml(reader, name));
		await store.compact(name);
		for (const x of await Promise.all(loads)) expect(x.match(/<paragraph>/g)?.length).toBe(40);
	});
});
