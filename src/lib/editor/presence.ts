import type { Awareness } from 'y-protocols/awareness';
import { peerState, type PresenceUser } from '#collab/presence.ts';

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

/** The other people on the document, once each (a person may have several tabs open). */
export function peersOf(states: Map<number, unknown>, selfId: string): PresenceUser[] {
	const seen = new Map<string, PresenceUser>();
	for (const state of states.values()) {
		const peer = peerState(state);
		if (peer && peer.user.id !== selfId) seen.set(peer.user.id, peer.user);
	}
	return [...seen.values()];
}
