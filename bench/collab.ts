/**
 * Collaboration under load, in one run: Fangkong as shipped (sign-in, schema guard, presence,
 * durable log) against bare Hocuspocus 4 (no extensions) and the y-websocket reference server,
 * with raw reader sockets and writers typing into a paragraph (each keystroke followed by its
 * caret, as an editor sends them); then, in this process, Fangkong's durable append and its
 * event loop with a 2,000-row section beside the way main did them; then Chromium typing in a
 * flowchart step's name with 500 risk rows on the page. Prints one table, with ratios.
 *
 *   npm run bench:collab                     everything (about 15 minutes on 2 cores)
 *   npm run bench:collab -- --only=a,b       scenarios a–g (see SCENARIOS)
 *   npm run bench:collab -- --scale=0.2      fewer clients and keystrokes, for a quick look
 *   npm run bench:collab -- --repeat=3       each server three times, taking turns (medians)
 *   npm run bench:collab -- --targets=fangkong,hocuspocus --profile=dir   (CPU profile of Fangkong into dir)
 *
 * Propagation is matched by content: each reader notes when each keystroke (the writer's Yjs
 * client and clock) first reaches it, whatever message carried it (Hocuspocus merges the
 * broadcasts of one event-loop turn). Timing starts only after every reader has its sync step 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import { BareHocuspocusTarget, cpuSeconds, FangkongTarget, rssKiB, YWebsocketTarget, type Target } from './collab/servers.ts';
import { BenchSocket } from './collab/client.ts';
import { Writer } from './collab/writer.ts';
import type { FromReaders, ToReaders } from './collab/reader-worker.ts';
import { bigSectionStalls, durableAppends, percentile } from './collab/in-process.ts';
import { keystrokesInto, bigSection } from './collab/big-section.ts';
import { keystrokeCosts } from './collab/browser.ts';
import { twoInstances } from './scale/two-instances.ts';
import { hasRedis, postgresBin } from '../tests/helpers/backing.ts';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const SCALE = Number(args.scale ?? 1);
const ONLY = new Set((args.only ?? 'a,b,c,d,e,f,g').split(','));
const n = (x: number) => Math.max(1, Math.round(x * SCALE));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long after the last keystroke readers may still receive keystrokes before they count as lost. */
const SETTLE_MS = 15_000;

const SCENARIOS = {
	a: `1 writer, ${n(1500)} readers, one section`,
	b: `${n(50)} writers, ${n(200)} readers, one section`,
	c: `${n(2000)} connections over ${n(500)} sections`,
	d: 'one durable append',
	e: 'a 2,000-row section: open via API, compaction',
	f: 'browser: a keystroke in a step name, 500 risk rows',
	g: `two instances (PostgreSQL, Redis): 1 writer on A, readers on A and on B`
};

type Cell = number | string;
type Row = { scenario: string; measure: string; fangkong: Cell; hocuspocus?: Cell; ywebsocket?: Cell; before?: Cell; ratio?: string; goal: string; met?: boolean };
const rows: Row[] = [];
const raw: Record<string, unknown> = {};

