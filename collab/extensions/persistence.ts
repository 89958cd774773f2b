import type {
	afterLoadDocumentPayload,
	afterUnloadDocumentPayload,
	beforeHandleMessagePayload,
	Extension,
	onLoadDocumentPayload,
	onStoreDocumentPayload
} from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { DocumentStore } from '../../server/documents/store.ts';
import { changesDocument } from '../update-effect.ts';

const MESSAGE_SYNC = 0;
const MESSAGE_SYNC_REPLY = 4;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/**
 * Makes every confirmed edit durable. Hocuspocus applies a client's update and sends the
 * confirmation in one synchronous step, so the update is appended to the log *before* it is
 * handed to Hocuspocus: once the client sees "saved", the edit is on disk. Changes made on
 * the server itself (not from a client message) are appended from the document's update event.
 */
export class Persistence implements Extension {
	extensionName = 'fangkong-persistence';
	// Runs before other extensions' message hooks (higher runs first), so nothing is applied unlogged.
	priority = 1000;
	private store: DocumentStore;
	/** Per document, the appends of server-side changes still under way (in order). */
	private serverWrites = new Map<string, Promise<void>>();
	constructor(store: DocumentStore) {
		this.store = store;
	}

	/** Resolves once every server-side change made to `documentName` so far is stored. */
	async flush(documentName: string): Promise<void> {
		await this.serverWrites.get(documentName);
	}

	async onLoadDocument({ documentName, document }: onLoadDocumentPayload) {
		const state = await this.store.load(documentName);
		if (state) Y.applyUpdate(document, state, { source: 'local', skipStoreHooks: true });
		return document;
	}

	async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload) {
		document.on('update', (update: Uint8Array, origin: unknown) => {
			if (isClientOrigin(origin)) return; // logged in beforeHandleMessage
			const previous = this.serverWrites.get(documentName) ?? Promise.resolve();
			const write = previous.then(() => this.store.append(documentName, update));
			this.serverWrites.set(documentName, write);
			void write.finally(() => {
				if (this.serverWrites.get(documentName) === write) this.serverWrites.delete(documentName);
			});
		});
	}

	async beforeHandleMessage({ update, document, documentName, connection }: beforeHandleMessagePayload) {
		if (connection.readOnly) return; // Hocuspocus refuses those updates itself
		const yUpdate = extractUpdate(update);
		if (yUpdate && yUpdate.length > 2 && changes(document, yUpdate)) await this.store.append(documentName, yUpdate);
	}

	async onStoreDocument({ documentName }: onStoreDocumentPayload) {
		await this.store.compact(documentName);
	}

	async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload) {
		await this.store.compact(documentName);
	}
}

/**
 * Only updates that change something are stored (a reconnecting tab re-sends its whole delete
 * set). Documents only grow, so what changes nothing now changes nothing when applied. An update
 * that cannot be decoded is stored as before: durability does not hinge on this check.
 */
function changes(document: Y.Doc, update: Uint8Array): boolean {
	try {
		return changesDocument(document, update);
	} catch {
		return true;
	}
}

function isClientOrigin(origin: unknown): boolean {
	if (typeof origin !== 'object' || origin === null) return false;
	const source = (origin as { source?: string }).source;
	// 'redis' updates were logged by the instance that received them.
	return source === 'connection' || source === 'redis';
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
