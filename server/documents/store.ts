import * as Y from 'yjs';
import type { Db } from '../db/connect.ts';
import { tryTransactionLock, withLock } from '../db/locks.ts';
import { errorFields, log } from '../log.ts';

/** Compaction deletes at most this many ids per statement (both engines cap a statement's parameters). */
const DELETE_BATCH = 500;
/** The lock that makes one instance at a time rewrite a document's snapshot. */
const lockName = (doc: string) => `fangkong:document:${doc}`;

/**
 * Durable Yjs state per document: a snapshot plus an append-only log of updates after it.
 * `append` resolves only once the update is committed, so the collaboration server can
 * confirm an edit after it is stored. `compact` folds the log into the snapshot.
 *
 * Several instances may append to one document at once (PostgreSQL). Ids are taken when a row
 * is inserted but become visible when it commits, so a lower id can appear after a higher one:
 * compaction deletes exactly the rows it folded in, never "everything up to the highest id".
 * Two compactions of one document never overlap (a lock; the loser skips, the winner folds in
 * everything committed), and loading reads snapshot and log from one consistent view.
 */
export class DocumentStore {
	/** Updates this instance appended since it last compacted each document; others count their own. */
	private pending = new Map<string, number>();
	private compacting = new Map<string, Promise<void>>();

	private db: Db;
	private compactAfter: number;
	constructor(db: Db, compactAfter: number) {
		this.db = db;
		this.compactAfter = compactAfter;
	}

	/** Everything stored for `doc`, merged into one update; null when nothing is stored. */
	async load(doc: string): Promise<Uint8Array | null> {
		const ydoc = await this.loadDoc(doc);
		if (!ydoc) return null;
		const update = Y.encodeStateAsUpdate(ydoc);
		ydoc.destroy();
		return update;
	}

	async loadDoc(doc: string): Promise<Y.Doc | null> {
		// One transaction: read apart, a compaction committing between the two reads would hide
		// the rows it folded (gone from the log, missing from the older snapshot read first).
		const { snapshot, updates } = await this.db
			.transaction()
			.setIsolationLevel('repeatable read')
			.execute(async (trx) => ({
				snapshot: await trx.selectFrom('doc_snapshots').select(['state']).where('doc', '=', doc).executeTakeFirst(),
				updates: await trx.selectFrom('doc_updates').select(['id', 'data']).where('doc', '=', doc).orderBy('id').execute()
			}));
		if (!snapshot && updates.length === 0) return null;
		return replay(doc, snapshot?.state, updates);
	}

	async append(doc: string, update: Uint8Array): Promise<void> {
		await this.db.insertInto('doc_updates').values({ doc, data: update, created_at: Date.now() }).execute();
		const n = (this.pending.get(doc) ?? 0) + 1;
		this.pending.set(doc, n);
		if (n >= this.compactAfter) void this.compact(doc);
	}

	/** Replaces whatever is stored for `doc` (seeding and imports, never live documents). */
	async replace(doc: string, state: Uint8Array): Promise<void> {
		await withLock(this.db, lockName(doc), () =>
			this.db.transaction().execute(async (trx) => {
				await trx.deleteFrom('doc_updates').where('doc', '=', doc).execute();
				await trx.deleteFrom('doc_snapshots').where('doc', '=', doc).execute();
				await trx.insertInto('doc_snapshots').values({ doc, state, through_id: 0, updated_at: Date.now() }).execute();
			})
		);
	}

	/** Folds the update log into the snapshot. Safe to call any time; runs once per doc at a time. */
	compact(doc: string): Promise<void> {
		const running = this.compacting.get(doc);
		if (running) return running;
		const job = this.compactNow(doc)
			.catch((err) => log.error('document compaction failed', { doc, ...errorFields(err) }))
			.finally(() => this.compacting.delete(doc));
		this.compacting.set(doc, job);
		return job;
	}

	private async compactNow(doc: string): Promise<void> {
		this.pending.set(doc, 0);
		await this.db.transaction().execute(async (trx) => {
			// Another instance compacting this document now folds in our rows too.
			if (!(await tryTransactionLock(trx, lockName(doc)))) return;
			const updates = await trx
				.selectFrom('doc_updates')
				.select(['id', 'data'])
				.where('doc', '=', doc)
				.orderBy('id')
				.execute();
			if (updates.length === 0) return;
			const snapshot = await trx
				.selectFrom('doc_snapshots')
				.select(['state'])
				.where('doc', '=', doc)
				.executeTakeFirst();
			const ydoc = replay(doc, snapshot?.state, updates);
			const state = Y.encodeStateAsUpdate(ydoc);
			ydoc.destroy();
			const throughId = Math.max(...updates.map((u) => u.id));
			await trx
				.insertInto('doc_snapshots')
				.values({ doc, state, through_id: throughId, updated_at: Date.now() })
				.onConflict((oc) => oc.column('doc').doUpdateSet({ state, through_id: throughId, updated_at: Date.now() }))
				.execute();
			const folded = updates.map((u) => u.id);
			for (let i = 0; i < folded.length; i += DELETE_BATCH) {
				await trx.deleteFrom('doc_updates').where('doc', '=', doc).where('id', 'in', folded.slice(i, i + DELETE_BATCH)).execute();
			}
		});
	}

	async logLength(doc: string): Promise<number> {
		const row = await this.db
			.selectFrom('doc_updates')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('doc', '=', doc)
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}
}

/** Snapshot plus log as a Y.Doc. One corrupt row must not make the whole document unreadable. */
function replay(doc: string, snapshot: Uint8Array | undefined, updates: { id: number; data: Uint8Array }[]): Y.Doc {
	const ydoc = new Y.Doc();
	if (snapshot) Y.applyUpdate(ydoc, snapshot);
	for (const u of updates) {
		try {
			Y.applyUpdate(ydoc, u.data);
		} catch (err) {
			log.error('skipping unreadable document update', { doc, id: u.id, ...errorFields(err) });
		}
	}
	return ydoc;
}