/** Reader sockets spread over worker threads (at most 500 each). */
class ReaderPool {
	private workers: Worker[] = [];
	static async open(target: Target, docs: string[]) {
		const pool = new ReaderPool();
		const chunk = 500;
		for (let i = 0; i < docs.length; i += chunk) {
			pool.workers.push(
				new Worker(new URL('./collab/reader-worker.ts', import.meta.url), {
					workerData: { base: target.wsBase, dialect: target.dialect, token: target.readerToken, docs: docs.slice(i, i + chunk) }
				})
			);
		}
		const ready = await Promise.all(pool.workers.map((w) => pool.next(w)));
		const failed = ready.find((r) => 'error' in r);
		if (failed && 'error' in failed) throw new Error(`readers on ${target.name}: ${failed.error}`);
		return pool;
	}
	private next(w: Worker): Promise<FromReaders> {
		return new Promise((resolve, reject) => {
			w.once('message', resolve);
			w.once('error', reject);
		});
	}
	private ask(m: ToReaders) {
		return Promise.all(this.workers.map((w) => (w.postMessage(m), this.next(w))));
	}
	async track(from: [number, number][]) {
		for (const w of this.workers) w.postMessage({ cmd: 'track', from } satisfies ToReaders);
	}
	async report(sent: [number, number[]][]) {
		const parts = (await this.ask({ cmd: 'report', sent })) as Extract<FromReaders, { latencies: Float64Array }>[];
		const all = new Float64Array(parts.reduce((k, p) => k + p.latencies.length, 0));
		let at = 0;
		for (const p of parts) {
			all.set(p.latencies, at);
			at += p.latencies.length;
		}
		return { latencies: all, missing: parts.reduce((k, p) => k + p.missing, 0), messages: parts.reduce((k, p) => k + p.messages, 0) };
	}
	/** Keystrokes sent that some reader has not received yet. */
	async missing(sent: [number, number[]][]) {
		const parts = (await this.ask({ cmd: 'missing', sent })) as Extract<FromReaders, { missing: number }>[];
		return parts.reduce((k, p) => k + p.missing, 0);
	}
	async close() {
		await this.ask({ cmd: 'close' });
		await Promise.all(this.workers.map((w) => w.terminate()));
	}
}

function lastParagraph(doc: Y.Doc): string {
	const fragment = doc.getXmlFragment('default');
	for (let i = fragment.length - 1; i >= 0; i--) {
		const p = fragment.get(i);
		if (p instanceof Y.XmlElement && p.nodeName === 'paragraph') return p.toString();
	}
	return '';
}

type Propagation = { p50: number; p99: number; missing: number; cpu: number; diverged: boolean; messagesPerReader: number };

/** Writers type into one section read by many readers; latency of every keystroke at every reader. */
async function propagation(target: Target, writers: number, readers: number, keystrokes: number, intervalMs: number): Promise<Propagation> {
	await target.start();
	try {
		const doc = await target.section();
		const pool = await ReaderPool.open(target, Array(readers).fill(doc));
		const typists: Writer[] = [];
		for (let i = 0; i < writers; i += 25) {
			const group = Array.from({ length: Math.min(25, writers - i) }, () => new Writer(target.wsBase, target.dialect, doc, target.writerToken));
			await Promise.all(group.map((w) => w.socket.ready));
			typists.push(...group);
		}
		for (const w of typists) w.track();
		await pool.track(typists.map((w) => [w.clientID, w.base]));
		await sleep(200);
		const cpu0 = cpuSeconds(target.pid);
		await Promise.all(
			typists.map(async (w, i) => {
				await sleep(Math.random() * intervalMs);
				for (let k = 0; k < keystrokes; k++) {
					w.type(String.fromCharCode(0x4e00 + ((i * 131 + k) % 2000)));
					await sleep(intervalMs);
				}
			})
		);
		const sent: [number, number[]][] = typists.map((w) => [w.clientID, w.sent]);
		const settled = Date.now() + SETTLE_MS;
		while (Date.now() < settled && (await pool.missing(sent)) > 0) await sleep(250);
		const cpu = cpuSeconds(target.pid) - cpu0;
		const r = await pool.report(sent);
		const check = new BenchSocket(target.wsBase, target.dialect, doc, target.readerToken, { doc: new Y.Doc() });
		await check.ready;
		const texts = new Set([...typists.map((w) => lastParagraph(w.doc)), lastParagraph(check.doc!)]);
		check.close();
		await pool.close();
		for (const w of typists) w.close();
		return { p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), missing: r.missing, cpu, diverged: texts.size !== 1, messagesPerReader: r.messages / readers };
	} finally {
		await target.stop();
	}
}

