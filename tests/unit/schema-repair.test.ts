import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readSection, repairSchemaViolations, schemaViolation, SECTION_FIELD } from '../../collab/schema/index.ts';
import { MAX_DEPTH } from '../../collab/schema/limits.ts';
import { baseSection, clientOf, mutate, nestBlockquotes, seeded } from '../helpers/section-mutations.ts';

const CASES = 400;

const copyOf = (doc: Y.Doc) => {
	const d = new Y.Doc();
	Y.applyUpdate(d, Y.encodeStateAsUpdate(doc));
	return d;
};

/** Repairs `doc` and returns the updates the repair made, as a server would broadcast them. */
function repair(doc: Y.Doc) {
	const updates: Uint8Array[] = [];
	const collect = (u: Uint8Array) => updates.push(u);
	doc.on('update', collect);
	const result = repairSchemaViolations(doc, 'repair');
	doc.off('update', collect);
	return { result, updates };
}

/**
 * Documents damaged by edits the guard would refuse (old data, or what got past an older guard):
 * the repair must bring every one back into the schema, readers must get before the repair what
 * the repair then stores, and a client holding the damaged copy must converge on the repair.
 */
describe('repair of damaged documents', () => {
	it(`repairs ${CASES} documents damaged by random edits`, () => {
		const r = seeded(4711);
		let repaired = 0;
		for (let i = 0; i < CASES; i++) {
			const server = baseSection(r);
			const client = clientOf(server, r);
			const sv = Y.encodeStateVector(server);
			const ops = mutate(client, r, 1 + r.int(4));
			Y.applyUpdate(server, Y.encodeStateAsUpdate(client, sv));
			if (!schemaViolation(server)) continue;
			const peer = copyOf(server);
			const read = readSection(server);
			const { result, updates } = repair(server);
			expect(result?.left, `case ${i} [${ops.join(', ')}] after ${result?.found}`).toBeNull();
			expect(readSection(server), `case ${i}: readers saw what the repair stored`).toEqual(read);
			for (const u of updates) Y.applyUpdate(peer, u);
			expect(schemaViolation(peer), `case ${i}: the peer converged`).toBeNull();
			expect(readSection(peer)).toEqual(read);
			repaired++;
		}
		expect(repaired).toBeGreaterThan(CASES / 3);
	});

	it('cuts 6,000 nested levels down without overflowing the stack, here or at a peer', () => {
		const server = baseSection(seeded(1));
		const client = clientOf(server, seeded(2));
		const sv = Y.encodeStateVector(server);
		nestBlockquotes(client.getXmlFragment(SECTION_FIELD), 6000);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client, sv));
		const peer = copyOf(server);
		const { result, updates } = repair(server);
		expect(result).toMatchObject({ found: expect.stringContaining('deeper'), left: null });
		for (const u of updates) Y.applyUpdate(peer, u);
		expect(schemaViolation(peer)).toBeNull();
		let depth = 0;
		for (let el = peer.getXmlFragment(SECTION_FIELD).get(0); el instanceof Y.XmlElement; el = el.get(0)) depth++;
		expect(depth).toBeLessThanOrEqual(MAX_DEPTH);
		// The deleted levels are gone from what is stored and sent, not only hidden.
		expect(Y.encodeStateAsUpdate(peer).length).toBeLessThan(Y.encodeStateAsUpdate(client).length / 2);
	});
});
