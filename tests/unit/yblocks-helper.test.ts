import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { cellText, newRiskRow, textOfCell } from '../helpers/yblocks.ts';

/**
 * Yjs warns "Invalid access: Add Yjs type to a document before reading data" on stderr when a
 * type is read before it is part of a document; the helper used to trigger it on every run.
 */
describe('test helper yblocks', () => {
	afterEach(() => vi.restoreAllMocks());

	it('builds a risk row without reading it before it is in a document', () => {
		const warn = vi.spyOn(console, 'warn');
		const doc = new Y.Doc();
		const table = doc.getXmlFragment('t');
		table.insert(0, [newRiskRow('r1')]);
		const row = table.get(0) as Y.XmlElement;
		expect(warn.mock.calls.map((c) => c.join(' '))).toEqual([]);
		expect(row.getAttribute('id')).toBe('r1');
		expect(row.toArray().map((c) => (c as Y.XmlElement).getAttribute('field'))).toEqual([
			'point',
			'form',
			'measure',
			'post',
			'leader',
			'plan'
		]);
		cellText(row, 'measure').insert(0, '双人复核');
		expect(textOfCell(row, 'measure')).toBe('双人复核');
	});
});