/** Server memory with `connections` open over `sections` documents (one keeper each, the rest readers). */
async function memory(target: Target, sections: number, connections: number) {
	await target.start();
	try {
		const idle = rssKiB(target.pid);
		const docs = await target.sections(sections);
		const extra = connections - sections;
		const pool = await ReaderPool.open(target, Array.from({ length: extra }, (_, i) => docs[i % docs.length]));
		await sleep(3000);
		const loaded = rssKiB(target.pid);
		await pool.close();
		return { idleMiB: idle / 1024, loadedMiB: loaded / 1024 };
	} finally {
		await target.stop();
	}
}

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '—');

const TARGETS = new Set((args.targets ?? 'fangkong,hocuspocus,y-websocket').split(','));
const REPEAT = Number(args.repeat ?? 1);

/**
 * Runs a scenario on each server, `--repeat` times, the servers taking turns (so a busy spell of
 * the machine does not fall on one of them only); each number is the median over the repeats.
 */
async function threeServers<T extends Record<string, number | boolean>>(label: string, run: (t: Target) => Promise<T>) {
	const runs: Record<string, T[]> = {};
	const all: [string, () => Target][] = [
		['fangkong', () => new FangkongTarget(args.profile)],
		['hocuspocus', () => new BareHocuspocusTarget()],
		['y-websocket', () => new YWebsocketTarget()]
	];
	for (let r = 1; r <= REPEAT; r++) {
		for (const t of all.filter(([key]) => TARGETS.has(key)).map(([, make]) => make())) {
			process.stderr.write(`${label}: ${t.name}${REPEAT > 1 ? ` (${r}/${REPEAT})` : ''}…\n`);
			(runs[t.name] ??= []).push(await run(t));
		}
	}
	raw[label] = runs;
	const out: Record<string, T> = {};
	for (const [name, results] of Object.entries(runs)) {
		const keys = Object.keys(results[0]) as (keyof T)[];
		out[name] = Object.fromEntries(
			keys.map((k) => [k, typeof results[0][k] === 'boolean' ? results.some((x) => x[k]) : percentile(results.map((x) => x[k] as number), 50)])
		) as T;
	}
	return out as ByServer<T>;
}

type ByServer<T> = Partial<Record<'Fangkong' | 'bare Hocuspocus' | 'y-websocket', T>>;

/** One measure on every server measured: its cells, and Fangkong ÷ Hocuspocus. */
function across<T>(r: ByServer<T>, value: (x: T) => number, digits = 1) {
	const cell = (x: T | undefined) => (x === undefined ? '—' : fmt(value(x), digits));
	const f = r.Fangkong && value(r.Fangkong);
	const h = r['bare Hocuspocus'] && value(r['bare Hocuspocus']);
	return { fangkong: cell(r.Fangkong), hocuspocus: cell(r['bare Hocuspocus']), ywebsocket: cell(r['y-websocket']), ratio: ratio(f ?? NaN, h ?? NaN), f: f ?? NaN, h: h ?? NaN };
}

function propagationRows(key: 'a' | 'b', r: ByServer<Propagation>, p99Goal?: number) {
	const s = SCENARIOS[key];
	const p50 = across(r, (x) => x.p50);
	const p99 = across(r, (x) => x.p99);
	rows.push({ scenario: s, measure: 'propagation p50 (ms)', ...p50, goal: '≤ 1.2× Hocuspocus', met: p50.f <= 1.2 * p50.h });
	rows.push({ scenario: s, measure: 'propagation p99 (ms)', ...p99, goal: p99Goal ? `≤ 1.2× Hocuspocus, ≤ ${p99Goal} ms` : '≤ 1.2× Hocuspocus', met: p99.f <= 1.2 * p99.h && (!p99Goal || p99.f <= p99Goal) });
	rows.push({ scenario: s, measure: 'server CPU while typing (s)', ...across(r, (x) => x.cpu, 2), goal: '' });
	const late = across(r, (x) => x.missing, 0);
	rows.push({ scenario: s, measure: `keystrokes not arrived ${SETTLE_MS / 1000} s after the last one`, ...late, ratio: '', goal: 'none', met: late.f === 0 });
	const diverged = (x?: Propagation) => (x === undefined ? '—' : x.diverged ? 'yes' : 'no');
	rows.push({ scenario: s, measure: 'copies diverged', fangkong: diverged(r.Fangkong), hocuspocus: diverged(r['bare Hocuspocus']), ywebsocket: diverged(r['y-websocket']), goal: 'no', met: r.Fangkong ? !r.Fangkong.diverged : undefined });
}

