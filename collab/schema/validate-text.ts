import { Fragment, Mark, type MarkType, type Node as PMNode, type NodeType, type Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { MAX_DEPTH } from './limits.ts';
import { CARD_PARTS } from './power-item.ts';
import { ROW_PARTS } from './risk-table.ts';
import { contentKind, hasLiveEntries, liveEntries, liveItems } from './y-internals.ts';

/**
 * Rules for the section text (the XML fragment), at two grains that must agree:
 * `textViolation` builds the whole ProseMirror document and lets ProseMirror check it;
 * `checkElement` checks one element as it stands (its attributes, its children's types and
 * order, the text directly inside it and that text's marks), which is all that an edit of that
 * element can break. Both throw RangeError with the reason.
 */

/** Children whose `field` attribute, in order, a node requires (cells of a row, fields of the card). */
export type Part = { node: string; field?: string };
export const FIXED_PARTS: Record<string, readonly Part[]> = { riskRow: ROW_PARTS, powerItem: CARD_PARTS };

export function nodeTypeOf(el: Y.XmlElement, schema: Schema): NodeType {
	const type = Object.hasOwn(schema.nodes, el.nodeName) ? schema.nodes[el.nodeName] : undefined;
	if (!type || type === schema.topNodeType || type.isText) throw new RangeError(`unknown node ${el.nodeName.slice(0, 40)}`);
	return type;
}

/** The children of an element or the fragment: elements and text, nothing else. */
export function childrenOf(el: Y.XmlFragment): (Y.XmlElement | Y.XmlText)[] {
	return liveItems(el).map((item) => {
		const c = item.content;
		if (c instanceof Y.ContentType && (c.type instanceof Y.XmlElement || c.type instanceof Y.XmlText)) return c.type;
		throw new RangeError(`unexpected ${contentKind(item)} in ${nameOf(el)}`);
	});
}

const nameOf = (el: Y.XmlFragment) => (el instanceof Y.XmlElement ? el.nodeName.slice(0, 40) : 'the document');

/** An element's attributes as stored (every key, even those `getAttributes` drops), all known to its type. */
export function attributesOf(el: Y.XmlElement, type: NodeType): Record<string, unknown> {
	const attrs: Record<string, unknown> = {};
	for (const [key, value] of liveEntries(el)) {
		if (!Object.hasOwn(type.spec.attrs ?? {}, key)) throw new RangeError(`unknown attribute ${type.name}.${key.slice(0, 40)}`);
		attrs[key] = value;
	}
	return attrs;
}

const overlapping = (type: MarkType) => !type.excludes(type);

/** The text nodes of a Y.XmlText: characters with marks, nothing embedded, no attributes on the text itself. */
export function textNodesOf(t: Y.XmlText, schema: Schema): PMNode[] {
	for (const item of liveItems(t))
		if (!(item.content instanceof Y.ContentString || item.content instanceof Y.ContentFormat)) throw new RangeError(`unexpected ${contentKind(item)} in text`);
	if (hasLiveEntries(t)) throw new RangeError('attributes on a text node');
	const out: PMNode[] = [];
	for (const op of t.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
		if (typeof op.insert !== 'string') throw new RangeError('embedded object in text');
		if (op.insert.length) out.push(schema.text(op.insert, marksOf(op.attributes ?? {}, schema)));
	}
	return out;
}

/** Text formats as y-prosemirror writes them: mark name (with a hash for marks that may overlap) → attributes. */
function marksOf(formats: Record<string, unknown>, schema: Schema): readonly Mark[] {
	const marks: Mark[] = [];
	for (const [key, attrs] of Object.entries(formats)) {
		const [, name, hash] = /^(.*?)(--[a-zA-Z0-9+/=]{8})?$/.exec(key)!;
		const type = Object.hasOwn(schema.marks, name) ? schema.marks[name] : undefined;
		if (!type || (hash && !overlapping(type))) throw new RangeError(`unknown mark ${key.slice(0, 40)}`);
		// ProseMirror's own attribute objects (in a document the server changed itself) have no prototype.
		const proto = typeof attrs === 'object' && attrs !== null ? Object.getPrototypeOf(attrs) : undefined;
		if (proto !== Object.prototype && proto !== null) throw new RangeError(`mark ${name} without attributes`);
		const values = attrs as Record<string, unknown>;
		for (const k of Object.keys(values)) if (!Object.hasOwn(type.spec.attrs ?? {}, k)) throw new RangeError(`unknown attribute ${name}.${k.slice(0, 40)}`);
		marks.push(type.create(values));
	}
	return Mark.setFrom(marks);
}

function checkParts(type: NodeType, children: readonly PMNode[]) {
	const parts = FIXED_PARTS[type.name];
	if (!parts) return;
	const fits = children.length === parts.length && parts.every((p, i) => children[i].type.name === p.node && children[i].attrs.field === p.field);
	if (!fits) throw new RangeError(`${type.name} must hold ${parts.map((p) => p.field ?? p.node).join(', ')}`);
}

/** The whole section text, checked by ProseMirror. Recursion stops at MAX_DEPTH. */
export function textViolation(fragment: Y.XmlFragment, schema: Schema): string | null {
	try {
		if (hasLiveEntries(fragment)) throw new RangeError('attributes on the document');
		const doc = schema.topNodeType.create(null, childNodes(fragment, schema, 1));
		doc.check();
		return null;
	} catch (err) {
		return `text: ${message(err)}`;
	}
}

function childNodes(el: Y.XmlFragment, schema: Schema, depth: number): PMNode[] {
	return childrenOf(el).flatMap((c) => (c instanceof Y.XmlText ? textNodesOf(c, schema) : [elementNode(c, schema, depth)]));
}

function elementNode(el: Y.XmlElement, schema: Schema, depth: number): PMNode {
	if (depth > MAX_DEPTH) throw new RangeError(`nested deeper than ${MAX_DEPTH} levels`);
	const type = nodeTypeOf(el, schema);
	const attrs = attributesOf(el, type);
	const children = childNodes(el, schema, depth + 1);
	checkParts(type, children);
	return type.create(attrs, children);
}

const standIns = new WeakMap<NodeType, PMNode>();
/** A node of the child's type, for matching the parent's content expression (which only looks at types). */
function standIn(el: Y.XmlElement, schema: Schema, exact: boolean): PMNode {
	const type = nodeTypeOf(el, schema);
	if (exact) return type.create(attributesOf(el, type));
	let node = standIns.get(type);
	if (!node) standIns.set(type, (node = type.create()));
	return node;
}

/**
 * One element (or the fragment) as it stands: what `textViolation` checks of it, with its
 * element children taken by type only (their own insides are checked where they changed).
 * `depth`, when given, is the element's nesting level, checked against MAX_DEPTH.
 */
export function checkElement(el: Y.XmlFragment, schema: Schema, depth?: number) {
	const isElement = el instanceof Y.XmlElement;
	if (depth !== undefined && depth > MAX_DEPTH) throw new RangeError(`nested deeper than ${MAX_DEPTH} levels`);
	const type = isElement ? nodeTypeOf(el, schema) : schema.topNodeType;
	const attrs = isElement ? attributesOf(el, type) : null;
	if (!isElement && hasLiveEntries(el)) throw new RangeError('attributes on the document');
	const exact = !!FIXED_PARTS[type.name];
	const children = childrenOf(el).flatMap((c) => (c instanceof Y.XmlText ? textNodesOf(c, schema) : [standIn(c, schema, exact)]));
	checkParts(type, children);
	const node = type.create(attrs, Fragment.from(children));
	if (!type.validContent(node.content)) throw new RangeError(`Invalid content for node ${type.name}`);
	for (const [name, spec] of Object.entries(type.spec.attrs ?? {})) if (typeof spec.validate === 'function') spec.validate(node.attrs[name]);
	for (const c of children) if (c.isText) c.check();
}

/** An element and everything inside it, for content a change inserted. */
export function checkSubtree(el: Y.XmlElement, schema: Schema, depth: number) {
	checkElement(el, schema, depth);
	for (const c of childrenOf(el)) if (c instanceof Y.XmlElement) checkSubtree(c, schema, depth + 1);
}

/** Nesting level of an element in the fragment (a top-level block is 1); walks at most MAX_DEPTH + 1 levels. */
export function depthOf(el: Y.XmlElement): number {
	let depth = 0;
	for (let t: Y.XmlFragment | null = el; t instanceof Y.XmlElement && depth <= MAX_DEPTH; t = t.parent as Y.XmlFragment | null) depth++;
	return depth;
}

export const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
