import type { afterLoadDocumentPayload, beforeHandleAwarenessPayload, Connection, Document, Extension } from '@hocuspocus/server';
import type { CollabContext } from './authenticate.ts';
import { colorFor, MAX_PRESENCE_CHARS, presenceFields, type PresenceUser } from '../presence.ts';
import { log } from '../../server/log.ts';

/** Awareness client ids one connection may speak for (a provider has one; a tab's editor, two at most). */
export const MAX_CLIENTS_PER_CONNECTION = 4;

/**
 * Carets that move while nobody types are relayed at most this often per document: every
 * relay goes to every connection, so relaying each move would cost the square of the users.
 */
export const AWARENESS_WINDOW_MS = 100;

/**
 * Awareness (carets, who is here) is relayed to everyone on the document, so every state is
 * rewritten on the way in: `user` becomes the session's identity, only the known fields that
 * fit their shape are kept (`cursor`, `flowchart`), an oversize state is dropped, and a
 * connection may not speak for a client id another connection holds (or for more than a few).
 * Read-only connections keep their presence: an expert's caret is fine, under their own name.
 */
export class Presence implements Extension {
	extensionName = 'fangkong-presence';
	private windowMs: number;
	constructor(windowMs = AWARENESS_WINDOW_MS) {
		this.windowMs = windowMs;
	}

	async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload) {
		if (!batchAwareness(document, this.windowMs)) log.warn('awareness relayed unbatched: Hocuspocus internals changed', { doc: documentName });
	}

	async beforeHandleAwareness({ states, connection, document, context }: beforeHandleAwarenessPayload<CollabContext>) {
		if (!connection) return; // the server's own awareness
		if (!context?.user || !document.hasConnection(connection)) {
			states.clear(); // closed (or not signed in): nothing of it is relayed
			return;
		}
		const user: PresenceUser = { id: context.user.id, name: context.user.displayName, color: colorFor(context.user.id) };
		const own = document.getClients(connection);
		const owners = this.ownersOf(document);
		let held = own.size;
		for (const [clientId, claimed] of states) {
			const fresh = !own.has(clientId);
			if (fresh && (held >= MAX_CLIENTS_PER_CONNECTION || heldByAnother(document, owners, connection, clientId)) || oversize(claimed)) {
				states.delete(clientId);
				continue;
			}
			if (fresh) {
				held++;
				this.claim(owners, connection, clientId);
			}
			states.set(clientId, { user, ...presenceFields(claimed) });
		}
	}

	/** Per document, which connection first claimed each client id (so a claim costs no walk over everyone). */
	private owners = new WeakMap<Document, Map<number, Connection>>();
	private claims = new WeakMap<Connection, number[]>();
	private ownersOf(document: Document) {
		let owners = this.owners.get(document);
		if (!owners) this.owners.set(document, (owners = new Map()));
		return owners;
	}

	private claim(owners: Map<number, Connection>, connection: Connection, clientId: number) {
		owners.set(clientId, connection);
		let mine = this.claims.get(connection);
		if (!mine) {
			this.claims.set(connection, (mine = []));
			connection.onClose(() => {
				for (const id of mine!) if (owners.get(id) === connection) owners.delete(id);
			});
		}
		mine.push(clientId);
	}
}

function oversize(state: unknown): boolean {
	return JSON.stringify(state).length > MAX_PRESENCE_CHARS;
}

/** Another connection still open has claimed the id (its claim may not have been applied yet). */
function heldByAnother(document: Document, owners: Map<number, Connection>, connection: Connection, clientId: number): boolean {
	const owner = owners.get(clientId);
	return !!owner && owner !== connection && document.hasConnection(owner);
}

/** The parts of Hocuspocus' Document (4.7) that batch its outgoing broadcasts. */
type Broadcasts = { scheduleFlush(): void; flush(): void; pendingUpdates: unknown[]; flushDelay: number | false; isDestroyed: boolean };

/**
 * Hocuspocus sends what changed in one event-loop turn together (document updates merged, each
 * changed awareness state once). A turn that changed only awareness now waits up to `windowMs`
 * for more, so carets moving in many turns go out as one message to each connection per window;
 * a turn with a document update goes out at once, and the carets changed so far go with it
 * (a typist's caret never lags their text). False, and nothing changed, when the document does
 * not look as expected.
 */
export function batchAwareness(document: Document, windowMs: number): boolean {
	const d = document as unknown as Broadcasts;
	if (typeof d.scheduleFlush !== 'function' || typeof d.flush !== 'function' || !Array.isArray(d.pendingUpdates) || d.flushDelay !== 0) return false;
	const now = d.scheduleFlush.bind(d);
	let timer: ReturnType<typeof setTimeout> | null = null;
	d.scheduleFlush = () => {
		if (d.pendingUpdates.length > 0) return now();
		timer ??= setTimeout(() => {
			timer = null;
			if (!d.isDestroyed) d.flush();
		}, windowMs);
	};
	return true;
}
