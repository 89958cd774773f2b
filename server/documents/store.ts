import * as Y from 'yjs';
import type { DocumentBackend } from './backend.ts';
import type { Skipped } from './replay.ts';
import { errorFields, log } from '../log.ts';

/** How long a failed append waits before it is tried again, doubling up to the last. */
const RETRY_MS = [50, 100, 200, 500, 1000, 2000, 5000];

/**
 * Durable Yjs state per document: a snapshot plus an append-only log of updates after it, kept
 * by a backend (SQLite through worker threads by default).
 *
 * `append` resolves only once the update is committed, trying again until it is (a full disk
 * may empty), so the collaboration server can confirm an edit after it is stored. `written`
 * says when every append so far of a document is committed; every read waits for it, so a read
 * never misses an edit already applied to the live document. `compact` folds the log into the
 * snapshot, after `compactAfter` appends by itself.
 */
export class DocumentStore {
	private backend: DocumentBackend;
	private compactAfter: number;
	private pending = new Map<string, number>();
	/** Per document, the end of its chain of appends (resolves when all so far are committed). */
	private appends = new Map<string, Promise<void>>();
	/** Per document, the compaction or replace under way: they never overlap. */
	private maintenance = new Map<string, Promise<void>>();
	/** Compactions asked for but not started: a later request joins them (they will see its rows). */
	private queuedCompactions = new Map<string, Promise<void>>();
	private closing = false;

	constructor(backend: DocumentBackend, compactAfter: number) {
		this.backend = backend;
		this.compactAfter = compactAfter;
	}

	/** Everything stored for `doc`, merged into one update; null when nothing is stored. */
	async load(doc: string): Promise<Uint8Array | null> {
		await this.written(doc);
		const { state, skipped } = await this.backend.state(doc);
		reportSkipped(doc, skipped);
		return state;
	}

	async loadDoc(doc: string): Promise<Y.Doc | null> {
		const state = await this.load(doc);
		if (!state) return null;
		const ydoc = new Y.Doc();
		Y.applyUpdate(ydoc, state);
		return ydoc;
	}

	/**
	 * The section as `readSection` gives it, as UTF-8 JSON, read and serialised off the event loop;
	 * null when nothing is stored.
	 */
	async sectionJson(doc: string): Promise<Uint8Array | null> {
		await this.written(doc);
		const { json, skipped } = await this.backend.section(doc);
		reportSkipped(doc, skipped);
		return json;
	}

	/** Stores `update`; resolves once it is committed. */
	append(doc: string, update: Uint8Array): Promise<void> {
		if (this.closing) return Promise.reject(new Error('document store is closed'));
		const committed = this.appendDurably(doc, update);
		// Commits may finish out of order after a retry: the chain says "all so far". It fails only
		// when the store closes with appends unstored (each caller hears of its own).
		const all = Promise.all([this.appends.get(doc), committed]).then(() => {});
		this.appends.set(doc, all);
		const forget = () => {
			if (this.appends.get(doc) === all) this.appends.delete(doc);
		};
		all.then(forget, forget);
		return committed;
	}

	/** Resolves once every append of `doc` made so far is committed; null when none is under way. */
	written(doc: string): Promise<void> | null {
		return this.appends.get(doc) ?? null;
	}

	private async appendDurably(doc: string, update: Uint8Array) {
		for (let attempt = 0; ; attempt++) {
			try {
				await this.backend.append(doc, update);
				break;
			} catch (err) {
				if (this.closing && attempt > 0) throw err;
				log.error('document update not stored yet, trying again', { doc, attempt, ...errorFields(err) });
				await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
			}
		}
		const n = (this.pending.get(doc) ?? 0) + 1;
		this.pending.set(doc, n);
		if (n >= this.compactAfter) void this.compact(doc);
	}

	/** Replaces whatever is stored for `doc` (seeding and imports, never live documents). */
	replace(doc: string, state: Uint8Array): Promise<void> {
		return this.exclusive(doc, async () => {
			await this.backend.replace(doc, state);
			this.pending.set(doc, 0);
		});
	}

	/** Folds the update log into the snapshot. Safe to call any time; runs once per doc at a time. */
	compact(doc: string): Promise<void> {
		if (this.closing) return Promise.resolve();
		const queued = this.queuedCompactions.get(doc);
		if (queued) return queued;
		const job = this.exclusive(doc, async () => {
			this.queuedCompactions.delete(doc);
			this.pending.set(doc, 0);
			try {
				const { skipped } = await this.backend.compact(doc);
				reportSkipped(doc, skipped);
			} catch (err) {
				log.error('document compaction failed', { doc, ...errorFields(err) });
			}
		});
		this.queuedCompactions.set(doc, job);
		return job;
	}

	async logLength(doc: string): Promise<number> {
		await this.written(doc);
		return this.backend.logLength(doc);
	}

	/** Waits for every append (they are confirmed edits) and compaction under way, then closes. */
	async close(): Promise<void> {
		this.closing = true;
		await Promise.allSettled([...this.appends.values(), ...this.maintenance.values()]);
		await this.backend.close();
	}

	/** Runs `work` for `doc` after the compaction or replace under way. */
	private exclusive(doc: string, work: () => Promise<void>): Promise<void> {
		const running = this.maintenance.get(doc);
		// After the one under way, whether it worked or not (a failed replace was answered to its
		// caller); never at once, so the caller can note the job before it starts.
		const job = (running ?? Promise.resolve()).then(work, work);
		this.maintenance.set(doc, job);
		const forget = () => {
			if (this.maintenance.get(doc) === job) this.maintenance.delete(doc);
		};
		job.then(forget, forget);
		return job;
	}
}

function reportSkipped(doc: string, skipped: Skipped[]) {
	for (const s of skipped) log.error('skipping unreadable document update', { doc, id: s.id, error: s.error });
}
