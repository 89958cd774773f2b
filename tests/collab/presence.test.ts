import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { colorFor } from '../../collab/presence.ts';

type State = Record<string, any>;

/**
 * An awareness update as a client could forge it: any client id, any clock, any JSON. It is fed
 * to the sender's own awareness, from where its provider sends it on like any local change.
 */
function forge(client: CollabClient, clientId: number, clock: number, state: unknown) {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint(e, clientId);
	encoding.writeVarUint(e, clock);
	encoding.writeVarString(e, JSON.stringify(state));
	awarenessProtocol.applyAwarenessUpdate(client.provider.awareness!, encoding.toUint8Array(e), 'forged');
}

/** Every state `observer` has received for `clientId`, in order. */
function record(observer: CollabClient, clientId: () => number) {
	const seen: State[] = [];
	observer.provider.awareness!.on('change', () => {
		const s = observer.provider.awareness!.getStates().get(clientId());
		if (s) seen.push(structuredClone(s));
	});
	return seen;
}

/** A selection as CollaborationCaret publishes it (`Y.relativePositionToJSON` of anchor and head). */
/** Returns once the server has handled everything `c` sent before (it answers a sync step 1 in order). */
async function roundTrip(c: CollabClient) {
	c.provider.isSynced = false;
	c.provider.forceSync();
	await until(() => c.provider.isSynced, 'answer to a sync step 1');
}

const CURSOR = { anchor: { type: { client: 1, clock: 2 }, item: { client: 3, clock: 4 }, assoc: 0 }, head: { item: { client: 3, clock: 5 }, assoc: -1 } };

describe('presence (awareness) relayed by the server', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let section: { id: string; doc: string };
	let expert: { id: string; displayName: string; token: string };
	let leader: { id: string; displayName: string; token: string };
	let editor: { id: string; token: string };
	const clients: CollabClient[] = [];
	const open = async (token: string) => {
		const c = new CollabClient(server.wsUrl, section.doc, token);
		clients.push(c);
		return c.synced();
	};

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		section = (await demoSection(admin, '设备监督管理司')).section;
		const me = async (username: string) => {
			const api = await signIn(server, username);
			return { ...(await api.get('/api/me')).body, token: api.token! };
		};
		[expert, leader, editor] = await Promise.all([me('zhuanjia'), me('shebei_leader'), me('shebei1')]);
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server.dispose();
	});

	it("replaces the claimed identity with the session's and keeps only the known fields", async () => {
		const [x, observer] = [await open(expert.token), await open(editor.token)];
		expect(x.scope).toBe('readonly');
		const seen = record(observer, () => x.doc.clientID);
		x.provider.awareness!.setLocalState({
			user: { id: leader.id, name: leader.displayName, color: '#000000' },
			cursor: CURSOR,
			flowchart: { chartId: 'chart-1', stepId: 'step-2', field: 'label' },
			script: '<img src=x onerror=alert(1)>'
		});
		await until(() => seen.length > 0, 'the expert’s presence reaches the editor');
		expect(seen.at(-1)).toEqual({
			user: { id: expert.id, name: expert.displayName, color: colorFor(expert.id) },
			cursor: CURSOR,
			flowchart: { chartId: 'chart-1', stepId: 'step-2', field: 'label' }
		});
	});

	it('drops fields that do not fit and states that are too large; a name that is not text is replaced', async () => {
		const [x, observer] = [await open(expert.token), await open(editor.token)];
		const seen = record(observer, () => x.doc.clientID);
		const aw = x.provider.awareness!;
		const identity = { id: expert.id, name: expert.displayName, color: colorFor(expert.id) };
		aw.setLocalState({ user: { id: expert.id, name: 42 }, cursor: { anchor: 5 }, flowchart: { chartId: 'a', stepId: null, extra: '<b>' }, note: 1 });
		await until(() => seen.some((s) => s.flowchart?.chartId === 'a'), 'the first state arrives');
		expect(seen.at(-1)).toEqual({ user: identity, flowchart: { chartId: 'a', stepId: null } });

		aw.setLocalState({ flowchart: { chartId: 'oversize', stepId: null }, note: 'x'.repeat(5_000_000) });
		await roundTrip(x);
		// Whoever opens the document now gets the state the server holds for the expert.
		const late = await open(editor.token);
		expect(late.provider.awareness!.getStates().get(x.doc.clientID)).toEqual({ user: identity, flowchart: { chartId: 'a', stepId: null } });
		expect(seen.some((s) => s.flowchart?.chartId === 'oversize')).toBe(false);
	});

	it("does not let one connection speak for another's client id", async () => {
		const [l, x, observer] = [await open(leader.token), await open(expert.token), await open(editor.token)];
		l.provider.awareness!.setLocalStateField('cursor', CURSOR);
		const ofLeader = record(observer, () => l.doc.clientID);
		await until(() => observer.provider.awareness!.getStates().get(l.doc.clientID)?.cursor != null, 'the leader’s caret');
		// The expert claims the leader's client id with a clock far ahead.
		forge(x, l.doc.clientID, 1_000_000, { user: { name: '冒充' }, cursor: null });
		// And then sends something of its own, so the forgery has surely been handled.
		const ofExpert = record(observer, () => x.doc.clientID);
		x.provider.awareness!.setLocalStateField('flowchart', { chartId: 'c', stepId: null });
		await until(() => ofExpert.some((s) => s.flowchart?.chartId === 'c'), 'the expert’s own state arrives');
		const leaderState = observer.provider.awareness!.getStates().get(l.doc.clientID);
		expect(leaderState?.user?.id).toBe(leader.id);
		expect(leaderState?.cursor).toEqual(CURSOR);
		expect(ofLeader.every((s) => s.user?.id === leader.id)).toBe(true);
	});
});
