import WebSocket from 'ws';
import * as Y from 'yjs';
import { DIALECTS, type Dialect, type DialectName } from './dialect.ts';

/** Milliseconds on a clock all threads of this process share. */
export const now = () => performance.timeOrigin + performance.now();

/**
 * One document on one socket, as a raw client: signs in (Hocuspocus) or just opens (y-websocket),
 * asks for the document and is `ready` once the server's copy (sync step 2) has arrived. A writer
 * keeps a Y.Doc; a reader only hands each update to `onUpdate` with its arrival time.
 */
export class BenchSocket {
	readonly ws: WebSocket;
	readonly dialect: Dialect;
	readonly docName: string;
	readonly doc: Y.Doc | null;
	readonly ready: Promise<void>;
	onUpdate: ((update: Uint8Array, at: number) => void) | null = null;
	messages = 0;
	statuses = 0;

	constructor(base: string, dialect: DialectName, docName: string, token: string, options: { doc?: Y.Doc } = {}) {
		this.dialect = DIALECTS[dialect];
		this.docName = docName;
		this.doc = options.doc ?? null;
		this.ws = new WebSocket(this.dialect.url(base, docName), { perMessageDeflate: false });
		this.ws.binaryType = 'nodebuffer';
		this.ready = new Promise((resolve, reject) => {
			this.ws.once('open', () => {
				for (const m of this.dialect.hello(docName, token, this.doc ? Y.encodeStateVector(this.doc) : new Uint8Array([0]))) this.ws.send(m);
			});
			this.ws.once('error', reject);
			this.ws.once('close', (code, reason) => reject(new Error(`closed before ready: ${code} ${reason}`)));
			this.ws.on('message', (data: Buffer) => {
				const at = now();
				this.messages++;
				const m = this.dialect.read(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
				if (m.kind === 'denied') reject(new Error(`denied: ${m.reason}`));
				else if (m.kind === 'status') this.statuses++;
				else if (m.kind === 'step2' || m.kind === 'update') {
					if (this.doc) Y.applyUpdate(this.doc, m.update, this);
					this.onUpdate?.(m.update, at);
					if (m.kind === 'step2') resolve();
				}
			});
		});
		this.ws.on('error', () => {});
	}

	send(bytes: Uint8Array) {
		if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
	}

	close() {
		this.ws.terminate();
	}
}

/** Opens `count` sockets, `batch` at a time (a burst of thousands would trip sign-in deadlines). */
export async function openMany(count: number, batch: number, open: (i: number) => BenchSocket): Promise<BenchSocket[]> {
	const out: BenchSocket[] = [];
	for (let i = 0; i < count; i += batch) {
		const group = Array.from({ length: Math.min(batch, count - i) }, (_, j) => open(i + j));
		await Promise.all(group.map((s) => s.ready));
		out.push(...group);
	}
	return out;
}
