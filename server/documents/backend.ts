import type { Skipped } from './replay.ts';

/**
 * Where documents are kept: a snapshot plus an append-only log of updates per document. The
 * embedded default is SQLite through worker threads (`sqlite-backend.ts`); another database
 * implements the same operations. Every operation that replays a document does so off the
 * event loop (hundreds of milliseconds for a 2,000-row section).
 */
export interface DocumentBackend {
	/** Resolves once the update is committed (durable across a crash of process or machine). */
	append(doc: string, update: Uint8Array): Promise<void>;
	/** Everything stored for `doc`, merged into one update; null when nothing is stored. */
	state(doc: string): Promise<Read<{ state: Uint8Array | null }>>;
	/** The section (`readSection`: content and flowcharts) as UTF-8 JSON; null when nothing is stored. */
	section(doc: string): Promise<Read<{ json: Uint8Array | null }>>;
	/** Folds the log into the snapshot. */
	compact(doc: string): Promise<Read<object>>;
	/** Replaces whatever is stored for `doc` with `state`. */
	replace(doc: string, state: Uint8Array): Promise<void>;
	logLength(doc: string): Promise<number>;
	/** Finishes what was asked, then lets go of the database. */
	close(): Promise<void>;
}

/** A read's result and the log rows it had to skip as unreadable (the caller logs them). */
export type Read<T> = T & { skipped: Skipped[] };
