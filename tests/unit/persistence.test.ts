import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { extractUpdate } from '../../collab/extensions/persistence.ts';

// Hocuspocus message types (the first varUint after the document name).
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_SYNC_REPLY = 4;

/** A Hocuspocus message: document name, message type, then the body written by `body`. */
function message(type: number, body: (e: encoding.Encoder) => void, docName = 'section:abc'): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarString(e, docName);
	encoding.writeVarUint(e, type);
	body(e);
	return encoding.toUint8Array(e);
}

function docWithText(text: string) {
	const doc = new Y.Doc();
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	doc.getXmlFragment('default').insert(0, [p]);
	return doc;
}

/** The text a Yjs update holds once applied to a fresh doc. */
function textOf(update: Uint8Array): string {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, update);
	return doc.getXmlFragment('default').toString();
}

describe('extractUpdate', () => {
	it('returns the update of a sync "update" message', () => {
		const doc = docWithText('风险点');
		const update = Y.encodeStateAsUpdate(doc);
		const got = extractUpdate(message(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update)));
		expect(got).not.toBeNull();
		expect(Array.from(got!)).toEqual(Array.from(update));
		expect(textOf(got!)).toContain('风险点');
	});

	it('returns the update of a sync step 2 message', () => {
		const doc = docWithText('防控措施');
		const got = extractUpdate(message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep2(e, doc)));
		expect(got).not.toBeNull();
		expect(Array.from(got!)).toEqual(Array.from(Y.encodeStateAsUpdate(doc)));
		expect(textOf(got!)).toContain('防控措施');
	});

	it('reads the update of a sync reply message too', () => {
		const update = Y.encodeStateAsUpdate(docWithText('补正告知'));
		const got = extractUpdate(message(MESSAGE_SYNC_REPLY, (e) => syncProtocol.writeUpdate(e, update)));
		expect(got && textOf(got)).toContain('补正告知');
	});

	it('does not depend on the document name', () => {
		const update = Y.encodeStateAsUpdate(docWithText('x'));
		const name = 'section:' + '长'.repeat(300);
		const got = extractUpdate(message(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update), name));
		expect(got && Array.from(got)).toEqual(Array.from(update));
	});

	it('returns null for sync step 1 (a state vector, not an update)', () => {
		const doc = docWithText('不是更新');
		expect(extractUpdate(message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, doc)))).toBeNull();
	});

	it('returns null for awareness and auth messages', () => {
		const doc = new Y.Doc();
		const awareness = new awarenessProtocol.Awareness(doc);
		awareness.setLocalState({ user: { name: '林涛' } });
		const aw = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
		awareness.destroy();
		expect(extractUpdate(message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, aw)))).toBeNull();
		// An auth message whose body would decode like an update if the type were ignored.
		expect(extractUpdate(message(MESSAGE_AUTH, (e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(docWithText('x')))))).toBeNull();
	});

	it('returns null for garbage, empty and truncated messages', () => {
		expect(extractUpdate(new Uint8Array())).toBeNull();
		expect(extractUpdate(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBeNull();
		expect(extractUpdate(message(MESSAGE_SYNC, () => {}))).toBeNull();
		const full = message(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(docWithText('截断的消息'))));
		expect(extractUpdate(full)).not.toBeNull();
		for (const cut of [1, 5, full.length - 1]) expect(extractUpdate(full.subarray(0, cut)), `cut at ${cut}`).toBeNull();
		// A view into a larger buffer must not read past its own end.
		const big = new Uint8Array(full.length + 64).fill(7);
		big.set(full.subarray(0, full.length - 1));
		expect(extractUpdate(big.subarray(0, full.length - 1))).toBeNull();
	});

	it('returns null for an unknown sync step', () => {
		expect(extractUpdate(message(MESSAGE_SYNC, (e) => {
			encoding.writeVarUint(e, 9);
			encoding.writeVarUint8Array(e, new Uint8Array([0, 0]));
		}))).toBeNull();
	});
});
