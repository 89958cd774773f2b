import type { Extension, Hocuspocus, onConfigurePayload } from '@hocuspocus/server';
import { Redis } from '@hocuspocus/extension-redis';
import * as Y from 'yjs';
import type { ClusterChannel } from '../../server/cluster/channel.ts';
import type { DocumentStore } from '../../server/documents/store.ts';
import { errorFields, log } from '../../server/log.ts';

/**
 * Several instances serving one document (`REDIS_URL`): Hocuspocus' Redis extension relays
 * edits, carets and stateless messages between the instances that have it open. Each client
 * update is stored once, by the instance that received it (persistence skips origin `redis`).
 */
export function clusterExtensions(cluster: ClusterChannel, store: DocumentStore): Extension[] {
	const relay = new Redis({
		createClient: () => cluster.redis('collab'),
		identifier: cluster.instanceId,
		prefix: 'fangkong:collab'
	});
	return [relay, new Recovery(cluster, store)];
}

/** Applied as if relayed: already stored by the instance that received it, so never logged again. */
const STORED = { source: 'redis' } as const;

/**
 * An instance that dies between committing a client's update and relaying it leaves that edit in
 * the database only; one that dies between relaying and committing leaves it in its peers'
 * memory only (relayed updates are never stored again). When a peer goes silent, every instance
 * stores what its open documents hold that the database lacks, then merges what is stored into
 * them, so their clients get it at once. Both are idempotent, so all peers may do it.
 */
class Recovery implements Extension {
	extensionName = 'fangkong-recovery';
	private instance: Hocuspocus | null = null;
	private store: DocumentStore;
	constructor(cluster: ClusterChannel, store: DocumentStore) {
		this.store = store;
		cluster.onPeerGone(() => void this.mergeStored());
	}

	async onConfigure({ instance }: onConfigurePayload) {
		this.instance = instance;
	}

	private async mergeStored() {
		for (const [name, document] of this.instance?.documents ?? []) {
			try {
				const state = await this.store.load(name);
				const missing = Y.encodeStateAsUpdate(document, state ? Y.encodeStateVectorFromUpdate(state) : undefined);
				if (missing.byteLength > 2) await this.store.append(name, missing);
				if (state) Y.applyUpdate(document, state, STORED);
			} catch (err) {
				log.error('could not merge stored document after a peer left', { doc: name, ...errorFields(err) });
			}
		}
	}
}
