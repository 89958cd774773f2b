import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { frames, MSG, SYNC } from '../../tests/helpers/wire.ts';

/**
 * The two wire protocols measured: Hocuspocus' (every message starts with the document name; a
 * document is authenticated on a shared socket) and y-websocket's (one document per socket, named
 * by the URL path; messages are bare y-protocols).
 */
export type DialectName = 'hocuspocus' | 'y-websocket';

/** What a received message is, as far as the benchmark cares. */
export type Incoming = { kind: 'step2' | 'update'; update: Uint8Array } | { kind: 'denied'; reason: string } | { kind: 'status' } | { kind: 'other' };

export interface Dialect {
	/** The socket URL for a document on a server whose WebSocket base is `base`. */
	url(base: string, doc: string): string;
	/** What a client sends right after the socket opens to sign in and ask for the document. */
	hello(doc: string, token: string, stateVector: Uint8Array): Uint8Array[];
	update(doc: string, update: Uint8Array): Uint8Array;
	awareness(doc: string, update: Uint8Array): Uint8Array;
	read(bytes: Uint8Array): Incoming;
}

export const hocuspocus: Dialect = {
	url: (base) => base,
	hello: (doc, token, sv) => [frames.auth(doc, token), frames.syncStep1(doc, sv)],
	update: frames.update,
	awareness: frames.awareness,
	read(bytes) {
		if (bytes.length <= 1) return { kind: 'other' };
		const d = decoding.createDecoder(bytes);
		decoding.readVarString(d);
		const type = decoding.readVarUint(d);
		if (type === MSG.sync || type === MSG.syncReply) return sync(d);
		if (type === MSG.auth && decoding.readVarUint(d) === 1) return { kind: 'denied', reason: decoding.readVarString(d) };
		if (type === MSG.syncStatus) return { kind: 'status' };
		return { kind: 'other' };
	}
};

export const yWebsocket: Dialect = {
	url: (base, doc) => `${base}/${encodeURIComponent(doc)}`,
	hello: (_doc, _token, sv) => [bare(MSG.sync, (e) => (encoding.writeVarUint(e, SYNC.step1), encoding.writeVarUint8Array(e, sv)))],
	update: (_doc, u) => bare(MSG.sync, (e) => (encoding.writeVarUint(e, SYNC.update), encoding.writeVarUint8Array(e, u))),
	awareness: (_doc, u) => bare(MSG.awareness, (e) => encoding.writeVarUint8Array(e, u)),
	read(bytes) {
		const d = decoding.createDecoder(bytes);
		return decoding.readVarUint(d) === MSG.sync ? sync(d) : { kind: 'other' };
	}
};

export const DIALECTS: Record<DialectName, Dialect> = { hocuspocus, 'y-websocket': yWebsocket };

function sync(d: decoding.Decoder): Incoming {
	const step = decoding.readVarUint(d);
	if (step === SYNC.step2) return { kind: 'step2', update: decoding.readVarUint8Array(d) };
	if (step === SYNC.update) return { kind: 'update', update: decoding.readVarUint8Array(d) };
	return { kind: 'other' };
}

function bare(type: number, body: (e: encoding.Encoder) => void): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, type);
	body(e);
	return encoding.toUint8Array(e);
}
