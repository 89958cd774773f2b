import { Fragment, type Mark, type Node as PMNode, type Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { FLOWCHARTS_MAP, FlowEdge, FlowStep } from './flowchart.ts';

/**
 * Strict checks of a section Y.Doc against the editor schema. Unlike the y-prosemirror binding
 * (which silently drops what it cannot map), every element, attribute, mark and content
 * expression must fit, and every flowchart entry must parse. Each returns the first problem,
 * or null.
 */

/** The whole document. */
export function findSchemaViolation(doc: Y.Doc, schema: Schema, field: string): string | null {
	try {
		const children = doc.getXmlFragment(field).toArray().flatMap((c) => toNodes(c, schema));
		schema.topNodeType.create(null, children).check();
	} catch (err) {
		return `text: ${message(err)}`;
	}
	for (const id of doc.getMap<unknown>(FLOWCHARTS_MAP).keys()) {
		const problem = chartViolation(doc, id);
		if (problem) return problem;
	}
	return null;
}

/**
 * Only what one transaction touched, as collected by `ChangeTracker`: elements whose own
 * attributes or children changed are checked one level deep; elements that were inserted
 * are checked with everything inside them; changed flowcharts are checked whole.
 */
export function findViolationInChanges(doc: Y.Doc, schema: Schema, changes: Changes): string | null {
	try {
		for (const el of changes.shallow) if (attached(el)) shallowCheck(el, schema);
		for (const el of changes.deep) if (attached(el)) toNodes(el, schema);
	} catch (err) {
		return `text: ${message(err)}`;
	}
	for (const id of changes.charts) {
		const problem = chartViolation(doc, id);
		if (problem) return problem;
	}
	return null;
}

export type Changes = { shallow: Set<Y.XmlElement | Y.XmlFragment>; deep: Set<Y.XmlElement>; charts: Set<string> };

/** Collects, per transaction, what `findViolationInChanges` must look at. */
export class ChangeTracker {
	changes: Changes = { shallow: new Set(), deep: new Set(), charts: new Set() };
	private doc: Y.Doc;
	private stop: () => void;

	constructor(doc: Y.Doc, field: string) {
		this.doc = doc;
		const fragment = doc.getXmlFragment(field);
		const charts = doc.getMap<unknown>(FLOWCHARTS_MAP);
		const onText = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
			for (const e of events) {
				const target = e.target;
				if (target instanceof Y.XmlText) {
					if (target.parent instanceof Y.XmlElement || target.parent instanceof Y.XmlFragment) this.changes.shallow.add(target.parent);
				} else if (target instanceof Y.XmlElement || target instanceof Y.XmlFragment) {
					this.changes.shallow.add(target);
				}
				for (const item of e.changes.added) {
					const content = item.content as { type?: unknown };
					if (content.type instanceof Y.XmlElement) this.changes.deep.add(content.type);
					// Text added directly under an element is checked with that element (shallow).
				}
			}
		};
		const onCharts = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
			for (const e of events) {
				if (e.target === charts) for (const key of e.changes.keys.keys()) this.changes.charts.add(key);
				else if (typeof e.path[0] === 'string') this.changes.charts.add(e.path[0]);
			}
		};
		fragment.observeDeep(onText);
		charts.observeDeep(onCharts);
		this.stop = () => {
			fragment.unobserveDeep(onText);
			charts.unobserveDeep(onCharts);
		};
	}

	reset() {
		this.changes = { shallow: new Set(), deep: new Set(), charts: new Set() };
	}

	destroy() {
		this.stop();
		void this.doc;
	}
}

