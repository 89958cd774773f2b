import type { beforeHandleAwarenessPayload, Connection, Document, Extension } from '@hocuspocus/server';
import type { CollabContext } from './authenticate.ts';
import { colorFor, MAX_PRESENCE_CHARS, presenceFields, type PresenceUser } from '../presence.ts';

/** Awareness client ids one connection may speak for (a provider has one; a tab's editor, two at most). */
export const MAX_CLIENTS_PER_CONNECTION = 4;

/**
 * Awareness (carets, who is here) is relayed to everyone on the document, so every state is
 * rewritten on the way in: `user` becomes the session's identity, only the known fields that
 * fit their shape are kept (`cursor`, `flowchart`), an oversize state is dropped, and a
 * connection may not speak for a client id another connection holds (or for more than a few).
 * Read-only connections keep their presence: an expert's caret is fine, under their own name.
 */
export class Presence implements Extension {
	extensionName = 'fangkong-presence';

	async beforeHandleAwareness({ states, connection, document, context }: beforeHandleAwarenessPayload<CollabContext>) {
		if (!connection) return; // the server's own awareness
		if (!context?.user || !document.hasConnection(connection)) {
			states.clear(); // closed (or not signed in): nothing of it is relayed
			return;
		}
		const user: PresenceUser = { id: context.user.id, name: context.user.displayName, color: colorFor(context.user.id) };
		const own = document.getClients(connection);
		let held = own.size;
		for (const [clientId, claimed] of states) {
			const fresh = !own.has(clientId);
			if (fresh && (held >= MAX_CLIENTS_PER_CONNECTION || heldByAnother(document, connection, clientId)) || oversize(claimed)) {
				states.delete(clientId);
				continue;
			}
			if (fresh) held++;
			states.set(clientId, { user, ...presenceFields(claimed) });
		}
	}
}

function oversize(state: unknown): boolean {
	return JSON.stringify(state).length > MAX_PRESENCE_CHARS;
}

function heldByAnother(document: Document, connection: Connection, clientId: number): boolean {
	return document.getConnections().some((c) => c !== connection && document.getClients(c).has(clientId));
}
