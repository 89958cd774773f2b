import * as Y from 'yjs';
import { sectionToYUpdate, SECTION_FIELD } from '../../collab/schema/index.ts';
import { buildSection, DEMO_UNITS } from '../../server/seed/demo-content.ts';

/** The demo section with its risk table grown to `rows` rows (copies of its own rows). */
export function bigSection(rows: number): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, sectionToYUpdate(buildSection(DEMO_UNITS[2].sections[0])));
	const table = riskTableOf(doc);
	const model = table.toArray() as Y.XmlElement[];
	while (table.length < rows) table.push(model.slice(0, rows - table.length).map((r) => r.clone()));
	return doc;
}

export function riskTableOf(doc: Y.Doc): Y.XmlElement {
	const table = doc.getXmlFragment(SECTION_FIELD).toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'riskTable');
	if (!table) throw new Error('no risk table');
	return table as Y.XmlElement;
}

/** `n` one-character updates typed by another client into a risk cell of `doc` (a typing history). */
export function keystrokesInto(doc: Y.Doc, n: number): Uint8Array[] {
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
	const cell = (riskTableOf(client).get(0) as Y.XmlElement).get(2) as Y.XmlElement;
	const text = cell.get(0) as Y.XmlText;
	const out: Uint8Array[] = [];
	client.on('update', (u: Uint8Array) => out.push(u));
	for (let i = 0; i < n; i++) text.insert(i, '字');
	client.destroy();
	return out;
}
