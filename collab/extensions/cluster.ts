import { OutgoingMessage, type afterLoadDocumentPayload, type Extension, type Hocuspocus, type onConfigurePayload } from '@hocuspocus/server';
import { Redis } from '@hocuspocus/extension-redis';
import * as Y from 'yjs';
import type { ClusterChannel } from '../../server/cluster/channel.ts';
import type { DocumentStore } from '../../server/documents/store.ts';
import { errorFields, log } from '../../server/log.ts';
import { isRelayed, RELAYED } from './relayed.ts';

/**
 * Several instances serving one document (`REDIS_URL`): Hocuspocus' Redis extension relays
 * edits, carets and stateless messages between the instances that have it open. Each client
 * update is stored once, by the instance that received it (persistence skips origin `redis`).
 */
export function clusterExtensions(cluster: ClusterChannel, store: DocumentStore): Extension[] {
	const relay = new Redis({
		createClient: () => cluster.redis('collab'),
		identifier: cluster.instanceId,
		prefix: PREFIX
	});
	return [relay, new PublishUpdates(relay, cluster.instanceId), new Recovery(cluster, store)];
}

const PREFIX = 'fangkong:collab';

/**
 * Publishes each change itself to the document's Redis channel, once per event-loop turn.
 * The Redis extension announces a change only by its state vector; a peer then asks for what it
 * lacks and gets it in a reply, so an edit reached the other instance's readers after three
 * trips through Redis (about twice the time it takes on the writer's own instance). The peer
 * applies a published update at once; the extension's exchange still catches up whatever a
 * peer missed. Messages follow the extension's wire format: identifier length, identifier,
 * Hocuspocus message.
 */
class PublishUpdates implements Extension {
	extensionName = 'fangkong-publish-updates';
	private relay: Redis;
	private prefix: Buffer;
	private pending = new Map<string, Uint8Array[]>();
	constructor(relay: Redis, identifier: string) {
		this.relay = relay;
		const id = Buffer.from(identifier, 'utf-8');
		this.prefix = Buffer.concat([Buffer.from([id.length]), id]);
	}

	async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload) {
		document.on('update', (update: Uint8Array, origin: unknown) => {
			if (isRelayed(origin)) return;
			const queued = this.pending.get(documentName);
			if (queued) return void queued.push(update);
			this.pending.set(documentName, [update]);
			setImmediate(() => this.publish(documentName));
		});
	}

	private publish(documentName: string) {
		const updates = this.pending.get(documentName);
		this.pending.delete(documentName);
		if (!updates?.length) return;
		const update = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
		const message = new OutgoingMessage(documentName).createSyncMessage().writeUpdate(update).toUint8Array();
		this.relay.pub.publish(`${PREFIX}:${documentName}`, Buffer.concat([this.prefix, message])).catch((err: unknown) => {
			// The extension's state-vector exchange still brings the change to the peers.
			log.warn('could not publish an update to the other instances', { doc: documentName, ...errorFields(err) });
		});
	}
}


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
				// As if relayed: it is stored already, and every peer merges it for itself.
				if (state) Y.applyUpdate(document, state, RELAYED);
			} catch (err) {
				log.error('could not merge stored document after a peer left', { doc: name, ...errorFields(err) });
			}
		}
	}
}
