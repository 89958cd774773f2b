import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Hocuspocus message types (the varUint after the document name). */
export const MSG = { sync: 0, awareness: 1, auth: 2, syncStatus: 8, close: 7 } as const;

/** One message as a client could write it by hand, in any order or size. */
export const frames = {
	auth(doc: string, token: string): Uint8Array<ArrayBuffer> {
		return frame(doc, MSG.auth, (e) => {
			encoding.writeVarUint(e, 0); // token
			encoding.writeVarString(e, token);
		});
	},
	update(doc: string, update: Uint8Array): Uint8Array<ArrayBuffer> {
		return frame(doc, MSG.sync, (e) => {
			encoding.writeVarUint(e, 2); // sync "update"
			encoding.writeVarUint8Array(e, update);
		});
	}
};

function frame(doc: string, type: number, body: (e: encoding.Encoder) => void): Uint8Array<ArrayBuffer> {
	const e = encoding.createEncoder();
	encoding.writeVarString(e, doc);
	encoding.writeVarUint(e, type);
	body(e);
	return new Uint8Array(encoding.toUint8Array(e));
}

export type Received = { doc: string; type: number; body: decoding.Decoder };

/**
 * A bare WebSocket to `/collab` that sends whatever a test writes (no provider to put things in
 * the usual order) and records what comes back and how the socket closed.
 */
export class RawSocket {
	readonly received: Received[] = [];
	closed: { code: number; reason: string } | null = null;
	private ws: WebSocket;
	readonly opened: Promise<void>;

	constructor(url: string, headers?: Record<string, string>) {
		this.ws = new WebSocket(url, headers ? ({ headers } as unknown as string[]) : undefined);
		this.ws.binaryType = 'arraybuffer';
		this.opened = new Promise((resolve, reject) => {
			this.ws.onopen = () => resolve();
			this.ws.onerror = () => reject(new Error('socket failed to open'));
		});
		this.ws.onmessage = (e) => {
			const d = decoding.createDecoder(new Uint8Array(e.data as ArrayBuffer));
			if (d.arr.length <= 1) return; // connection-level ping
			this.received.push({ doc: decoding.readVarString(d), type: decoding.readVarUint(d), body: d });
		};
		this.ws.onclose = (e) => (this.closed = { code: e.code, reason: e.reason });
	}

	send(bytes: Uint8Array<ArrayBuffer>) {
		this.ws.send(bytes);
	}

	/** Sync-status answers received (true: the update was applied), in order. */
	syncStatuses(): boolean[] {
		return this.received.filter((m) => m.type === MSG.syncStatus).map((m) => decoding.readVarUint(copy(m.body)) === 1);
	}

	/** Reasons of the per-document closes received. */
	closeReasons(): string[] {
		return this.received.filter((m) => m.type === MSG.close).map((m) => decoding.readVarString(copy(m.body)));
	}

	/** The authentication answers: the scope granted, or `denied:<reason>`. */
	authAnswers(): string[] {
		return this.received
			.filter((m) => m.type === MSG.auth)
			.map((m) => {
				const d = copy(m.body);
				const kind = decoding.readVarUint(d);
				const text = decoding.readVarString(d);
				return kind === 2 ? text : `denied:${text}`;
			});
	}

	close() {
		this.ws.close();
	}
}

/** A fresh reader at the same position, so a message can be read more than once. */
function copy(d: decoding.Decoder): decoding.Decoder {
	const c = decoding.createDecoder(d.arr);
	c.pos = d.pos;
	return c;
}
