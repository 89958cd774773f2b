import { Fragment, Mark, type Node as PMNode, type NodeType, type Schema } from '@tiptap/pm/model';
import { prosemirrorToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { BlockId } from './attrs.ts';
import { FLOWCHARTS_MAP } from './flowchart.ts';
import { MAX_CHARTS, MAX_DEPTH, MAX_EDGES, MAX_STEPS } from './limits.ts';
import { CHART_PARTS, chartProblem, chartsMapProblem, entryProblem } from './validate-charts.ts';
import { FIXED_PARTS, textViolation } from './validate-text.ts';
import { deleteSafely, isOneOf, isPlainMap, liveEntries, liveItems, type AnyType } from './y-internals.ts';

/**
 * Whatever a section Y.Doc holds — old data, or anything that got past an older guard — read and
 * rebuilt through the schema: what does not fit is dropped, never thrown, and nothing recurses
 * deeper than MAX_DEPTH. Readers get the salvaged text; `repairSection` writes it back.
 */

/** The section text as a valid ProseMirror document. */
export function salvageText(fragment: Y.XmlFragment, schema: Schema): PMNode {
	return fit(schema.topNodeType, null, children(fragment, schema, 1), schema, 0) ?? schema.topNodeType.createAndFill()!;
}

function children(el: Y.XmlFragment, schema: Schema, depth: number): PMNode[] {
	const out: PMNode[] = [];
	for (const item of liveItems(el)) {
		const c = item.content instanceof Y.ContentType ? item.content.type : null;
		if (c instanceof Y.XmlElement) {
			const node = element(c, schema, depth);
			if (node) out.push(node);
		} else if (c instanceof Y.XmlText) out.push(...textNodes(c, schema));
	}
	return out;
}

function element(el: Y.XmlElement, schema: Schema, depth: number): PMNode | null {
	if (depth > MAX_DEPTH) return null;
	const type = Object.hasOwn(schema.nodes, el.nodeName) ? schema.nodes[el.nodeName] : undefined;
	if (!type || type === schema.topNodeType || type.isText) return null;
	const attrs: Record<string, unknown> = {};
	for (const [key, value] of liveEntries(el)) {
		const spec = Object.hasOwn(type.spec.attrs ?? {}, key) ? type.spec.attrs![key] : undefined;
		if (spec && value !== null && value !== undefined && fitsAttr(spec.validate, value)) attrs[key] = value;
	}
	return fit(type, attrs, children(el, schema, depth + 1), schema, depth);
}

function fitsAttr(validate: unknown, value: unknown): boolean {
	if (typeof validate !== 'function') return true;
	try {
		validate(value);
		return true;
	} catch {
		return false;
	}
}

function textNodes(t: Y.XmlText, schema: Schema): PMNode[] {
	const out: PMNode[] = [];
	for (const op of t.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
		if (typeof op.insert !== 'string' || !op.insert) continue;
		let marks: readonly Mark[] = Mark.none;
		for (const [key, attrs] of Object.entries(op.attributes ?? {})) {
			const name = key.replace(/--[a-zA-Z0-9+/=]{8}$/, '');
			const type = Object.hasOwn(schema.marks, name) ? schema.marks[name] : undefined;
			if (!type || typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) continue;
			const known = Object.fromEntries(Object.entries(attrs).filter(([k]) => Object.hasOwn(type.spec.attrs ?? {}, k)));
			try {
				// Later marks that exclude earlier ones (code excludes the rest) win, as in the editor.
				marks = type.create(known).addToSet(marks);
			} catch {
				/* a mark with a value its schema refuses (a javascript: link) is left off */
			}
		}
		out.push(schema.text(op.insert, marks));
	}
	return out;
}

/**
 * A node of `type` from the children that fit, in order: marks the node does not allow are
 * stripped, inline content where only blocks may stand is wrapped in a paragraph, other misfits
 * are dropped, and what the content expression still requires is filled in — unless the filling
 * would reach below MAX_DEPTH (the node at `depth` is then dropped, and its parent fills instead).
 */
function fit(type: NodeType, attrs: Record<string, unknown> | null, given: PMNode[], schema: Schema, depth: number): PMNode | null {
	const made: PMNode[] = [];
	const make = (node: PMNode | null | undefined) => (node && made.push(node), node);
	let list = given.map((c) => (c.marks.length ? c.mark(c.marks.filter((m) => type.allowsMarkType(m.type))) : c));
	list = wrapInline(type, list, schema);
	const parts = FIXED_PARTS[type.name];
	if (parts) {
		// Exactly the required parts, in order: the first child that is each part, or an empty one.
		list = parts.map((p) => list.find((c) => c.type.name === p.node && c.attrs.field === p.field) ?? make(schema.nodes[p.node].createAndFill(p.field ? { field: p.field } : null))!);
	}
	let match = type.contentMatch;
	const kept: PMNode[] = [];
	for (const c of list) {
		const next = match.matchType(c.type);
		if (!next) continue;
		kept.push(c);
		match = next;
	}
	const rest = match.fillBefore(Fragment.empty, true);
	if (!rest) return null;
	rest.forEach((n) => make(n));
	if (made.some((n) => depth + levels(n) > MAX_DEPTH)) return null;
	try {
		return type.create(attrs, Fragment.from(kept).append(rest));
	} catch {
		return null;
	}
}

/** Levels of elements in a node (a paragraph is 1); only for the small nodes `fit` makes. */
function levels(node: PMNode): number {
	let deepest = 0;
	node.forEach((c) => {
		if (!c.isText) deepest = Math.max(deepest, levels(c));
	});
	return deepest + 1;
}

function wrapInline(type: NodeType, list: PMNode[], schema: Schema): PMNode[] {
	if (!list.some((c) => c.isInline) || type.contentMatch.matchType(schema.nodes.text) || !type.contentMatch.matchType(schema.nodes.paragraph)) return list;
	const out: PMNode[] = [];
	let run: PMNode[] = [];
	const flush = () => {
		if (run.length) out.push(schema.nodes.paragraph.create(null, run.map((c) => c.mark(c.marks.filter((m) => schema.nodes.paragraph.allowsMarkType(m.type))))));
		run = [];
	};
	for (const c of list) {
		if (c.isInline) run.push(c);
		else {
			flush();
			out.push(c);
		}
	}
	flush();
	return out;
}

/**
 * Brings a section Y.Doc back into the schema, as changes to that same document (so clients
 * holding it converge on the result): unknown root types are emptied, invalid text is replaced by
 * its salvaged version, invalid flowchart entries (and any beyond the limits) are deleted.
 * Deletions go through `deleteSafely`, so even thousands of nested levels come out without deep
 * recursion.
 */
export function repairSection(doc: Y.Doc, schema: Schema, field: string, origin: unknown) {
	const fragment = doc.getXmlFragment(field);
	const charts = doc.getMap<unknown>(FLOWCHARTS_MAP);
	const garbage: Y.Item[] = [];
	for (const [, type] of doc.share) if (!isOneOf(type, fragment, charts)) garbage.push(...everything(type));

	const text = textViolation(fragment, schema) ? salvageText(fragment, schema) : null;
	if (text) garbage.push(...everything(fragment));

	if (chartsMapProblem(charts)) garbage.push(...liveItems(charts), ...entryItems(charts).slice(MAX_CHARTS));
	for (const [id, chart] of liveEntries(charts).slice(0, MAX_CHARTS)) {
		if (!chartProblem(id, chart)) continue;
		if (!isPlainMap(chart) || !BlockId.safeParse(id).success) {
			garbage.push(charts._map.get(id)!);
			continue;
		}
		garbage.push(...liveItems(chart));
		for (const [key] of liveEntries(chart)) if (!(CHART_PARTS as readonly string[]).includes(key)) garbage.push(chart._map.get(key)!);
		for (const part of CHART_PARTS) {
			const entries = chart.get(part);
			if (entries === undefined) continue;
			if (!isPlainMap(entries)) {
				garbage.push(chart._map.get(part)!);
				continue;
			}
			garbage.push(...liveItems(entries), ...entryItems(entries).slice(part === 'nodes' ? MAX_STEPS : MAX_EDGES));
			for (const [key, value] of liveEntries(entries).slice(0, part === 'nodes' ? MAX_STEPS : MAX_EDGES))
				if (entryProblem(id, chart, part, key, value)) garbage.push(entries._map.get(key)!);
		}
	}

	deleteSafely(doc, garbage, origin);
	if (text) doc.transact(() => prosemirrorToYXmlFragment(text, fragment), origin);
}

/** Every live item of a type, list and keyed parts. */
function everything(type: AnyType): Y.Item[] {
	return [...liveItems(type), ...entryItems(type)];
}

function entryItems(type: AnyType): Y.Item[] {
	return [...type._map.values()].filter((item) => !item.deleted);
}
