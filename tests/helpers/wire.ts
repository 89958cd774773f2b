import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';

/** Hocuspocus message types (the varUint after the document name). */
export const MSG = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3, syncReply: 4, stateless: 5, close: 7, syncStatus: 8 } as const;
/** Sync message steps (y-protocols). */
export const SYNC = { step1: 0, step2: 1, update: 2 } as const;

/** Messages as a client writes them, in any order or size (no provider to keep the usual order). */
export const frames = {
	auth(doc: string, token: string) {
		return frame(doc, MSG.auth, (e) => {
			encoding.writeVarUint(e, 0); // token
			encoding.writeVarString(e, token);
		});
	},
	syncStep1(doc: string, stateVector: Uint8Array) {
		return frame(doc, MSG.sync, (e) => {
			encoding.writeVarUint(e, SYNC.step1);
			encoding.writeVarUint8Array(e, stateVector);
		});
	},
	syncStep2(doc: string, update: Uint8Array) {
		return frame(doc, MSG.sync, (e) => {
			encoding.writeVarUint(e, SYNC.step2);
			encoding.writeVarUint8Array(e, update);
		});
	},
	update(doc: string, update: Uint8Array) {
		return frame(doc, MSG.sync, (e) => {
			encoding.writeVarUint(e, SYNC.update);
			encoding.writeVarUint8Array(e, update);
		});
	},
	awareness(doc: string, update: Uint8Array) {
		return frame(doc, MSG.awareness, (e) => encoding.writeVarUint8Array(e, update));
	},
	queryAwareness(doc: string) {
		return frame(doc, MSG.queryAwareness, () => {});
	},
	stateless(doc: string, payload: string) {
		return frame(doc, MSG.stateless, (e) => encoding.writeVarString(e, payload));
	},
	close(doc: string) {
		return frame(doc, MSG.close, () => {});
	}
};

function frame(doc: string, type: number, body: (e: encoding.Encoder) => void): Uint8Array<ArrayBuffer> {
	const e = encoding.createEncoder();
	encoding.writeVarString(e, doc);
	encoding.writeVarUint(e, type);
	body(e);
	return new Uint8Array(encoding.toUint8Array(e));
}

export type Frame = { doc: string; type: number; body: decoding.Decoder };

/** The document, type and body of a received message; null for a connection-level ping or garbage. */
export function readFrame(bytes: Uint8Array): Frame | null {
	if (bytes.length <= 1) return null;
	try {
		const body = decoding.createDecoder(bytes);
		return { doc: decoding.readVarString(body), type: decoding.readVarUint(body), body };
	} catch {
		return null;
	}
}

export type WireOptions = { headers?: Record<string, string> };

/**
 * One document spoken to by hand over a `ws` socket: it authenticates, asks for the document
 * (sync step 1) and keeps a copy from what arrives, sends updates as frames and counts the
 * confirmations (sync statuses) in the order the server sends them. It never answers the
 * server's own sync step 1, so every confirmation it gets is for an update it sent.
 */
export class WireClient {
	readonly ws: WebSocket;
	readonly doc = new Y.Doc();
	readonly docName: string;
	/** Confirmations received: `true` applied, `false` refused (read-only). */
	readonly statuses: boolean[] = [];
	/** Whether the server said the document is authenticated, and with which scope. */
	scope: string | null = null;
	denied: string | null = null;
	closed: { code: number; reason: string } | null = null;
	/** Presence as this client has received it, and how many awareness messages brought it. */
	readonly awareness: awarenessProtocol.Awareness;
	awarenessMessages = 0;
	/** Called as each confirmation arrives (after it is counted). */
	onStatus: (() => void) | null = null;
	private sawStep2 = false;
	readonly opened: Promise<void>;
	readonly ended: Promise<void>;

	constructor(url: string, docName: string, options: WireOptions = {}) {
		this.docName = docName;
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null);
		this.ws = new WebSocket(url, { headers: options.headers });
		this.ws.binaryType = 'nodebuffer';
		this.opened = new Promise((resolve, reject) => {
			this.ws.once('open', () => resolve());
			this.ws.once('error', reject);
		});
		this.ended = new Promise((resolve) => this.ws.once('close', () => resolve()));
		this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
		this.ws.on('error', () => {}); // a refused or reset socket is an outcome tests look at, not a crash
		this.ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
	}

	/** Opens, authenticates and syncs the document; resolves once the server's copy has arrived. */
	async join(token: string, ms = 20_000) {
		await this.opened;
		this.send(frames.auth(this.docName, token));
		this.send(frames.syncStep1(this.docName, Y.encodeStateVector(this.doc)));
		const deadline = Date.now() + ms;
		while (!this.sawStep2) {
			if (this.denied) throw new Error(`authentication failed: ${this.denied}`);
			if (this.closed) throw new Error(`socket closed: ${this.closed.code} ${this.closed.reason}`);
			if (Date.now() > deadline) throw new Error('no sync step 2 in time');
			await new Promise((r) => setTimeout(r, 10));
		}
		return this;
	}

	send(bytes: Uint8Array) {
		if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
	}

	/** Changes the local copy and sends the change as one update frame; returns the update. */
	change(edit: (doc: Y.Doc) => void): Uint8Array {
		let update: Uint8Array | null = null;
		const grab = (u: Uint8Array, origin: unknown) => {
			if (origin !== this) update = update ? Y.mergeUpdates([update, u]) : u;
		};
		this.doc.on('update', grab);
		try {
			this.doc.transact(() => edit(this.doc));
		} finally {
			this.doc.off('update', grab);
		}
		if (update) this.send(frames.update(this.docName, update));
		return update ?? new Uint8Array();
	}

	get confirmed() {
		return this.statuses.filter(Boolean).length;
	}

	/** Publishes this client's presence (as a provider would: its own client id, the next clock). */
	setPresence(state: Record<string, unknown> | null) {
		this.awareness.setLocalState(state);
		this.send(frames.awareness(this.docName, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID])));
	}

	close() {
		this.awareness.destroy();
		this.ws.close();
	}

	private receive(bytes: Uint8Array) {
		const f = readFrame(bytes);
		if (!f || f.doc !== this.docName) return;
		try {
			if (f.type === MSG.syncStatus) {
				this.statuses.push(decoding.readVarUint(f.body) === 1);
				this.onStatus?.();
			} else if (f.type === MSG.awareness) {
				this.awarenessMessages++;
				awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(f.body), this);
			} else if (f.type === MSG.auth) {
				const kind = decoding.readVarUint(f.body);
				const text = decoding.readVarString(f.body);
				if (kind === 2) this.scope = text;
				else this.denied = text;
			} else if (f.type === MSG.sync || f.type === MSG.syncReply) {
				const step = decoding.readVarUint(f.body);
				if (step === SYNC.step2 || step === SYNC.update) {
					Y.applyUpdate(this.doc, decoding.readVarUint8Array(f.body), this);
					if (step === SYNC.step2) this.sawStep2 = true;
				}
			}
		} catch {
			/* a message this client cannot read; tests look at what it could */
		}
	}
}
