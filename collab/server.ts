import { Hocuspocus } from '@hocuspocus/server';
import type * as Y from 'yjs';
import type { CollabDeps } from './deps.ts';
import { Authenticate } from './extensions/authenticate.ts';
import { Connections } from './extensions/connections.ts';
import { Persistence } from './extensions/persistence.ts';
import { Logging } from './extensions/logging.ts';
import { Presence } from './extensions/presence.ts';
import { SchemaGuard } from './extensions/schema-guard.ts';
import { clusterExtensions } from './extensions/cluster.ts';
import { DOC_MESSAGE } from './protocol.ts';

export type Collab = {
	hocuspocus: Hocuspocus;
	connections: Connections;
	/**
	 * A change the server itself makes to a document (an expert's grade, a revision's content),
	 * applied to the live document so every open editor sees it at once, and resolved only once
	 * it is stored.
	 */
	editDocument(documentName: string, change: (doc: Y.Doc) => void): Promise<void>;
	/** Tells every open editor of a document something beyond the text (e.g. "comments changed"). */
	notifyDocument(documentName: string, message: object): void;
	/**
	 * The document's review state changed: its open editors hear the new state, then
	 * authenticate again (and get write access or lose it). In this order, because the
	 * re-authentication closes the connections the message travels on.
	 */
	stateChanged(documentName: string, state: string): void;
};

/** What changes access takes effect on every instance's connections, not only this one's. */
const CLUSTER_WIDE = ['closeUser', 'closeSession', 'reauthenticateDoc'] as const;

/**
 * What one socket may make the server hold for documents that have not signed in yet. An honest
 * client sends an authentication, a sync step 1 and its presence per document before the answer
 * (well under 10 KB), and opens a handful of documents at once; beyond these the socket is closed.
 */
export const PRE_AUTH_LIMITS = {
	maxUnauthenticatedQueueSize: 256 * 1024,
	maxUnauthenticatedQueueMessages: 100,
	maxPendingDocuments: 16
};

export function createCollab(deps: CollabDeps): Collab {
	const connections = new Connections();
	const persistence = new Persistence(deps.store);
	const hocuspocus = new Hocuspocus({
		name: 'fangkong',
		quiet: true,
		// Compaction after a pause in typing; durability does not wait for it.
		debounce: 5000,
		maxDebounce: 30000,
		...PRE_AUTH_LIMITS,
		extensions: [
			new SchemaGuard(),
			persistence,
			new Authenticate(deps),
			connections,
			new Presence(),
			new Logging(),
			...(deps.cluster ? clusterExtensions(deps.cluster, deps.store) : [])
		]
	});
	const notify = {
		// To this instance's connections only (no Redis relay): every instance gets the call and
		// tells its own, also those that do not have the document open where the change was made.
		document(documentName: string, message: object) {
			hocuspocus.documents.get(documentName)?.relayStateless(JSON.stringify(message));
		}
	};
	const cluster = deps.cluster;
	const notifyEverywhere = cluster ? cluster.fanOut('notify', notify, ['document']) : notify;
	const clusterConnections = cluster ? cluster.fanOut('connections', connections, CLUSTER_WIDE) : connections;
	return {
		hocuspocus,
		connections: clusterConnections,
		async editDocument(documentName, change) {
			const connection = await hocuspocus.openDirectConnection(documentName, { server: true });
			try {
				await connection.transact(change);
				await persistence.flush(documentName);
			} finally {
				// Stored already (flush above). With Redis, an immediate store and unload would wait for
				// the relay's grace periods (about 2 s) before answering; the debounced store does it later.
				await connection.disconnect(deps.cluster ? { unloadImmediately: false } : undefined);
			}
		},
		notifyDocument(documentName, message) {
			notifyEverywhere.document(documentName, message);
		},
		stateChanged(documentName, state) {
			notifyEverywhere.document(documentName, { type: DOC_MESSAGE.state, state });
			clusterConnections.reauthenticateDoc(documentName);
		}
	};
}
