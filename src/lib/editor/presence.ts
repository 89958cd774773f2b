import type { Awareness } from 'y-protocols/awareness';
import { peerState, PresenceUser } from '#collab/presence.ts';

export { colorFor, type PresenceUser } from '#collab/presence.ts';

export function initialOf(name: string): string {
	const trimmed = name.replace(/^.*\s/, '').trim() || name.trim();
	return trimmed.slice(0, 1).toUpperCase();
}

/**
 * Peers' awareness states are checked where they enter the tab, before the caret plugin or the
 * avatar row read them: a state is reduced to the fields that fit (`collab/presence.ts`) or
 * dropped when its identity does not fit. The server already rewrites what it relays; the page
 * does not rely on it. Register before anything else listens to `awareness`.
 */
export function guardPeerStates(awareness: Awareness): () => void {
	const check = ({ added, updated }: { added: number[]; updated: number[] }) => {
		for (const id of [...added, ...updated]) {
			if (id === awareness.clientID) continue;
			const clean = peerState(awareness.states.get(id));
			if (clean) awareness.states.set(id, clean);
			else awareness.states.delete(id);
		}
	};
	awareness.on('change', check);
	return () => awareness.off('change', check);
}

/** What awareness says changed: client ids added, updated (state changed), removed. */
export type AwarenessChanges = { added: number[]; updated: number[]; removed: number[] };

/**
 * The other people on the document, once each (a person may have several tabs open), kept up to
 * date from awareness changes: a change costs in proportion to the clients it names, and a caret
 * moving changes nothing here (so the avatar row is not redrawn for it).
 */
export class PeerRoster {
	private byClient = new Map<number, PresenceUser>();
	private tabs = new Map<string, { user: PresenceUser; count: number }>();
	private selfId: string;
	constructor(selfId: string) {
		this.selfId = selfId;
	}

	/** Takes a change in; true when the list of people (or a name or colour) changed. */
	apply(states: Map<number, unknown>, { added, updated, removed }: AwarenessChanges): boolean {
		let changed = false;
		for (const id of removed) changed = this.set(id, null) || changed;
		for (const id of added) changed = this.set(id, states.get(id)) || changed;
		for (const id of updated) changed = this.set(id, states.get(id)) || changed;
		return changed;
	}

	list(): PresenceUser[] {
		return [...this.tabs.values()].map((t) => t.user);
	}

	private set(clientId: number, state: unknown): boolean {
		// Only the identity matters here (the guard above has checked the whole state).
		const parsed = PresenceUser.safeParse((state as { user?: unknown } | null | undefined)?.user);
		const user = parsed.success && parsed.data.id !== this.selfId ? parsed.data : null;
		const before = this.byClient.get(clientId);
		if (sameUser(before, user)) return false;
		let changed = false;
		if (before) {
			const tab = this.tabs.get(before.id)!;
			if (--tab.count === 0) {
				this.tabs.delete(before.id);
				changed = true;
			}
			this.byClient.delete(clientId);
		}
		if (user) {
			this.byClient.set(clientId, user);
			const tab = this.tabs.get(user.id);
			if (!tab) this.tabs.set(user.id, { user, count: 1 });
			else tab.count++;
			if (!tab || !sameUser(tab.user, user)) changed = true;
			if (tab) tab.user = user;
		}
		return changed;
	}
}

function sameUser(a: PresenceUser | null | undefined, b: PresenceUser | null): boolean {
	if (!a || !b) return !a && !b;
	return a.id === b.id && a.name === b.name && a.color === b.color;
}
