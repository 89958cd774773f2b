import type { Mark, Node as PMNode, Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { FLOWCHARTS_MAP, FlowEdge, FlowStep } from './flowchart.ts';

/**
 * Strict check of a section Y.Doc against the editor schema. Unlike the y-prosemirror binding
 * (which silently drops what it cannot map), every element, attribute, mark and content
 * expression must fit, and every flowchart entry must parse. Returns the first problem, or null.
 */
export function findSchemaViolation(doc: Y.Doc, schema: Schema, field: string): string | null {
	try {
		const children = doc.getXmlFragment(field).toArray().flatMap((c) => toNodes(c, schema));
		schema.topNodeType.create(null, children).check();
	} catch (err) {
		return `text: ${err instanceof Error ? err.message : String(err)}`;
	}
	for (const [id, chart] of doc.getMap<unknown>(FLOWCHARTS_MAP).entries()) {
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
	}
	return null;
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
	const type = schema.nodes[y.nodeName];
	if (!type || type === schema.topNodeType) throw new Error(`unknown node ${y.nodeName}`);
	const attrs = y.getAttributes() as Record<string, unknown>;
	for (const k of Object.keys(attrs)) if (!(k in (type.spec.attrs ?? {}))) throw new Error(`unknown attribute ${y.nodeName}.${k}`);
	const node = type.createChecked(attrs, y.toArray().flatMap((c) => toNodes(c, schema)));
	return [node];
}
