import {
	MessageType,
	type afterUnloadDocumentPayload,
	type beforeHandleMessagePayload,
	type Connection,
	type Extension,
	type onLoadDocumentPayload,
	type onStoreDocumentPayload
} from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { DocumentStore } from '../../server/documents/store.ts';
import { isRelayed } from './relayed.ts';
import { errorFields, log } from '../../server/log.ts';

const MESSAGE_SYNC = 0;
const MESSAGE_SYNC_REPLY = 4;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/**
 * Makes every confirmed edit durable without making anyone wait for the disk but its author.
 *
 * Every change to a loaded document is appended to the store from the document's `update`
 * event (only real changes fire it: a reconnecting tab re-sending its history adds nothing).
 * Hocuspocus applies and broadcasts a client's update at once, and would confirm it to its
 * author in the same step; that confirmation (the sync status) is held back until every append
 * of the document made so far is committed. So an edit is "saved" only once it is on disk, while
 * the others see it without waiting for the disk.
 *
 * Why broadcasting first is safe: the appends of one server are committed in the order they were
 * made, so anything a client builds on a change it received is committed after that change; and
 * an unconfirmed change lost in a crash is still in its author's tab (and in every tab that
 * received it), which sends it again when it reconnects.
 */
export class Persistence implements Extension {
	extensionName = 'fangkong-persistence';
	// Runs before other extensions' message hooks (higher runs first).
	priority = 1000;
	private store: DocumentStore;
	private gated = new WeakSet<Connection>();
	constructor(store: DocumentStore) {
		this.store = store;
	}

	/** Resolves once every change made to `documentName` so far is stored. */
	async flush(documentName: string): Promise<void> {
		await this.store.written(documentName);
	}

	async onLoadDocument({ documentName, document }: onLoadDocumentPayload) {
		const state = await this.store.load(documentName);
		if (state) Y.applyUpdate(document, state, { source: 'local', skipStoreHooks: true });
		// From here on every change is stored, also those other extensions make while loading.
		document.on('update', (update: Uint8Array, origin: unknown) => {
			// Updates relayed from another instance were stored by the instance that received them.
			if (isRelayed(origin)) return;
			this.store.append(documentName, update).catch((err) => log.warn('document update not stored: store closed', { doc: documentName, ...errorFields(err) }));
		});
		return document;
	}

	async beforeHandleMessage({ connection, documentName }: beforeHandleMessagePayload) {
		// Read-only connections too: a tab that lost write access may reconnect with edits the
		// server holds but has not committed yet, and "synced" must not tell it they are safe.
		if (this.gated.has(connection)) return;
		this.gated.add(connection);
		holdAcknowledgements(connection, () => this.store.written(documentName));
	}

	async onStoreDocument({ documentName }: onStoreDocumentPayload) {
		await this.store.compact(documentName);
	}

	async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload) {
		await this.store.compact(documentName);
	}
}

/**
 * Sends each sync status (the confirmation a client counts as "saved") only once `written()`
 * resolves, in order; every other message goes out at once. Installed before the connection's
 * first message is handled, so no confirmation slips through.
 */
function holdAcknowledgements(connection: Connection, written: () => Promise<void> | null) {
	const send = connection.send.bind(connection);
	let queued: Promise<void> | null = null;
	connection.send = (message: Uint8Array) => {
		if (!isSyncStatus(message)) return send(message);
		const stored = written();
		if (!stored && !queued) return send(message);
		// Never sent when an append is never stored (the store closed): the edit is not safe.
		const mine: Promise<void> = Promise.all([queued, stored]).then(() => send(message));
		queued = mine;
		const settled = () => {
			if (queued === mine) queued = null;
		};
		mine.then(settled, settled);
	};
}

// A broadcast hands the same bytes to every connection in turn: read each message's type once.
let lastMessage: Uint8Array | null = null;
let lastWasStatus = false;

function isSyncStatus(message: Uint8Array): boolean {
	if (message === lastMessage) return lastWasStatus;
	lastMessage = message;
	try {
		const d = decoding.createDecoder(message);
		const addressLength = decoding.readVarUint(d);
		d.pos += addressLength; // past the document address
		lastWasStatus = decoding.readVarUint(d) === MessageType.SyncStatus;
	} catch {
		lastWasStatus = false;
	}
	return lastWasStatus;
}


/** The Yjs update carried by a sync message (step 2 or update), or null for anything else. */
export function extractUpdate(message: Uint8Array): Uint8Array | null {
	try {
		const d = decoding.createDecoder(message);
		decoding.readVarString(d); // document address
		const type = decoding.readVarUint(d);
		if (type !== MESSAGE_SYNC && type !== MESSAGE_SYNC_REPLY) return null;
		const step = decoding.readVarUint(d);
		if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) return null;
		return decoding.readVarUint8Array(d);
	} catch {
		return null; // malformed: Hocuspocus will reject it and close that connection
	}
}
