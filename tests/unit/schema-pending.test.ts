import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IncrementalSchemaCheck, SECTION_FIELD, sectionToYUpdate } from '../../collab/schema/index.ts';
import { newSectionTemplate } from '../../collab/schema/template.ts';

/**
 * An honest client can send an update whose earlier part the server never applied: what it typed
 * while its connection was read-only. The part waits, pending, and is checked when the rest arrives.
 */
describe('schema check of updates that wait for an earlier part', () => {
	const setup = () => {
		const server = new Y.Doc();
		Y.applyUpdate(server, sectionToYUpdate(newSectionTemplate('待补')));
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
		return { server, client, check: new IncrementalSchemaCheck(server) };
	};
	const paragraph = (text: string, tag = 'paragraph') => {
		const p = new Y.XmlElement(tag);
		p.insert(0, [new Y.XmlText(text)]);
		return p;
	};
	/** Two edits on the client; returns each one's own update. */
	const twoEdits = (client: Y.Doc, first: () => void, second: () => void) => {
		const updates: Uint8Array[] = [];
		const record = (u: Uint8Array) => updates.push(u);
		client.on('update', record);
		client.transact(first);
		client.transact(second);
		client.off('update', record);
		return updates;
	};

	it('accepts the later part first, and checks both once the earlier one arrives', () => {
		const { client, check, server } = setup();
		const f = client.getXmlFragment(SECTION_FIELD);
		const [earlier, later] = twoEdits(
			client,
			() => f.insert(f.length, [paragraph('锁定时写的')]),
			() => f.insert(f.length, [paragraph('解锁后写的')])
		);
		expect(check.apply(later)).toBeNull();
		expect(check.apply(earlier)).toBeNull();
		expect(server.getXmlFragment(SECTION_FIELD).toString()).toContain('解锁后写的');
	});

	it('still refuses a pending part that breaks the schema, when it integrates', () => {
		const { client, check } = setup();
		const f = client.getXmlFragment(SECTION_FIELD);
		const [earlier, later] = twoEdits(
			client,
			() => f.insert(f.length, [paragraph('正常的一段')]),
			() => f.insert(f.length, [paragraph('<script>', 'script')])
		);
		expect(check.apply(later)).toBeNull(); // waits, outside the document
		expect(check.apply(earlier)).not.toBeNull();
	});
});
