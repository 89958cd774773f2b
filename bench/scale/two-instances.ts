/**
 * Propagation time of one writer's keystrokes to readers of the same section: readers on the
 * writer's instance A, and readers on another instance B of the same deployment (one
 * PostgreSQL, one Redis, both started here from Debian's packages on free ports). Both groups
 * read the same keystrokes at the same time, so a busy machine slows both alike.
 * Goal: p99 on B within 2× of A. Used by `npm run bench:scale` (bench/two-instances.ts) and as a
 * row of `npm run bench:collab`.
 */
import * as Y from 'yjs';
import { createBacking, startPostgres } from '../../tests/helpers/backing.ts';
import { CollabClient } from '../../tests/helpers/collab-client.ts';
import { demoSection, signIn, type TestServer, TestServer as Server } from '../../tests/helpers/server.ts';

const KEYSTROKES = 500;
const TYPING_MS = 15; // a fast typist
const READERS = ['shebei2', 'shebei_leader', 'jijian', 'zhuanjia', 'dangzu'];

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readersOn(server: TestServer, doc: string) {
	return Promise.all(READERS.map(async (u) => new CollabClient(server.wsUrl, doc, (await signIn(server, u)).token!)));
}

/** One token per keystroke; each reader notes when each token first reaches its copy. */
async function measure(a: TestServer, b: TestServer, doc: string, keystrokes: number) {
	const writer = new CollabClient(a.wsUrl, doc, (await signIn(a, 'shebei1')).token!);
	const groups = { A: await readersOn(a, doc), B: await readersOn(b, doc) };
	const all = [writer, ...groups.A, ...groups.B];
	await Promise.all(all.map((c) => c.synced()));
	writer.appendParagraph('测速：');
	await writer.confirmed();
	const index = writer.fragment.length - 1;
	const textOf = (c: CollabClient) => {
		const p = c.fragment.get(index);
		return p instanceof Y.XmlElement && p.get(0) instanceof Y.XmlText ? (p.get(0) as Y.XmlText) : null;
	};
	for (let i = 0; i < 500 && all.some((c) => !textOf(c)); i++) await wait(20);
	const sentAt: number[] = [];
	const samples = { A: [] as number[], B: [] as number[] };
	for (const group of ['A', 'B'] as const) {
		for (const r of groups[group]) {
			// Only what each change inserted is read: the cost stays per keystroke, not per paragraph.
			textOf(r)!.observe((event) => {
				const now = performance.now();
				for (const op of event.delta) {
					if (typeof op.insert !== 'string') continue;
					for (const m of op.insert.matchAll(/⟨(\d+)⟩/g)) samples[group].push(now - sentAt[Number(m[1])]);
				}
			});
		}
	}
	const text = textOf(writer)!;
	for (let n = 0; n < keystrokes; n++) {
		sentAt[n] = performance.now();
		text.insert(text.length, `⟨${n}⟩`);
		await wait(TYPING_MS);
	}
	const expected = keystrokes * READERS.length;
	for (let i = 0; i < 400 && (samples.A.length < expected || samples.B.length < expected); i++) await wait(50);
	for (const c of all) c.destroy();
	return samples;
}

function stats(samples: number[]) {
	const s = [...samples].sort((x, y) => x - y);
	const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
	return { n: s.length, p50: at(50), p99: at(99) };
}

export type Spread = { n: number; p50: number; p99: number };
export const READER_COUNT = READERS.length;
export { KEYSTROKES, TYPING_MS };

/** Readers on A and on B of one two-instance deployment, started and stopped here. */
export async function twoInstances(keystrokes = KEYSTROKES): Promise<{ one: Spread; two: Spread }> {
	const cluster = await startPostgres();
	const backing = await createBacking(cluster.adminUrl);
	const a = new Server({ LOG_LEVEL: 'error' }, { backing });
	const b = new Server({ LOG_LEVEL: 'error' }, { backing });
	try {
		await a.start();
		await b.start();
		const { section } = await demoSection(await signIn(a, 'admin'), '设备监督管理司');
		await measure(a, b, section.doc, 50); // warm-up: loading, first connections, JIT
		const samples = await measure(a, b, section.doc, keystrokes);
		return { one: stats(samples.A), two: stats(samples.B) };
	} finally {
		await a.dispose();
		await b.dispose();
		await backing.dispose();
		await cluster.stop();
	}
}
