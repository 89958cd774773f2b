import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { guardPeerStates, peersOf } from '../../src/lib/editor/presence.ts';
import { colorFor, presenceFields } from '../../collab/presence.ts';

const opened: awarenessProtocol.Awareness[] = [];
function awareness() {
	const a = new awarenessProtocol.Awareness(new Y.Doc());
	opened.push(a);
	return a;
}
afterEach(() => {
	for (const a of opened.splice(0)) a.destroy();
});

/** What `peer` publishes, as it arrives in `mine` (applied the way a provider applies it). */
function receive(mine: awarenessProtocol.Awareness, peer: awarenessProtocol.Awareness) {
	awarenessProtocol.applyAwarenessUpdate(mine, awarenessProtocol.encodeAwarenessUpdate(peer, [peer.clientID]), 'remote');
}

const good = { id: 'u-1', name: '王工', color: '#0f766e' };
const at = { type: { client: 7, clock: 3 }, assoc: 0 };

describe('the browser never trusts a peer’s awareness state', () => {
	it('keeps a state that fits, reduced to the known fields', () => {
		const [mine, peer] = [awareness(), awareness()];
		let seenByLaterListener: unknown;
		guardPeerStates(mine);
		mine.on('change', () => (seenByLaterListener = mine.getStates().get(peer.clientID)));
		peer.setLocalState({ user: { ...good, extra: 1 }, cursor: { anchor: at, head: at }, flowchart: { chartId: 'c', stepId: 's' }, html: '<b>' });
		receive(mine, peer);
		const expected = { user: good, cursor: { anchor: at, head: at }, flowchart: { chartId: 'c', stepId: 's' } };
		expect(mine.getStates().get(peer.clientID)).toEqual(expected);
		// Listeners registered after the guard (the caret plugin, the avatar row) only see the checked state.
		expect(seenByLaterListener).toEqual(expected);
	});

	it('drops a state whose identity does not fit, and leaves out fields that do not', () => {
		const [mine, peer, other] = [awareness(), awareness(), awareness()];
		guardPeerStates(mine);
		peer.setLocalState({ user: { id: 'u-2', name: 42, color: '#000000' }, cursor: { anchor: at, head: at } });
		receive(mine, peer);
		expect(mine.getStates().has(peer.clientID)).toBe(false);
		other.setLocalState({ user: good, cursor: { anchor: 5 }, flowchart: { chartId: 9 } });
		receive(mine, other);
		expect(mine.getStates().get(other.clientID)).toEqual({ user: good });
		for (const color of ['red;background:url(x)', 'transparent', '#12345']) {
			other.setLocalState({ user: { ...good, color } });
			receive(mine, other);
			expect(mine.getStates().has(other.clientID), color).toBe(false);
		}
	});

	it('leaves the tab’s own state alone', () => {
		const mine = awareness();
		guardPeerStates(mine);
		mine.setLocalState({ user: { name: 'local only' }, anything: true });
		expect(mine.getLocalState()).toEqual({ user: { name: 'local only' }, anything: true });
	});

	it('lists each other person once and never oneself', () => {
		const states = new Map<number, unknown>([
			[1, { user: good }],
			[2, { user: good, cursor: null }],
			[3, { user: { id: 'me', name: '我', color: colorFor('me') } }],
			[4, { user: { id: 'u-3', name: 3 } }],
			[5, null]
		]);
		expect(peersOf(states, 'me')).toEqual([good]);
	});

	it('keeps only cursor and flowchart from a claim, each only when it fits', () => {
		expect(presenceFields({ user: good, cursor: null, flowchart: null, x: 1 })).toEqual({ cursor: null, flowchart: null });
		expect(presenceFields({ flowchart: { chartId: 'c', stepId: null, field: 'label' } })).toEqual({ flowchart: { chartId: 'c', stepId: null, field: 'label' } });
		expect(presenceFields({ flowchart: { chartId: 'c'.repeat(101), stepId: null } })).toEqual({});
		expect(presenceFields('not an object')).toEqual({});
		expect(presenceFields(null)).toEqual({});
	});
});
