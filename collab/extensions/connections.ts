import type { Connection, connectedPayload, Extension, onDisconnectPayload } from '@hocuspocus/server';
import type { CollabContext } from './authenticate.ts';
import { ACCESS_CHANGED } from '../protocol.ts';

const CLOSE_EVENT = { code: 4403, reason: ACCESS_CHANGED };

/**
 * Knows which user holds which open connection, so that a change of access (account
 * disabled, phase advanced, section locked) takes effect on open connections at once.
 */
export class Connections implements Extension {
	extensionName = 'fangkong-connections';
	private byUser = new Map<string, Set<Connection>>();
	private byDoc = new Map<string, Set<Connection>>();

	async connected({ connection, context, documentName }: connectedPayload<CollabContext>) {
		add(this.byUser, context.user.id, connection);
		add(this.byDoc, documentName, connection);
	}

	async onDisconnect({ context, documentName, socketId }: onDisconnectPayload<CollabContext>) {
		const drop = (map: Map<string, Set<Connection>>, key: string | undefined) => {
			if (!key) return;
			const set = map.get(key);
			if (!set) return;
			for (const c of set) if (c.socketId === socketId) set.delete(c);
			if (!set.size) map.delete(key);
		};
		drop(this.byUser, context?.user?.id);
		drop(this.byDoc, documentName);
	}

	/** Ends a user's open connections (account disabled or role changed). */
	closeUser(userId: string) {
		for (const c of this.byUser.get(userId) ?? []) c.close(CLOSE_EVENT);
	}

	/** Makes every connection to a document re-authenticate (lock or phase changed). */
	reauthenticateDoc(documentName: string) {
		for (const c of this.byDoc.get(documentName) ?? []) c.close(CLOSE_EVENT);
	}

	countFor(userId: string) {
		return this.byUser.get(userId)?.size ?? 0;
	}
}

function add(map: Map<string, Set<Connection>>, key: string, c: Connection) {
	let set = map.get(key);
	if (!set) map.set(key, (set = new Set()));
	set.add(c);
}