const started = new Date();
const load0 = os.loadavg();

if (ONLY.has('a')) propagationRows('a', await threeServers('a', (t) => propagation(t, 1, n(1500), n(150), 100)), 40);
if (ONLY.has('b')) propagationRows('b', await threeServers('b', (t) => propagation(t, n(50), n(200), n(80), 250)));
if (ONLY.has('c')) {
	const r = await threeServers('c', (t) => memory(t, n(500), n(2000)));
	rows.push({ scenario: SCENARIOS.c, measure: 'server RSS idle (MiB)', ...across(r, (x) => x.idleMiB, 0), goal: '' });
	const loaded = across(r, (x) => x.loadedMiB, 0);
	rows.push({ scenario: SCENARIOS.c, measure: 'server RSS, all open (MiB)', ...loaded, goal: '≤ 512 MiB', met: loaded.f <= 512 });
}
if (ONLY.has('d')) {
	process.stderr.write('d: durable appends…\n');
	const { shipped: s, before: b } = await durableAppends(keystrokesInto(bigSection(5), n(500)));
	raw.d = { shipped: s, before: b };
	const d = SCENARIOS.d;
	rows.push({ scenario: d, measure: 'event loop per append, median (ms)', fangkong: fmt(s.loopMedian, 3), before: fmt(b.loopMedian, 3), ratio: ratio(b.loopMedian, s.loopMedian) + ' less', goal: '≤ 0.2 ms', met: s.loopMedian <= 0.2 });
	rows.push({ scenario: d, measure: 'event loop per append, p99 (ms)', fangkong: fmt(s.loopP99, 3), before: fmt(b.loopP99, 3), ratio: ratio(b.loopP99, s.loopP99) + ' less', goal: '≤ 2 ms', met: s.loopP99 <= 2 });
	rows.push({ scenario: d, measure: 'until committed, median / p99 (ms)', fangkong: `${fmt(s.commitMedian, 2)} / ${fmt(s.commitP99, 2)}`, before: `${fmt(b.commitMedian, 2)} / ${fmt(b.commitP99, 2)}`, goal: '' });
	rows.push({ scenario: d, measure: 'amortised, 50 writers (ms per append)', fangkong: fmt(s.amortised, 3), before: fmt(b.amortised, 3), ratio: ratio(b.amortised, s.amortised) + ' less', goal: '≤ 2 ms', met: s.amortised <= 2 });
}
if (ONLY.has('e')) {
	process.stderr.write('e: a 2,000-row section…\n');
	const r = await bigSectionStalls(2000);
	raw.e = r;
	const e = SCENARIOS.e;
	rows.push({ scenario: e, measure: `longest event-loop stall, idle (noise floor, ms)`, fangkong: fmt(r.idle.stallMs), goal: '' });
	rows.push({ scenario: e, measure: `GET /api/sections/:id, ${fmt(r.kib, 0)} KiB stored: stall (ms)`, fangkong: fmt(r.apiShipped.stallMs), before: fmt(r.apiBefore.stallMs), ratio: ratio(r.apiBefore.stallMs, r.apiShipped.stallMs) + ' less', goal: '≤ 20 ms', met: r.apiShipped.stallMs <= 20 });
	rows.push({ scenario: e, measure: 'GET /api/sections/:id: time to answer, first / again (ms)', fangkong: `${fmt(r.apiShipped.ms, 0)} / ${fmt(r.apiWarm.ms, 0)}`, before: fmt(r.apiBefore.ms, 0), goal: '' });
	rows.push({ scenario: e, measure: 'compaction (200 updates in the log): stall (ms)', fangkong: fmt(r.compactShipped.stallMs), before: fmt(r.compactBefore.stallMs), ratio: ratio(r.compactBefore.stallMs, r.compactShipped.stallMs) + ' less', goal: '≤ 20 ms', met: r.compactShipped.stallMs <= 20 });
	rows.push({ scenario: e, measure: 'opening it in the editor (load + schema check): stall (ms)', fangkong: fmt(r.openInEditor.stallMs), goal: '(not a goal)' });
}
if (ONLY.has('f')) {
	process.stderr.write('f: browser keystrokes…\n');
	const r = await keystrokeCosts([5, 500]);
	raw.f = r;
	const [small, big] = r;
	rows.push({ scenario: SCENARIOS.f, measure: `main-thread work per keystroke (ms), ${big.rows} rows (before: ${small.rows} rows)`, fangkong: fmt(big.busy), before: fmt(small.busy), goal: '≤ 16 ms', met: big.busy <= 16 });
	rows.push({ scenario: SCENARIOS.f, measure: `page CPU per keystroke, all threads (ms), ${big.rows} rows (before: ${small.rows} rows)`, fangkong: fmt(big.cpu), before: fmt(small.cpu), goal: '' });
	rows.push({ scenario: SCENARIOS.f, measure: `key to painted frame, median / p95 (ms), ${big.rows} rows (before: ${small.rows} rows)`, fangkong: `${fmt(big.median)} / ${fmt(big.p95)}`, before: `${fmt(small.median)} / ${fmt(small.p95)}`, goal: '' });
}

