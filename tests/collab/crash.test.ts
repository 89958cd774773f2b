import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSection, signIn, TestServer } from '../helpers/server.ts';
import { WireClient } from '../helpers/wire.ts';
import { until } from '../helpers/collab-client.ts';

const WRITERS = 20;
const ROUNDS = 3;

/** A writer's own paragraph, its text and, per update sent, the writer's Yjs clock after it. */
type Typist = { client: WireClient; marker: string; text: string; clockAfter: number[] };

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function paragraphText(doc: Y.Doc, marker: string): string | null {
	for (const p of doc.getXmlFragment('default').toArray()) {
		if (!(p instanceof Y.XmlElement) || p.nodeName !== 'paragraph') continue;
		const text = p.toArray().map((t) => (t instanceof Y.XmlText ? t.toString() : '')).join('');
		if (text.startsWith(marker)) return text;
	}
	return null;
}

/**
 * Twenty writers type as fast as the server answers, the server is killed with SIGKILL at a
 * random moment, and started again: every update a writer saw confirmed before the kill is in
 * the document the restarted server gives out. Confirmations are counted on raw sockets, in the
 * order the server sent them, so each one names exactly the update it confirms.
 */
describe('a crash while twenty people type', () => {
	const server = new TestServer();
	let tokens: string[];
	let doc: string;

	beforeAll(async () => {
		await server.start();
		tokens = await Promise.all(['shebei1', 'shebei2', 'shebei_leader'].map(async (u) => (await signIn(server, u)).token!));
		doc = (await demoSection(await signIn(server, 'admin'), '设备监督管理司')).section.doc;
	});

	afterAll(async () => {
		await server.dispose();
	});

	async function typeUntilKilled(round: number) {
		const typists: Typist[] = [];
		for (let i = 0; i < WRITERS; i++) {
			const client = await new WireClient(server.wsUrl, doc).join(tokens[i % tokens.length]);
			typists.push({ client, marker: `【第${round}轮写手${i}】`, text: '', clockAfter: [] });
		}
		let killed = false;
		const typing = typists.map(async (t) => {
			const send = (edit: (doc: Y.Doc) => void) => {
				t.client.change(edit);
				t.clockAfter.push(Y.getState(t.client.doc.store, t.client.doc.clientID));
			};
			const node = new Y.XmlText(t.marker);
			send((d) => {
				const p = new Y.XmlElement('paragraph');
				p.insert(0, [node]);
				d.getXmlFragment('default').push([p]);
			});
			for (let n = 0; !killed && !t.client.closed; n++) {
				const ch = String.fromCharCode(0x4e00 + ((round * 997 + n) % 2000));
				send(() => node.insert(node.length, ch));
				t.text += ch;
				// Keep updates in flight at all times, as fast typists on a busy server do.
				while (!killed && t.clockAfter.length - t.client.statuses.length > 16) await pause(2);
				if (n % 3 === 0) await pause(1);
			}
		});
		// Everyone is under way (the first commits are in); after a random while, the kill comes
		// the instant a confirmation arrives: if confirmations ran ahead of commits, that is when
		// a confirmed update is most surely not on disk yet.
		await until(() => typists.every((t) => t.client.confirmed >= 2), 'every writer confirmed twice', 30_000);
		await pause(Math.random() * 800);
		const dead = new Promise<void>((resolve) => {
			for (const t of typists)
				t.client.onStatus = () => {
					for (const u of typists) u.client.onStatus = null;
					void server.stop('SIGKILL').then(resolve);
				};
		});
		await dead;
		killed = true;
		await Promise.all(typists.map((t) => t.client.ended));
		await Promise.all(typing);
		return typists;
	}

	it('keeps every update a client saw confirmed', async () => {
		for (let round = 1; round <= ROUNDS; round++) {
			const typists = await typeUntilKilled(round);
			await server.start();
			const reader = await new WireClient(server.wsUrl, doc).join(tokens[0]);
			let confirmed = 0;
			let unconfirmed = 0;
			for (const t of typists) {
				const acks = t.client.statuses;
				expect(acks.every(Boolean)).toBe(true);
				confirmed += acks.length;
				unconfirmed += t.clockAfter.length - acks.length;
				if (acks.length === 0) continue;
				// What the server holds of this writer covers every confirmed update ...
				expect(Y.getState(reader.doc.store, t.client.doc.clientID)).toBeGreaterThanOrEqual(t.clockAfter[acks.length - 1]);
				// ... and reads as the text typed up to the last confirmed keystroke, at least.
				const stored = paragraphText(reader.doc, t.marker);
				expect(stored).not.toBeNull();
				expect((t.marker + t.text).startsWith(stored!)).toBe(true);
				expect(stored!.length).toBeGreaterThanOrEqual(t.marker.length + acks.length - 1);
			}
			reader.close();
			// The kill came while writes were under way, and many had been confirmed.
			expect(confirmed).toBeGreaterThanOrEqual(2 * WRITERS);
			expect(unconfirmed).toBeGreaterThan(0);
		}
	});
});
