import * as Y from 'yjs';
import { SECTION_FIELD } from '../../collab/schema/index.ts';

/**
 * Reaching into a section's Y.Doc the way the editor's binding lays it out
 * (one Y.XmlElement per node, Y.XmlText for text), to act as a real client would.
 */
export function findAll(root: Y.XmlFragment | Y.XmlElement, name: string): Y.XmlElement[] {
	const out: Y.XmlElement[] = [];
	for (const c of root.toArray()) {
		if (!(c instanceof Y.XmlElement)) continue;
		if (c.nodeName === name) out.push(c);
		out.push(...findAll(c, name));
	}
	return out;
}

export function riskRows(doc: Y.Doc): Y.XmlElement[] {
	return findAll(doc.getXmlFragment(SECTION_FIELD), 'riskRow');
}

export function riskTable(doc: Y.Doc): Y.XmlElement {
	return findAll(doc.getXmlFragment(SECTION_FIELD), 'riskTable')[0];
}

export function cell(row: Y.XmlElement, field: string): Y.XmlElement {
	const c = row.toArray().find((x) => x instanceof Y.XmlElement && x.getAttribute('field') === field);
	if (!(c instanceof Y.XmlElement)) throw new Error(`no cell ${field}`);
	return c;
}

/** The cell's text node, created when the cell is empty (as typing into it would). */
export function cellText(row: Y.XmlElement, field: string): Y.XmlText {
	const c = cell(row, field);
	const t = c.toArray().find((x) => x instanceof Y.XmlText);
	if (t instanceof Y.XmlText) return t;
	const fresh = new Y.XmlText();
	c.insert(0, [fresh]);
	return fresh;
}

export function textOfCell(row: Y.XmlElement, field: string): string {
	return cell(row, field)
		.toArray()
		.map((x) => (x instanceof Y.XmlText ? x.toString() : ''))
		.join('');
}

/**
 * A new, empty risk row as the editor would insert it. Built without reading it (`push` reads
 * the length): a type outside a document cannot be read, and Yjs warns when it is.
 */
export function newRiskRow(id: string): Y.XmlElement {
	const row = new Y.XmlElement('riskRow');
	row.setAttribute('id', id);
	row.setAttribute('category', '权力行使');
	const cells = ['point', 'form', 'measure', 'post', 'leader', 'plan'].map((f) => {
		const c = new Y.XmlElement('riskCell');
		c.setAttribute('field', f);
		return c;
	});
	row.insert(0, cells);
	return row;
}