if (ONLY.has('g')) {
	if (!postgresBin() || !hasRedis()) {
		process.stderr.write('g: skipped (needs postgresql and redis-server installed)\n');
	} else {
		process.stderr.write('g: two instances…\n');
		const { one, two } = await twoInstances();
		raw.g = { one, two };
		rows.push({ scenario: SCENARIOS.g, measure: 'propagation p50 / p99 (ms): readers on A (one instance) vs on B', fangkong: `${fmt(two.p50)} / ${fmt(two.p99)}`, before: `${fmt(one.p50)} / ${fmt(one.p99)}`, ratio: `${ratio(two.p99, one.p99)} (p99)`, goal: 'p99 ≤ 2× one instance', met: two.p99 <= 2 * one.p99 });
	}
}

const load1 = os.loadavg();
const cpu = os.cpus();
console.log(`\nCollaboration under load — ${started.toISOString().slice(0, 16).replace('T', ' ')}; ${cpu.length} × ${cpu[0]?.model.trim()}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}`);
console.log(`load average before / after: ${load0.map((x) => x.toFixed(1)).join(' ')} / ${load1.map((x) => x.toFixed(1)).join(' ')}${SCALE !== 1 ? `; scale ${SCALE}` : ''}${REPEAT > 1 ? `; medians of ${REPEAT} runs per server` : ''}\n`);
console.log('| scenario | measure | Fangkong | bare Hocuspocus | y-websocket | main before | ratio | goal | met |');
console.log('|---|---|---:|---:|---:|---:|---:|---|---|');
for (const r of rows)
	console.log(`| ${r.scenario} | ${r.measure} | ${r.fangkong} | ${r.hocuspocus ?? ''} | ${r.ywebsocket ?? ''} | ${r.before ?? ''} | ${r.ratio ?? ''} | ${r.goal} | ${r.met === undefined ? '' : r.met ? 'yes' : 'NO'} |`);
console.log('\nratio: Fangkong ÷ bare Hocuspocus for the servers; main before ÷ Fangkong ("less") for the in-process rows; for two instances, the Fangkong column is readers on B, "main before" readers on A, and the ratio B ÷ A.\n');
const out = path.resolve(import.meta.dirname, '../artifacts/bench-collab.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ started, load0, load1, scale: SCALE, rows, raw }, null, 1));
process.exit(0);
