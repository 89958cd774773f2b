import { getSchema, type AnyExtension } from '@tiptap/core';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { powerItemExtensions } from './power-item.ts';
import { riskTableExtensions } from './risk-table.ts';
import { textExtensions } from './text-blocks.ts';
import { Flowchart, FLOWCHARTS_MAP, readAllFlowcharts, writeFlowchart, type FlowchartData } from './flowchart.ts';
import { findSchemaViolation, IncrementalCheck } from './validate.ts';
import { repairSection, salvageText } from './salvage.ts';

/**
 * The one editor schema. The browser editor, the collaboration server, the JSON API,
 * export and tests all build on `schemaExtensions`; nothing else defines node types.
 * Browser-only behaviour (node views, key bindings) is added with `.extend()` in src/lib/editor.
 */

/** Y.XmlFragment that holds a section's text (DESIGN.md §3). */
export const SECTION_FIELD = 'default';

export const schemaExtensions: AnyExtension[] = [...textExtensions, ...powerItemExtensions, ...riskTableExtensions, Flowchart];

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
	// What the server makes must pass the same guard as what clients send.
	const problem = schemaViolation(doc);
	if (problem) throw new RangeError(problem);
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}

/** The section text of a Y.Doc as a valid ProseMirror node; what does not fit the schema is left out. */
export function yDocToNode(doc: Y.Doc): PMNode {
	return salvageText(doc.getXmlFragment(SECTION_FIELD), editorSchema());
}

/**
 * Everything in a section doc, in plain JSON: the text and every flowchart. Never throws, however
 * damaged the document: readers get what fits the schema.
 */
export function readSection(doc: Y.Doc): { content: Record<string, unknown>; flowcharts: Record<string, FlowchartData> } {
	return { content: yDocToNode(doc).toJSON(), flowcharts: readAllFlowcharts(doc) };
}

/** The first way `doc` breaks the schema, or null when it fits. */
export function schemaViolation(doc: Y.Doc): string | null {
	return findSchemaViolation(doc, editorSchema(), SECTION_FIELD);
}

/**
 * Brings a document that breaks the schema back into it, as changes made with `origin` (see
 * `repairSection`). Returns the problem it found (null: nothing to do) and what is left after.
 */
export function repairSchemaViolations(doc: Y.Doc, origin: unknown): { found: string; left: string | null } | null {
	const found = schemaViolation(doc);
	if (!found) return null;
	repairSection(doc, editorSchema(), SECTION_FIELD, origin);
	return { found, left: schemaViolation(doc) };
}

/**
 * Checks updates against the schema looking only at what each one touches: the cost follows
 * the size of the change, not of the document. The doc must fit the schema to begin with.
 */
export class IncrementalSchemaCheck extends IncrementalCheck {
	constructor(doc: Y.Doc) {
		super(doc, editorSchema(), SECTION_FIELD);
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
