/**
 * A worker thread holding many reader sockets, so that reading 1,500 sockets does not share an
 * event loop with the writers whose keystrokes are being timed. It records when each keystroke
 * of the tracked writers first reached each reader, matched by content: the writer's Yjs client
 * and clock range in each update (a server may merge several keystrokes into one message).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';
import { BenchSocket, openMany } from './client.ts';
import type { DialectName } from './dialect.ts';

type Setup = { base: string; dialect: DialectName; token: string; docs: string[] };
export type ToReaders = { cmd: 'track'; from: [number, number][] } | { cmd: 'report' | 'missing'; sent: [number, number[]][] } | { cmd: 'close' };
export type FromReaders = { ready: number } | { latencies: Float64Array; missing: number; messages: number } | { missing: number } | { error: string } | { closed: true };

const setup = workerData as Setup;
const port = parentPort!;
/** Per reader: per tracked client, arrival time by clock offset. */
let arrivals: Map<number, number[]>[] = [];
let from = new Map<number, number>();
let sockets: BenchSocket[] = [];

function record(reader: Map<number, number[]>, update: Uint8Array, at: number) {
	const meta = Y.parseUpdateMeta(update);
	for (const [client, end] of meta.to) {
		const base = from.get(client);
		if (base === undefined) continue;
		let times = reader.get(client);
		if (!times) reader.set(client, (times = []));
		for (let c = Math.max(meta.from.get(client) ?? 0, base); c < end; c++) times[c - base] ??= at;
	}
}

try {
	sockets = await openMany(setup.docs.length, 50, (i) => new BenchSocket(setup.base, setup.dialect, setup.docs[i], setup.token));
	arrivals = sockets.map(() => new Map());
	sockets.forEach((s, i) => (s.onUpdate = (u, at) => from.size > 0 && record(arrivals[i], u, at)));
	port.postMessage({ ready: sockets.length } satisfies FromReaders);
} catch (err) {
	port.postMessage({ error: String(err) } satisfies FromReaders);
}

port.on('message', (m: ToReaders) => {
	if (m.cmd === 'track') {
		from = new Map(m.from);
		arrivals = sockets.map(() => new Map());
		for (const s of sockets) s.messages = 0;
	} else if (m.cmd === 'report' || m.cmd === 'missing') {
		const out: number[] = [];
		let missing = 0;
		for (const reader of arrivals) {
			for (const [client, sent] of m.sent) {
				const times = reader.get(client) ?? [];
				for (let k = 0; k < sent.length; k++) {
					if (times[k] === undefined) missing++;
					else if (m.cmd === 'report') out.push(times[k] - sent[k]);
				}
			}
		}
		if (m.cmd === 'missing') port.postMessage({ missing } satisfies FromReaders);
		else {
			const latencies = Float64Array.from(out);
			port.postMessage({ latencies, missing, messages: sockets.reduce((n, s) => n + s.messages, 0) } satisfies FromReaders, [latencies.buffer]);
		}
	} else if (m.cmd === 'close') {
		for (const s of sockets) s.close();
		port.postMessage({ closed: true } satisfies FromReaders);
	}
});
