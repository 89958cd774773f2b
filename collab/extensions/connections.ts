import type {
	beforeHandleMessagePayload,
	Connection,
	connectedPayload,
	Extension,
	Hocuspocus,
	onConfigurePayload
} from '@hocuspocus/server';
import type { CollabContext } from './authenticate.ts';
import { ACCESS_CHANGED } from '../protocol.ts';

const CLOSE_EVENT = { code: 4403, reason: ACCESS_CHANGED };

/** Per-socket state `attach.ts` puts into every document's context: has any document signed in? */
export type SocketState = { authenticated: boolean };

/** Added to the context before `onAuthenticate` decides: the revocation count it decides against. */
type Stamped = { accessRevision?: number; socket?: SocketState };

/**
 * Makes a change of access (account disabled, role or units changed, logout, section deleted,
 * phase advanced, section locked) take effect on open connections at once.
 *
 * Open connections are found in Hocuspocus' own registry of documents and their connections,
 * so no bookkeeping of ours can drift from what is really open (several documents share one
 * socket; any of them may have closed before). Two gaps are closed besides:
 * - an authentication already under way when access changes decided on the old rights: every
 *   authentication is stamped with the revocation count it started from; until the `connected`
 *   hook has checked it, a connection whose user or document was revoked since handles messages
 *   read-only, and `connected` closes it so that it authenticates again;
 * - messages a connection received before it was closed are still handled by Hocuspocus after
 *   the close: they are handled as read-only, so nothing from a closed connection is applied or stored.
 */
export class Connections implements Extension {
	extensionName = 'fangkong-connections';
	// First in every hook chain: the stamp is taken before `Authenticate` reads the database, and a
	// stale connection is made read-only before the schema guard and persistence see its message.
	priority = 1200;
	private instance: Hocuspocus | null = null;
	private revision = 0;
	// Revocation count at the last revocation per user (`u:`) and per document (`d:`); bounded by
	// the number of users and documents.
	private revokedAt = new Map<string, number>();
	// Connections past the stamp check: from then on revocations reach them through the registry.
	private checked = new WeakSet<Connection>();

	async onConfigure({ instance }: onConfigurePayload) {
		this.instance = instance;
	}

	async onAuthenticate(): Promise<Stamped> {
		return { accessRevision: this.revision };
	}

	async connected({ connection, context, documentName }: connectedPayload<CollabContext & Stamped>) {
		if (context.socket) context.socket.authenticated = true;
		if (this.revokedSince(context, documentName)) connection.close(CLOSE_EVENT);
		this.checked.add(connection);
	}

	async beforeHandleMessage({ connection, document, documentName, context }: beforeHandleMessagePayload<CollabContext & Stamped>) {
		const stale = !this.checked.has(connection) && this.revokedSince(context, documentName);
		if (stale || !document.hasConnection(connection)) connection.readOnly = true;
	}

	/** Ends a user's open connections (account disabled, role or units changed); they re-authenticate. */
	closeUser(userId: string) {
		this.revoke(`u:${userId}`);
		this.closeWhere((c) => c.context?.user?.id === userId);
	}

	/** Ends the connections opened with one session (logout); the user's other sessions stay. */
	closeSession(userId: string, sessionId: string) {
		// In-flight authentications are tracked per user: one of another session only re-authenticates.
		this.revoke(`u:${userId}`);
		this.closeWhere((c) => c.context?.sessionId === sessionId);
	}

	/** Makes every connection to a document re-authenticate (lock, phase change, deletion). */
	reauthenticateDoc(documentName: string) {
		this.revoke(`d:${documentName}`);
		const doc = this.instance?.documents.get(documentName);
		for (const c of doc?.getConnections() ?? []) c.close(CLOSE_EVENT);
	}

	private revoke(key: string) {
		this.revokedAt.set(key, ++this.revision);
	}

	private revokedSince(context: CollabContext & Stamped, documentName: string): boolean {
		const since = context.accessRevision ?? 0;
		const user = this.revokedAt.get(`u:${context.user?.id}`) ?? 0;
		const doc = this.revokedAt.get(`d:${documentName}`) ?? 0;
		return user > since || doc > since;
	}

	private closeWhere(match: (c: Connection<CollabContext>) => boolean) {
		for (const doc of this.instance?.documents.values() ?? []) for (const c of doc.getConnections()) if (match(c)) c.close(CLOSE_EVENT);
	}
}
