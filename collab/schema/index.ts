import { getSchema, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { powerItemExtensions } from './power-item.ts';
import { riskTableExtensions } from './risk-table.ts';
import { Flowchart, FLOWCHARTS_MAP, readAllFlowcharts, writeFlowchart, type FlowchartData } from './flowchart.ts';
import { ChangeTracker, findSchemaViolation, findViolationInChanges } from './validate.ts';

/**
 * The one editor schema. The browser editor, the collaboration server, the JSON API,
 * export and tests all build on `schemaExtensions`; nothing else defines node types.
 * Browser-only behaviour (node views, key bindings) is added with `.extend()` in src/lib/editor.
 */

/** Y.XmlFragment that holds a section's text (DESIGN.md §3). */
export const SECTION_FIELD = 'default';

export const schemaExtensions: AnyExtension[] = [
	StarterKit.configure({
		// Collaboration brings its own undo that only undoes the local user's edits.
		undoRedo: false,
		link: { openOnClick: false }
	}),
	...powerItemExtensions,
	...riskTableExtensions,
	Flowchart
];

let cached: Schema | undefined;
export function editorSchema(): Schema {
	cached ??= getSchema(schemaExtensions);
	return cached;
}

export type SectionContent = { content: unknown; flowcharts?: Record<string, FlowchartData> };

/** Section content (ProseMirror JSON + flowchart data) → a Y.Doc update. Throws on invalid content. */
export function sectionToYUpdate({ content, flowcharts = {} }: SectionContent): Uint8Array {
	const node = editorSchema().nodeFromJSON(content);
	node.check();
	const doc = new Y.Doc();
	prosemirrorJSONToYXmlFragment(editorSchema(), node.toJSON(), doc.getXmlFragment(SECTION_FIELD));
	for (const [id, data] of Object.entries(flowcharts)) writeFlowchart(doc, id, data);
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

/** Everything in a section doc, in plain JSON: the text and every flowchart. */
export function readSection(doc: Y.Doc): { content: Record<string, unknown>; flowcharts: Record<string, FlowchartData> } {
	return { content: yDocToJSON(doc), flowcharts: readAllFlowcharts(doc) };
}

/** The first way `doc` breaks the schema, or null when it fits. */
export function schemaViolation(doc: Y.Doc): string | null {
	return findSchemaViolation(doc, editorSchema(), SECTION_FIELD);
}

/**
 * Checks updates against the schema looking only at what each one touches: the cost follows
 * the size of the change, not of the document.
 */
export class IncrementalSchemaCheck {
	private tracker: ChangeTracker;
	private doc: Y.Doc;
	constructor(doc: Y.Doc) {
		this.doc = doc;
		this.tracker = new ChangeTracker(doc, SECTION_FIELD);
	}
	/** Applies `update` to the doc and returns the first problem it introduced, or null. */
	apply(update: Uint8Array, origin?: unknown): string | null {
		this.tracker.reset();
		Y.applyUpdate(this.doc, update, origin);
		return findViolationInChanges(this.doc, editorSchema(), this.tracker.changes);
	}
	destroy() {
		this.tracker.destroy();
	}
}

/**
 * Replaces a live document's content (text and flowcharts) in one transaction, as a normal
 * Yjs change that every open editor receives — used when a revision restores an edition.
 */
export function replaceSectionContent(doc: Y.Doc, { content, flowcharts = {} }: SectionContent) {
	const node = editorSchema().nodeFromJSON(content);
	node.check();
	doc.transact(() => {
		const fragment = doc.getXmlFragment(SECTION_FIELD);
		fragment.delete(0, fragment.length);
		const charts = doc.getMap(FLOWCHARTS_MAP);
		for (const key of [...charts.keys()]) charts.delete(key);
		prosemirrorJSONToYXmlFragment(editorSchema(), node.toJSON(), fragment);
		for (const [id, data] of Object.entries(flowcharts)) writeFlowchart(doc, id, data);
	});
}