export function chartViolation(doc: Y.Doc, id: string): string | null {
	const chart = doc.getMap<unknown>(FLOWCHARTS_MAP).get(id);
	if (chart === undefined) return null; // deleted
	if (!(chart instanceof Y.Map)) return `flowchart ${id}: not a map`;
	for (const part of ['nodes', 'edges'] as const) {
		const entries = chart.get(part);
		if (entries === undefined) continue;
		if (!(entries instanceof Y.Map)) return `flowchart ${id}: ${part} is not a map`;
		for (const [key, value] of entries.entries()) {
			if (!(value instanceof Y.Map)) return `flowchart ${id}: ${part}.${key} is not a map`;
			const ok = (part === 'nodes' ? FlowStep : FlowEdge).safeParse(value.toJSON()).success;
			if (!ok) return `flowchart ${id}: ${part}.${key} is invalid`;
		}
	}
	// Edges must join steps of this chart. A step deleted concurrently (its key is a tombstone)
	// is accepted: readFlowchart drops such an edge; refusing it would lock that client out.
	const steps = chart.get('nodes');
	const edges = chart.get('edges');
	if (edges instanceof Y.Map)
		for (const [key, edge] of (edges as Y.Map<Y.Map<unknown>>).entries()) {
			for (const end of [edge.get('source'), edge.get('target')] as string[]) {
				const known = steps instanceof Y.Map && (steps.has(end) || (steps as unknown as { _map: Map<string, unknown> })._map.has(end));
				if (!known) return `flowchart ${id}: edges.${key} joins a step that never existed`;
			}
		}
	return null;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function attached(el: Y.XmlElement | Y.XmlFragment): boolean {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are invariant in their event type
	for (let t: Y.AbstractType<any> | null = el; t; t = t.parent) {
		if (t._item?.deleted) return false;
	}
	return true;
}

/** An element's attributes and the types, marks and order of its children (not their insides). */
function shallowCheck(el: Y.XmlElement | Y.XmlFragment, schema: Schema) {
	const type = el instanceof Y.XmlElement ? nodeType(el, schema) : schema.topNodeType;
	if (el instanceof Y.XmlElement) checkAttrs(el, type);
	const children: PMNode[] = [];
	for (const c of el.toArray()) {
		if (c instanceof Y.XmlText) children.push(...toNodes(c, schema));
		else if (c instanceof Y.XmlElement) children.push(nodeType(c, schema).create(c.getAttributes()));
		else throw new Error('unexpected XML hook');
	}
	if (!type.validContent(Fragment.from(children))) throw new Error(`Invalid content for node ${type.name}`);
}

function nodeType(el: Y.XmlElement, schema: Schema) {
	const type = schema.nodes[el.nodeName];
	if (!type || type === schema.topNodeType) throw new Error(`unknown node ${el.nodeName}`);
	return type;
}

function checkAttrs(el: Y.XmlElement, type: ReturnType<typeof nodeType>) {
	for (const k of Object.keys(el.getAttributes())) if (!(k in (type.spec.attrs ?? {}))) throw new Error(`unknown attribute ${el.nodeName}.${k}`);
}

function toNodes(y: Y.XmlElement | Y.XmlText | Y.XmlHook, schema: Schema): PMNode[] {
	if (y instanceof Y.XmlText) {
		const out: PMNode[] = [];
		for (const op of y.toDelta() as { insert: unknown; attributes?: Record<string, Record<string, unknown>> }[]) {
			if (typeof op.insert !== 'string') throw new Error('embedded object in text');
			const marks: Mark[] = Object.entries(op.attributes ?? {}).map(([name, attrs]) => {
				const type = schema.marks[name.replace(/--[a-zA-Z0-9+/=]{8}$/, '')];
				if (!type) throw new Error(`unknown mark ${name}`);
				return type.create(attrs);
			});
			if (op.insert.length) out.push(schema.text(op.insert, marks));
		}
		return out;
	}
	if (!(y instanceof Y.XmlElement)) throw new Error('unexpected XML hook');
	const type = nodeType(y, schema);
	checkAttrs(y, type);
	return [type.createChecked(y.getAttributes(), y.toArray().flatMap((c) => toNodes(c, schema)))];
}
