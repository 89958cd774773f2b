/**
 * Worker thread that writes documents to SQLite, with a connection of its own (WAL,
 * synchronous=FULL), so no commit and no fsync ever runs on the server's event loop.
 *
 * Group commit: every append that arrived while the previous commit was on disk goes into one
 * transaction (one fsync), and each is answered only after that commit. Requests are handled in
 * the order they came, so an append is never committed before one sent earlier.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteFile } from '../db/connect.ts';
import { answer, type Request } from './worker-rpc.ts';

const { file } = workerData as { file: string };
const port = parentPort!;
const db = openSqliteFile(file);

const insert = db.prepare('INSERT INTO doc_updates (doc, data, created_at) VALUES (?, ?, ?)');
const upsertSnapshot = db.prepare(
	'INSERT INTO doc_snapshots (doc, state, through_id, updated_at) VALUES (?, ?, ?, ?) ' +
		'ON CONFLICT (doc) DO UPDATE SET state = excluded.state, through_id = excluded.through_id, updated_at = excluded.updated_at'
);
const deleteThrough = db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id <= ?');
const deleteLog = db.prepare('DELETE FROM doc_updates WHERE doc = ?');
const count = db.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc = ?');

function transaction<T>(work: () => T): T {
	db.exec('BEGIN IMMEDIATE');
	try {
		const result = work();
		db.exec('COMMIT');
		return result;
	} catch (err) {
		if (db.isTransaction) db.exec('ROLLBACK');
		throw err;
	}
}

const ops: Record<string, (...args: never[]) => unknown> = {
	/** Writes a folded state (from the reader thread) and drops the log rows it covers. */
	commitFold(doc: string, state: Uint8Array, throughId: number) {
		transaction(() => {
			upsertSnapshot.run(doc, state, throughId, Date.now());
			deleteThrough.run(doc, throughId);
		});
	},
	replace(doc: string, state: Uint8Array) {
		transaction(() => {
			deleteLog.run(doc);
			upsertSnapshot.run(doc, state, 0, Date.now());
		});
	},
	logLength(doc: string) {
		return Number((count.get(doc) as { n: number }).n);
	},
	ping() {
		return true;
	}
};

/** Each `append` request carries the appends of one turn of the server's event loop: [doc, update][]. */
function appendAll(batch: Request[]) {
	try {
		const now = Date.now();
		transaction(() => {
			for (const r of batch) for (const [doc, update] of r.args[0] as [string, Uint8Array][]) insert.run(doc, update, now);
		});
	} catch (err) {
		const error = err instanceof Error ? err.message : String(err);
		for (const r of batch) port.postMessage({ id: r.id, error });
		return;
	}
	for (const r of batch) port.postMessage({ id: r.id });
}

let queue: Request[] = [];
let scheduled = false;

/** Runs after the messages that arrived in this turn are queued: appends among them share a commit. */
function drain() {
	scheduled = false;
	const batch = queue;
	queue = [];
	for (let i = 0; i < batch.length; ) {
		let j = i;
		while (j < batch.length && batch[j].op === 'append') j++;
		if (j > i) {
			appendAll(batch.slice(i, j));
			i = j;
			continue;
		}
		const r = batch[i++];
		const op = ops[r.op];
		answer(port, r.id, () => {
			if (!op) throw new Error(`unknown operation ${r.op}`);
			return op(...(r.args as never[]));
		});
	}
}

port.on('message', (r: Request) => {
	queue.push(r);
	if (!scheduled) {
		scheduled = true;
		setImmediate(drain);
	}
});

// The app's own connection never checkpoints (server/db/connect.ts); this thread does, also
// when nobody edits for a while.
setInterval(() => {
	try {
		db.exec('PRAGMA wal_checkpoint(PASSIVE)');
	} catch {
		/* busy: the next round will do */
	}
}, 10_000);
