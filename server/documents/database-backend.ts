import * as Y from 'yjs';
import type { Db } from '../db/connect.ts';
import { tryTransactionLock, withLock } from '../db/locks.ts';
import { readSection } from '../../collab/schema/index.ts';
import type { DocumentBackend } from './backend.ts';
import { replay, type Skipped } from './replay.ts';

/** Compaction deletes at most this many ids per statement (both engines cap a statement's parameters). */
const DELETE_BATCH = 500;
/** The lock that makes one instance at a time rewrite a document's snapshot. */
const lockName = (doc: string) => `fangkong:document:${doc}`;
const utf8 = new TextEncoder();

/**
 * Documents in a shared database through the app's own pool (PostgreSQL, several instances).
 * Replays run on the event loop here; the database round trips are what a write waits for.
 *
 * Several instances may append to one document at once. Ids are taken when a row is inserted
 * but become visible when it commits, so a lower id can appear after a higher one: compaction
 * deletes exactly the rows it folded in, never "everything up to the highest id". Two
 * compactions of one document never overlap (a lock; the loser skips, the winner folds in
 * everything committed), and a read takes snapshot and log from one consistent view.
 */
export class DatabaseBackend implements DocumentBackend {
	private db: Db;
	constructor(db: Db) {
		this.db = db;
	}

	async append(doc: string, update: Uint8Array) {
		await this.db.insertInto('doc_updates').values({ doc, data: update, created_at: Date.now() }).execute();
	}

	/** Snapshot and log from one view: read apart, a compaction committing between them would hide rows. */
	private async read(doc: string): Promise<{ ydoc: Y.Doc | null; skipped: Skipped[] }> {
		const { snapshot, rows } = await this.db
			.transaction()
			.setIsolationLevel('repeatable read')
			.execute(async (trx) => ({
				snapshot: await trx.selectFrom('doc_snapshots').select(['state']).where('doc', '=', doc).executeTakeFirst(),
				rows: await trx.selectFrom('doc_updates').select(['id', 'data']).where('doc', '=', doc).orderBy('id').execute()
			}));
		const skipped: Skipped[] = [];
		if (!snapshot && rows.length === 0) return { ydoc: null, skipped };
		return { ydoc: replay(snapshot?.state, rows, skipped), skipped };
	}

	async state(doc: string) {
		const { ydoc, skipped } = await this.read(doc);
		const state = ydoc ? Y.encodeStateAsUpdate(ydoc) : null;
		ydoc?.destroy();
		return { state, skipped };
	}

	async section(doc: string) {
		const { ydoc, skipped } = await this.read(doc);
		const json = ydoc ? utf8.encode(JSON.stringify(readSection(ydoc))) : null;
		ydoc?.destroy();
		return { json, skipped };
	}

	async compact(doc: string) {
		const skipped: Skipped[] = [];
		await this.db.transaction().execute(async (trx) => {
			// Another instance compacting this document now folds in our rows too.
			if (!(await tryTransactionLock(trx, lockName(doc)))) return;
			const rows = await trx.selectFrom('doc_updates').select(['id', 'data']).where('doc', '=', doc).orderBy('id').execute();
			if (rows.length === 0) return;
			const snapshot = await trx.selectFrom('doc_snapshots').select(['state']).where('doc', '=', doc).executeTakeFirst();
			const ydoc = replay(snapshot?.state, rows, skipped);
			const state = Y.encodeStateAsUpdate(ydoc);
			ydoc.destroy();
			const throughId = Math.max(...rows.map((u) => u.id));
			const updatedAt = Date.now();
			await trx
				.insertInto('doc_snapshots')
				.values({ doc, state, through_id: throughId, updated_at: updatedAt })
				.onConflict((oc) => oc.column('doc').doUpdateSet({ state, through_id: throughId, updated_at: updatedAt }))
				.execute();
			const folded = rows.map((u) => u.id);
			for (let i = 0; i < folded.length; i += DELETE_BATCH) {
				await trx.deleteFrom('doc_updates').where('doc', '=', doc).where('id', 'in', folded.slice(i, i + DELETE_BATCH)).execute();
			}
		});
		return { skipped };
	}

	async replace(doc: string, state: Uint8Array) {
		await withLock(this.db, lockName(doc), () =>
			this.db.transaction().execute(async (trx) => {
				await trx.deleteFrom('doc_updates').where('doc', '=', doc).execute();
				await trx.deleteFrom('doc_snapshots').where('doc', '=', doc).execute();
				await trx.insertInto('doc_snapshots').values({ doc, state, through_id: 0, updated_at: Date.now() }).execute();
			})
		);
	}

	async logLength(doc: string) {
		const row = await this.db
			.selectFrom('doc_updates')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('doc', '=', doc)
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}

	/** The pool belongs to the app, which closes it. */
	async close() {}
}
