import { getSchema, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/**
 * The one editor schema. The browser editor, the collaboration server, the JSON API,
 * export and tests all build on `schemaExtensions`; nothing else defines node types.
 */

/** Y.XmlFragment that holds a section's text (DESIGN.md §3). */
export const SECTION_FIELD = 'default';

export const schemaExtensions: AnyExtension[] = [
	StarterKit.configure({
		// Collaboration brings its own undo that only undoes the local user's edits.
		undoRedo: false,
		link: { openOnClick: false }
	})
];

let cached: Schema | undefined;
export function editorSchema(): Schema {
	cached ??= getSchema(schemaExtensions);
	return cached;
}

/** ProseMirror JSON → a Y.Doc update holding it in the section field. */
export function jsonToYUpdate(json: unknown): Uint8Array {
	const doc = prosemirrorJSONToYDoc(editorSchema(), json, SECTION_FIELD);
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}

/** The section text of a Y.Doc as a schema-checked ProseMirror node. */
export function yDocToNode(doc: Y.Doc): PMNode {
	return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(SECTION_FIELD), editorSchema());
}

export function yDocToJSON(doc: Y.Doc): Record<string, unknown> {
	return yDocToNode(doc).toJSON();
}
