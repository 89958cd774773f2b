import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { changesDocument } from '../../collab/update-effect.ts';
import { recordingDoc } from '../helpers/recording-doc.ts';

const client = recordingDoc;

/** The server's copy: everything the client sent so far. */
function serverOf(c: ReturnType<typeof client>) {
	const server = new Y.Doc();
	for (const u of c.updates) Y.applyUpdate(server, u);
	return server;
}

describe('changesDocument', () => {
	it('sees new content, and not the same content sent again', () => {
		const c = client();
		c.paragraph('受理');
		const server = new Y.Doc();
		expect(changesDocument(server, c.updates[0])).toBe(true);
		Y.applyUpdate(server, c.updates[0]);
		expect(changesDocument(server, c.updates[0])).toBe(false);
	});

	it('sees a deletion, and not the same deletion again', () => {
		const c = client();
		c.paragraph('审查决定送达');
		c.text(0).delete(2, 2);
		const server = new Y.Doc();
		Y.applyUpdate(server, c.updates[0]);
		const deletion = c.updates[1];
		expect(changesDocument(server, deletion)).toBe(true);
		Y.applyUpdate(server, deletion);
		expect(changesDocument(server, deletion)).toBe(false);
	});

	it('finds nothing new in a reconnecting client’s sync (its whole delete set, no new structs)', () => {
		const c = client();
		for (let i = 0; i < 20; i++) c.paragraph(`第${i}段`);
		for (let i = 0; i < 20; i += 2) c.text(i).delete(0, 1);
		c.fragment.delete(5, 3);
		const server = serverOf(c);
		const sync = Y.encodeStateAsUpdate(c.doc, Y.encodeStateVector(server));
		expect(sync.length).toBeGreaterThan(2); // not empty: the delete set travels every time
		expect(changesDocument(server, sync)).toBe(false);
		expect(changesDocument(server, Y.encodeStateAsUpdate(c.doc))).toBe(false);
	});

	it('sees a deletion hidden among ranges already deleted', () => {
		const c = client();
		c.paragraph('一二三四五六七八九十');
		c.text(0).delete(0, 2);
		const server = serverOf(c);
		c.text(0).delete(5, 1); // a new deletion the server has not seen
		const sync = Y.encodeStateAsUpdate(c.doc, Y.encodeStateVector(server));
		expect(changesDocument(server, sync)).toBe(true);
	});

	it('sees a deletion of content the server does not have yet', () => {
		const a = client();
		a.paragraph('甲方内容');
		a.text(0).delete(0, 1);
		const server = new Y.Doc(); // has neither the insertion nor the deletion
		expect(changesDocument(server, a.updates[1])).toBe(true);
	});

	it('finds nothing in an empty update', () => {
		expect(changesDocument(new Y.Doc(), new Uint8Array([0, 0]))).toBe(false);
	});

	it('sees new content sent together with old', () => {
		const c = client();
		c.paragraph('旧');
		const server = serverOf(c);
		c.paragraph('新');
		expect(changesDocument(server, Y.encodeStateAsUpdate(c.doc))).toBe(true);
	});

	it('sees a change to a map value (flowcharts live in Y.Maps)', () => {
		const c = client();
		const steps = c.doc.getMap('flowcharts');
		steps.set('s1', 'label');
		const server = serverOf(c);
		steps.set('s1', 'changed'); // overwrites: a new struct plus a deletion of the old one
		expect(changesDocument(server, c.updates[1])).toBe(true);
		Y.applyUpdate(server, c.updates[1]);
		expect(changesDocument(server, c.updates[1])).toBe(false);
	});
});
