import type { DocumentBackend, Read } from './backend.ts';
import { WorkerClient } from './worker-rpc.ts';

/**
 * Documents in the SQLite file, handled by two worker threads with connections of their own:
 * one writes (appends with group commit, snapshots), one reads and replays. The event loop only
 * passes messages, so neither an fsync nor a replay of a long section ever stalls it, and a
 * replay never holds up the appends waiting to be confirmed.
 */
export class SqliteBackend implements DocumentBackend {
	private writer: WorkerClient;
	private reader: WorkerClient;

	constructor(file: string) {
		this.writer = new WorkerClient(new URL('./sqlite-writer.ts', import.meta.url), { file }, 'fangkong-document-writer');
		this.reader = new WorkerClient(new URL('./sqlite-reader.ts', import.meta.url), { file }, 'fangkong-document-reader');
		// The writer also checkpoints the WAL for everyone: start it even before the first edit.
		void this.writer.call('ping').catch(() => {});
	}

	/** Appends made in this event-loop turn, posted to the writer as one message after it. */
	private queued: { doc: string; update: Uint8Array; done: { resolve: () => void; reject: (e: Error) => void } }[] = [];

	append(doc: string, update: Uint8Array) {
		return new Promise<void>((resolve, reject) => {
			this.queued.push({ doc, update, done: { resolve, reject } });
			if (this.queued.length === 1) setImmediate(() => this.postQueued());
		});
	}

	private postQueued() {
		const batch = this.queued;
		this.queued = [];
		this.writer.call<void>('append', [batch.map((a) => [a.doc, a.update])]).then(
			() => batch.forEach((a) => a.done.resolve()),
			(err: Error) => batch.forEach((a) => a.done.reject(err))
		);
	}

	state(doc: string) {
		return this.reader.call<Read<{ state: Uint8Array | null }>>('state', [doc]);
	}

	section(doc: string) {
		return this.reader.call<Read<{ json: Uint8Array | null }>>('section', [doc]);
	}

	async compact(doc: string) {
		const { fold, skipped } = await this.reader.call<Read<{ fold: { state: Uint8Array; throughId: number } | null }>>('fold', [doc]);
		if (fold) await this.writer.call('commitFold', [doc, fold.state, fold.throughId], [fold.state.buffer as ArrayBuffer]);
		return { skipped };
	}

	async replace(doc: string, state: Uint8Array) {
		await this.writer.call('replace', [doc, state]);
		// After the commit: a read that started before it may have cached the old content.
		await this.reader.call('forget', [doc]);
	}

	logLength(doc: string) {
		return this.writer.call<number>('logLength', [doc]);
	}

	async close() {
		await Promise.all([this.writer.close(), this.reader.close()]);
	}
}
