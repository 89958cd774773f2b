/**
 * Worker thread that reads documents from SQLite and does the CPU work on them off the
 * server's event loop: replaying snapshot + log (loads, compaction) and turning a section into
 * JSON (`GET /api/sections/:id`). A 2,000-row section costs hundreds of milliseconds either way;
 * here that delays only other reads.
 *
 * Large documents stay in memory between reads (a bounded cache): the next read applies only
 * the log rows added since. The cache stays right because this process is the only writer: rows
 * only grow, compaction folds only rows this thread has read (`fold`), and a replace tells this
 * thread to forget the document.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';
import { openSqliteFile } from '../db/connect.ts';
import { readSection } from '../../collab/schema/index.ts';
import { applyRows, replay, type LogRow, type Skipped } from './replay.ts';
import { answer, type Request } from './worker-rpc.ts';

const { file } = workerData as { file: string };
const port = parentPort!;
const db = openSqliteFile(file);
db.exec('PRAGMA query_only = 1');

const snapshotOf = db.prepare('SELECT state, through_id FROM doc_snapshots WHERE doc = ?');
const rowsAfter = db.prepare('SELECT id, data FROM doc_updates WHERE doc = ? AND id > ? ORDER BY id');
const logSize = db.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc = ?');

/**
 * Documents kept between reads: those of at least `minBytes` stored (smaller ones replay in a
 * millisecond or two), up to `maxBytes` stored in all, least recently read dropped first. In
 * memory a document takes some 12–20 times its stored size (a 2,000-row section: 1.5 MiB
 * stored, 18 MiB loaded).
 */
const CACHE = { minBytes: 64 * 1024, maxBytes: 4 * 1024 * 1024 };

type Entry = { ydoc: Y.Doc; lastId: number; bytes: number; json: Uint8Array | null; cached: boolean };
const cache = new Map<string, Entry>();
const utf8 = new TextEncoder();
let cachedBytes = 0;

/** Snapshot and log in one read transaction: a compaction committing between two reads would hide rows. */
function reading<T>(work: () => T): T {
	db.exec('BEGIN');
	try {
		return work();
	} finally {
		db.exec('COMMIT');
	}
}

/** The document as stored now, caught up from the cache when it is there; null when nothing is stored. */
function current(doc: string, skipped: Skipped[]): Entry | null {
	const cached = cache.get(doc);
	if (cached) {
		const rows = rowsAfter.all(doc, cached.lastId) as LogRow[];
		if (rows.length > 0) {
			applyRows(cached.ydoc, rows, skipped);
			cached.lastId = rows[rows.length - 1].id;
			cached.json = null;
			grow(cached, rows);
		}
		cache.delete(doc); // most recently used goes last
		cache.set(doc, cached);
		evict(cached);
		return cached;
	}
	const snapshot = snapshotOf.get(doc) as { state: Uint8Array; through_id: number } | undefined;
	const rows = rowsAfter.all(doc, 0) as LogRow[];
	if (!snapshot && rows.length === 0) return null;
	const entry: Entry = {
		ydoc: replay(snapshot?.state, rows, skipped),
		lastId: Math.max(Number(snapshot?.through_id ?? 0), rows.length ? rows[rows.length - 1].id : 0),
		bytes: snapshot?.state.byteLength ?? 0,
		json: null,
		cached: false
	};
	grow(entry, rows);
	if (entry.bytes >= CACHE.minBytes) {
		entry.cached = true;
		cache.set(doc, entry);
		cachedBytes += entry.bytes;
		evict(entry);
	}
	return entry;
}

function grow(entry: Entry, rows: LogRow[]) {
	let added = 0;
	for (const r of rows) added += r.data.byteLength;
	entry.bytes += added;
	if (entry.cached) cachedBytes += added;
}

/** Drops the least recently read documents until the cache fits, never `keep` (being read now). */
function evict(keep: Entry) {
	for (const [doc, entry] of cache) {
		if (cachedBytes <= CACHE.maxBytes) break;
		if (entry !== keep) drop(doc, entry);
	}
}

function drop(doc: string, entry: Entry) {
	cache.delete(doc);
	cachedBytes -= entry.bytes;
	entry.cached = false;
	entry.ydoc.destroy();
}

/** Runs `read` on the document and lets go of it unless the cache keeps it. */
function withEntry<T>(doc: string, read: (entry: Entry | null, skipped: Skipped[]) => T): T & { skipped: Skipped[] } {
	const skipped: Skipped[] = [];
	const result = reading(() => {
		const entry = current(doc, skipped);
		try {
			return read(entry, skipped);
		} finally {
			if (entry && !entry.cached) entry.ydoc.destroy();
		}
	});
	return { ...result, skipped };
}

const ops: Record<string, (doc: string) => unknown> = {
	/** Everything stored, merged into one update. */
	state: (doc) => withEntry(doc, (e) => ({ state: e ? Y.encodeStateAsUpdate(e.ydoc) : null })),
	/** The section as the API gives it, as UTF-8 JSON (so the event loop neither walks nor serialises it). */
	section: (doc) =>
		withEntry(doc, (e) => {
			if (!e) return { json: null };
			const json = (e.json ??= utf8.encode(JSON.stringify(readSection(e.ydoc))));
			// The answer's bytes move to the other thread; a cached copy stays here.
			return { json: e.cached ? json.slice() : json };
		}),
	/** The state to write as the new snapshot and the last log row it covers; null when the log is empty. */
	fold: (doc) =>
		withEntry(doc, (e) => {
			const { n } = logSize.get(doc) as { n: number };
			if (!e || Number(n) === 0) return { fold: null };
			return { fold: { state: Y.encodeStateAsUpdate(e.ydoc), throughId: e.lastId } };
		}),
	forget: (doc) => {
		const entry = cache.get(doc);
		if (entry) drop(doc, entry);
		return {};
	}
};

port.on('message', (r: Request) => {
	answer(port, r.id, () => {
		const op = ops[r.op];
		if (!op) throw new Error(`unknown operation ${r.op}`);
		return op(r.args[0] as string);
	});
});
