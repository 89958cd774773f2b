import * as Y from 'yjs';

/** A client document whose every change is recorded as the update a client would send. */
export function recordingDoc() {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const fragment = doc.getXmlFragment('default');
	const paragraph = (text: string) => {
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText(text)]);
		fragment.insert(fragment.length, [p]);
	};
	/** The text of the `i`-th paragraph. */
	const text = (i: number) => (fragment.get(i) as Y.XmlElement).get(0) as Y.XmlText;
	return { doc, updates, fragment, paragraph, text };
}
