import fs from 'node:fs';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSection, signIn, TestServer } from '../helpers/server.ts';
import { Dice, FrameGenerator } from '../helpers/fuzz-frames.ts';
import { WireClient } from '../helpers/wire.ts';
import { CollabClient } from '../helpers/collab-client.ts';
import { schemaViolation } from '../../collab/schema/index.ts';
import { MAX_FRAME_BYTES } from '../../collab/attach.ts';

/**
 * Frames `npm test` sends (`npm run fuzz` sends far more: FUZZ_FRAMES). FUZZ_SEED replays a run.
 * The server must stay up, its memory bounded, and every document it stored must still fit the
 * editor schema.
 */
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 4000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
/** Unauthenticated sockets held open at once. */
const IDLE_SOCKETS = FRAMES >= 50_000 ? 3000 : 600;
/** How far the server's memory may grow over the run. */
const RSS_GROWTH_MIB = 400;

function rssMiB(pid: number): number {
	return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`fuzzing /collab (seed ${SEED}, ${FRAMES} frames)`, () => {
	const server = new TestServer({ LOG_LEVEL: process.env.FUZZ_LOG ?? 'error' });
	let docs: string[];
	/** The sections the writer may edit (their unit's); elsewhere a writer's socket is read-only. */
	let writable: string[];
	let writerToken: string;
	let readerToken: string;
	let rssAtStart: number;

	beforeAll(async () => {
		await server.start();
		const admin = await signIn(server, 'admin');
		const { manual, unit } = await demoSection(admin, '设备监督管理司');
		docs = manual.units.flatMap((u: { sections: { doc: string }[] }) => u.sections.map((s) => s.doc));
		writable = unit.sections.map((s: { doc: string }) => s.doc);
		writerToken = (await signIn(server, 'shebei1')).token!;
		readerToken = (await signIn(server, 'zhuanjia')).token!;
		rssAtStart = rssMiB(server.pid);
	});

	afterAll(async () => {
		await server.dispose();
	});

	async function alive() {
		expect(server.pid, 'server process').toBeGreaterThan(0);
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		expect(rssMiB(server.pid), 'server memory (MiB)').toBeLessThan(rssAtStart + RSS_GROWTH_MIB);
	}

	it('stays up with a crowd of sockets that never sign in', async () => {
		const dice = new Dice(SEED);
		const gen = new FrameGenerator(dice, docs);
		const crowd: WireClient[] = [];
		for (let i = 0; i < IDLE_SOCKETS; i += 100) {
			const batch = Array.from({ length: Math.min(100, IDLE_SOCKETS - i) }, () => new WireClient(server.wsUrl, dice.pick(docs)));
			await Promise.all(batch.map((c) => c.opened.catch(() => {})));
			// Some say nothing; others send a little of anything, signed in nowhere.
			for (const c of batch) if (dice.chance(0.5)) for (let k = dice.int(5); k > 0; k--) c.send(gen.next(c.docName, null));
			crowd.push(...batch);
		}
		await pause(500);
		await alive();
		for (const c of crowd) c.close();
	});

	it('stays up and keeps every stored document valid under random, truncated, mutated and huge frames', async () => {
		const dice = new Dice(SEED + 1);
		const gen = new FrameGenerator(dice, docs);
		let sent = 0;
		let huge = 0;
		while (sent < FRAMES) {
			const role = dice.pick(['none', 'reader', 'writer', 'writer'] as const);
			const doc = dice.pick(role === 'writer' ? writable : docs);
			const token = role === 'writer' ? writerToken : role === 'reader' ? readerToken : null;
			const c = new WireClient(server.wsUrl, doc);
			try {
				if (token) {
					await c.join(token, 10_000);
					gen.base = Y.encodeStateAsUpdate(c.doc);
				} else await c.opened;
			} catch {
				c.close();
				continue; // refused or closed early: that is an outcome too
			}
			const burst = dice.int(150) + 1;
			for (let k = 0; k < burst && !c.closed; k++, sent++) {
				if (dice.chance(0.0015) && huge < Math.max(2, FRAMES / 5000)) {
					huge++;
					c.send(gen.huge(doc, dice.chance(0.5) ? MAX_FRAME_BYTES + 1024 : MAX_FRAME_BYTES - 4096));
				} else c.send(gen.next(doc, token));
				if (k % 20 === 19) await pause(1);
			}
			// Let the server take what it was sent before the socket goes.
			if (dice.chance(0.7)) await pause(dice.int(30));
			c.close();
			if (sent % 2000 < burst) await alive();
		}
		await pause(500);
		await alive();

		// Someone honest can still work.
		const honest = new CollabClient(server.wsUrl, writable[0], writerToken);
		try {
			await honest.synced();
			honest.appendParagraph('模糊测试之后仍能正常编辑');
			await honest.confirmed();
		} finally {
			honest.destroy();
		}

		// Every document on disk, as a restart would load it, fits the schema.
		await server.stop('SIGTERM');
		const db = await server.database();
		try {
			const names = await db.query<{ doc: string }>('SELECT doc FROM doc_snapshots UNION SELECT doc FROM doc_updates');
			expect(names.length).toBeGreaterThanOrEqual(docs.length);
			for (const { doc } of names) {
				const ydoc = new Y.Doc();
				const [snapshot] = await db.query<{ state: Uint8Array }>('SELECT state FROM doc_snapshots WHERE doc = ?', [doc]);
				if (snapshot) Y.applyUpdate(ydoc, snapshot.state);
				for (const row of await db.query<{ data: Uint8Array }>('SELECT data FROM doc_updates WHERE doc = ? ORDER BY id', [doc])) Y.applyUpdate(ydoc, row.data);
				expect(schemaViolation(ydoc), `stored ${doc}`).toBeNull();
				ydoc.destroy();
			}
		} finally {
			await db.close();
		}
		expect(server.output).not.toMatch(/unhandled rejection|uncaught/i);
	});
});
