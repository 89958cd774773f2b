import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrations/index.ts';
import { DocumentStore } from '../../server/documents/store.ts';
import { SqliteBackend } from '../../server/documents/sqlite-backend.ts';
import { DatabaseBackend } from '../../server/documents/database-backend.ts';
import { log } from '../../server/log.ts';
import { freshDb } from '../helpers/database.ts';
import { until } from '../helpers/collab-client.ts';
import { recordingDoc } from '../helpers/recording-doc.ts';

let db: Db;
let disposeDb: () => Promise<void>;
let file: string | undefined;
let n = 0;
const stores: DocumentStore[] = [];

/** A store over the test database, as the server builds it (SQLite: its own writer and reader threads). */
function storeWith(compactAfter: number) {
	const store = new DocumentStore(file ? new SqliteBackend(file) : new DatabaseBackend(db), compactAfter);
	stores.push(store);
	return store;
}
/** A fresh document name per test, so tests share one database but no documents. */
const docName = () => `section:test-${++n}`;

// SQLite by default; a fresh PostgreSQL database in the `postgres` project.
beforeAll(async () => {
	({ db, file, dispose: disposeDb } = await freshDb());
	await migrate(db);
});

afterAll(async () => {
	await Promise.all(stores.map((s) => s.close()));
	await disposeDb();
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** The section text and state vector of a stored state, as a fresh client would see it. */
function view(state: Uint8Array | null) {
	expect(state).not.toBeNull();
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state!);
	const out = { xml: doc.getXmlFragment('default').toString(), sv: Array.from(Y.encodeStateVector(doc)) };
	doc.destroy();
	return out;
}

const expected = (doc: Y.Doc) => ({ xml: doc.getXmlFragment('default').toString(), sv: Array.from(Y.encodeStateVector(doc)) });

async function snapshotRow(doc: string) {
	return db.selectFrom('doc_snapshots').selectAll().where('doc', '=', doc).executeTakeFirst();
}

describe('DocumentStore', () => {
	it('returns null for a document with nothing stored', async () => {
		const store = storeWith(1000);
		expect(await store.load(docName())).toBeNull();
		expect(await store.loadDoc(docName())).toBeNull();
	});

	it('round-trips appended updates: load gives back exactly what was appended', async () => {
		const store = storeWith(1000);
		const name = docName();
		const c = recordingDoc();
		c.paragraph('接收申请材料');
		c.paragraph('形式审查');
		((c.fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '【受理】');
		c.fragment.delete(1, 1);
		for (const u of c.updates) await store.append(name, u);
		expect(await store.logLength(name)).toBe(c.updates.length);
		expect(view(await store.load(name))).toEqual(expected(c.doc));
		expect(view(await store.load(name)).xml).toContain('【受理】接收申请材料');
		expect(view(await store.load(name)).xml).not.toContain('形式审查');
	});

	it('keeps documents apart', async () => {
		const store = storeWith(1000);
		const [a, b] = [docName(), docName()];
		const ca = recordingDoc();
		const cb = recordingDoc();
		ca.paragraph('甲文档');
		cb.paragraph('乙文档');
		await store.append(a, ca.updates[0]);
		await store.append(b, cb.updates[0]);
		expect(view(await store.load(a)).xml).toContain('甲文档');
		expect(view(await store.load(a)).xml).not.toContain('乙文档');
		expect(view(await store.load(b)).xml).toContain('乙文档');
	});

	it('compaction folds the log into the snapshot and keeps the content identical', async () => {
		const store = storeWith(1000);
		const name = docName();
		const c = recordingDoc();
		for (let i = 0; i < 25; i++) c.paragraph(`第${i}步`);
		for (const u of c.updates) await store.append(name, u);
		const before = view(await store.load(name));
		const lastId = await db.selectFrom('doc_updates').select((eb) => eb.fn.max('id').as('id')).where('doc', '=', name).executeTakeFirstOrThrow();

		await store.compact(name);

		expect(await store.logLength(name)).toBe(0);
		const snap = await snapshotRow(name);
		expect(snap).toBeDefined();
		expect(Number(snap!.through_id)).toBe(Number(lastId.id));
		expect(view(await store.load(name))).toEqual(before);
		expect(before).toEqual(expected(c.doc));

		// Later edits land in the log again and load on top of the snapshot.
		const mark = c.updates.length;
		c.paragraph('压缩之后的修改');
		for (const u of c.updates.slice(mark)) await store.append(name, u);
		expect(await store.logLength(name)).toBe(1);
		expect(view(await store.load(name))).toEqual(expected(c.doc));

		// A second compaction merges the old snapshot with the new log.
		await store.compact(name);
		expect(await store.logLength(name)).toBe(0);
		expect(view(await store.load(name))).toEqual(expected(c.doc));
	});

	it('compacts by itself once the log reaches compactAfter updates', async () => {
		const store = storeWith(5);
		const name = docName();
		const c = recordingDoc();
		for (let i = 0; i < 4; i++) c.paragraph(`段落${i}`);
		for (const u of c.updates) await store.append(name, u);
		expect(await store.logLength(name)).toBe(4);
		expect(await snapshotRow(name)).toBeUndefined();

		c.paragraph('第五次更新');
		await store.append(name, c.updates[4]);
		// The compaction runs in the background, started by the append alone (nothing here calls
		// compact): wait until its transaction has committed the snapshot and emptied the log.
		await until(async () => (await snapshotRow(name)) !== undefined, 'automatic compaction');
		expect(await store.logLength(name)).toBe(0);
		expect(view(await store.load(name))).toEqual(expected(c.doc));
	});

	it('compacting an empty log changes nothing', async () => {
		const store = storeWith(1000);
		const name = docName();
		await store.compact(name);
		expect(await snapshotRow(name)).toBeUndefined();
		expect(await store.load(name)).toBeNull();
	});

	it('skips a corrupt row on load and keeps the rest intact', async () => {
		const errors = vi.spyOn(log, 'error').mockImplementation(() => {});
		const store = storeWith(1000);
		const name = docName();
		const c = recordingDoc();
		c.paragraph('损坏之前');
		await store.append(name, c.updates[0]);
		const garbage = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
		expect(() => Y.applyUpdate(new Y.Doc(), garbage)).toThrow(); // it really is unreadable
		await db.insertInto('doc_updates').values({ doc: name, data: garbage, created_at: Date.now() }).execute();
		c.paragraph('损坏之后');
		await store.append(name, c.updates[1]);

		const loaded = view(await store.load(name));
		expect(loaded).toEqual(expected(c.doc));
		expect(loaded.xml).toContain('损坏之前');
		expect(loaded.xml).toContain('损坏之后');
		expect(errors).toHaveBeenCalledWith('skipping unreadable document update', expect.objectContaining({ doc: name }));

		// Compaction drops the unreadable row and keeps the same content.
		await store.compact(name);
		expect(await store.logLength(name)).toBe(0);
		expect(view(await store.load(name))).toEqual(expected(c.doc));
	});

	it('reads a large document right across appends, compactions and a replace (the reader keeps it between reads)', async () => {
		const store = storeWith(1000);
		const name = docName();
		const c = recordingDoc();
		// Over the size from which the reader thread keeps a document in memory (64 KiB).
		for (let i = 0; i < 40; i++) c.paragraph(`第${i}段：${'风险防控'.repeat(600)}`);
		for (const u of c.updates) await store.append(name, u);
		const json = async () => JSON.parse(new TextDecoder().decode((await store.sectionJson(name))!));
		expect(view(await store.load(name))).toEqual(expected(c.doc));
		expect(JSON.stringify(await json())).toContain('第39段');

		// Rows appended after a read are read the next time.
		const mark = c.updates.length;
		c.text(0).insert(0, '【新增】');
		c.paragraph('之后追加的段落');
		for (const u of c.updates.slice(mark)) await store.append(name, u);
		expect(view(await store.load(name))).toEqual(expected(c.doc));
		expect(JSON.stringify(await json())).toContain('之后追加的段落');

		// Compaction folds exactly what was read; later rows still land on top.
		await store.compact(name);
		expect(await store.logLength(name)).toBe(0);
		const more = c.updates.length;
		c.paragraph('压缩之后');
		for (const u of c.updates.slice(more)) await store.append(name, u);
		expect(view(await store.load(name))).toEqual(expected(c.doc));

		// A replace is never hidden by what the reader kept.
		const fresh = recordingDoc();
		fresh.paragraph('替换后的内容');
		await store.replace(name, Y.encodeStateAsUpdate(fresh.doc));
		expect(view(await store.load(name))).toEqual(expected(fresh.doc));
		expect(JSON.stringify(await json())).not.toContain('第39段');
	});

	it('replace stores a state as the snapshot and clears the log', async () => {
		const store = storeWith(1000);
		const name = docName();
		const old = recordingDoc();
		old.paragraph('旧内容');
		await store.append(name, old.updates[0]);
		const fresh = recordingDoc();
		fresh.paragraph('种子内容');
		await store.replace(name, Y.encodeStateAsUpdate(fresh.doc));
		expect(await store.logLength(name)).toBe(0);
		expect(view(await store.load(name))).toEqual(expected(fresh.doc));
	});
});
