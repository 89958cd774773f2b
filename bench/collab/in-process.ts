import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { loadConfig } from '../../server/config.ts';
import { openSqlite } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrations/index.ts';
import { DocumentStore } from '../../server/documents/store.ts';
import { SqliteBackend } from '../../server/documents/sqlite-backend.ts';
import { replay } from '../../server/documents/replay.ts';
import { createServices } from '../../server/services.ts';
import { readSection } from '../../collab/schema/index.ts';
import { jsonWith } from '../../src/lib/server/api.ts';
import { presentSection } from '../../server/presenters/index.ts';
import { bigSection, keystrokesInto } from './big-section.ts';
import { now } from './client.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(values: ArrayLike<number>, p: number): number {
	const sorted = Float64Array.from(values).sort();
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function tempDir() {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'fangkong-bench-'));
}

/**
 * Longest stall of this event loop while `op` runs (the longest gap between ticks of a 1 ms
 * interval, less the 1 ms), and how long `op` took.
 */
export async function stallDuring(op: () => Promise<unknown>): Promise<{ ms: number; stallMs: number }> {
	let last = performance.now();
	let longest = 0;
	const probe = setInterval(() => {
		const t = performance.now();
		longest = Math.max(longest, t - last - 1);
		last = t;
	}, 1);
	await sleep(30);
	longest = 0;
	const t = now();
	await op();
	const ms = now() - t;
	await sleep(5);
	clearInterval(probe);
	return { ms, stallMs: Math.max(0, longest) };
}

export type AppendResult = { loopMedian: number; loopP99: number; commitMedian: number; commitP99: number; amortised: number };

/**
 * One durable append: time the event loop spends in it (median, p99), time until it is committed
 * (median, p99, one at a time), and wall time per append with 50 writers each waiting for its
 * previous commit (amortised). `shipped`: the store as the server uses it (writer thread, group
 * commit); `before`: one synchronous insert per update on the event loop, as main had it.
 */
export async function durableAppends(updates: Uint8Array[]): Promise<{ shipped: AppendResult; before: AppendResult }> {
	const dir = tempDir();
	const file = path.join(dir, 'fangkong.sqlite');
	const db = openSqlite(file);
	await migrate(db);
	const store = new DocumentStore(new SqliteBackend(file), 1_000_000);
	const shipped = (doc: string, u: Uint8Array) => store.append(doc, u);
	const before = (doc: string, u: Uint8Array) => db.insertInto('doc_updates').values({ doc, data: u, created_at: Date.now() }).execute().then(() => {});
	const result = { shipped: await measureAppends(shipped, updates, 'a'), before: await measureAppends(before, updates, 'b') };
	await store.close();
	await db.destroy();
	fs.rmSync(dir, { recursive: true, force: true });
	return result;
}

async function measureAppends(append: (doc: string, u: Uint8Array) => Promise<void>, updates: Uint8Array[], tag: string): Promise<AppendResult> {
	for (let i = 0; i < 20; i++) await append(`${tag}-warm`, updates[i % updates.length]);
	const loop: number[] = [];
	const commit: number[] = [];
	for (const u of updates) {
		const t0 = now();
		const p = append(`${tag}-one`, u);
		loop.push(now() - t0);
		await p;
		commit.push(now() - t0);
	}
	const writers = 50;
	const each = Math.ceil(updates.length / 10);
	const t = now();
	await Promise.all(
		Array.from({ length: writers }, async (_, w) => {
			for (let i = 0; i < each; i++) await append(`${tag}-w${w}`, updates[(w + i) % updates.length]);
		})
	);
	const amortised = (now() - t) / (writers * each);
	return { loopMedian: percentile(loop, 50), loopP99: percentile(loop, 99), commitMedian: percentile(commit, 50), commitP99: percentile(commit, 99), amortised };
}

export type StallResult = Record<'idle' | 'apiShipped' | 'apiWarm' | 'apiBefore' | 'compactShipped' | 'compactBefore' | 'openInEditor', { ms: number; stallMs: number }> & { kib: number };

/**
 * A 2,000-row section with 200 updates in its log: the longest event-loop stall while it is read
 * as `GET /api/sections/:id` reads it, and while it is compacted; beside them the same work done
 * on the event loop as main did it, and opening it in the collaboration server (information).
 */
export async function bigSectionStalls(rows: number): Promise<StallResult> {
	const dir = tempDir();
	const services = await createServices(loadConfig({ DATA_DIR: dir, ADMIN_PASSWORD: 'bench-password', LOG_LEVEL: 'error' }));
	const [manual] = await services.manuals.list();
	const outline = await services.manuals.outline(manual.id);
	const section = await services.sections.createFromTemplate(manual.id, { unitId: outline.units[0].id, title: '两千行的章节' });
	const big = bigSection(rows);
	const state = Y.encodeStateAsUpdate(big);
	const typing = keystrokesInto(big, 200);
	const fill = async () => {
		await services.store.replace(section.doc, state);
		for (const u of typing) await services.store.append(section.doc, u);
	};
	await fill();

	await sleep(1000);
	const idle = await stallDuring(() => sleep(300));
	// As the route answers, and as adapter-node then reads the body to send it.
	const api = () => services.sections.contentJson(section).then((json) => jsonWith(presentSection(section), json).arrayBuffer());
	const apiShipped = await stallDuring(api);
	const again: { ms: number; stallMs: number }[] = [];
	for (let i = 0; i < 5; i++) again.push(await stallDuring(api));
	const apiWarm = { ms: percentile(again.map((a) => a.ms), 50), stallMs: percentile(again.map((a) => a.stallMs), 50) };
	const rowsOf = () =>
		Promise.all([
			services.db.selectFrom('doc_snapshots').select(['state']).where('doc', '=', section.doc).executeTakeFirst(),
			services.db.selectFrom('doc_updates').select(['id', 'data']).where('doc', '=', section.doc).orderBy('id').execute()
		]);
	const apiBefore = await stallDuring(async () => {
		const [snap, log] = await rowsOf();
		const doc = replay(snap?.state, log, []);
		JSON.stringify({ ...presentSection(section), ...readSection(doc) });
		doc.destroy();
	});
	const compactShipped = await stallDuring(() => services.store.compact(section.doc));
	await fill();
	const compactBefore = await stallDuring(async () => {
		const [snap, log] = await rowsOf();
		const doc = replay(snap?.state, log, []);
		Y.encodeStateAsUpdate(doc);
		doc.destroy();
	});
	const openInEditor = await stallDuring(async () => {
		const connection = await services.collab.hocuspocus.openDirectConnection(section.doc, {});
		await connection.disconnect();
	});
	await services.close();
	fs.rmSync(dir, { recursive: true, force: true });
	return { idle, apiShipped, apiWarm, apiBefore, compactShipped, compactBefore, openInEditor, kib: state.length / 1024 };
}
