import type { Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { FLOWCHARTS_MAP } from './flowchart.ts';
import { MAX_DEPTH, MAX_DOC_BYTES, MAX_UPDATE_BYTES } from './limits.ts';
import { CHART_PARTS, chartProblem, chartsMapProblem, entryProblem, partProblem, type ChartPart } from './validate-charts.ts';
import { checkElement, checkSubtree, depthOf, FIXED_PARTS, message, textViolation } from './validate-text.ts';
import { hasLiveEntries, hasLiveList, isOneOf, isPlainMap, rootOf, type AnyType } from './y-internals.ts';

/**
 * Strict checks of a section Y.Doc against the schema, whole (`findSchemaViolation`: loading,
 * repair) or per update (`IncrementalCheck`: the collaboration server). Unlike the y-prosemirror
 * binding, which silently drops what it cannot map, every element, attribute, mark, content
 * expression, flowchart field and root type must fit. Each returns the first problem, or null.
 */

/** Only these root types may hold anything. */
function unknownRootProblem(name: string, type: AnyType): string | null {
	return hasLiveList(type) || hasLiveEntries(type) ? `unknown root type ${name.slice(0, 40)}` : null;
}

/** The whole document. */
export function findSchemaViolation(doc: Y.Doc, schema: Schema, field: string): string | null {
	const fragment = doc.getXmlFragment(field);
	const charts = doc.getMap<unknown>(FLOWCHARTS_MAP);
	for (const [name, type] of doc.share) {
		if (isOneOf(type, fragment, charts)) continue;
		const problem = unknownRootProblem(name, type);
		if (problem) return problem;
	}
	return textViolation(fragment, schema) ?? chartsViolation(charts);
}

export function chartsViolation(charts: Y.Map<unknown>): string | null {
	const problem = chartsMapProblem(charts);
	if (problem) return problem;
	for (const [id, chart] of charts.entries()) {
		const p = chartProblem(id, chart);
		if (p) return p;
	}
	return null;
}

/**
 * What transactions touched, from Yjs' own record of them (`transaction.changed`: every shared
 * type whose content or keys changed, however the update was crafted). Types created in the
 * transaction are not in it; they are found as new children of a type that is.
 */
class Touched {
	/** Elements (or the fragment) to check as they stand. */
	elements = new Set<Y.XmlFragment>();
	/** Elements inserted, to check with everything inside. */
	inserted = new Set<Y.XmlElement>();
	/** Whole charts, parts (`id\0nodes`) and entries (`id\0nodes\0key`) of the flowcharts map. */
	charts = new Set<string>();
	parts = new Set<string>();
	entries = new Set<string>();
	chartsMap = false;
	/** Problems seen while collecting (a change where nothing may change). */
	problems: string[] = [];
}

export class IncrementalCheck {
	private doc: Y.Doc;
	private schema: Schema;
	private fragment: Y.XmlFragment;
	private charts: Y.Map<unknown>;
	private touched = new Touched();
	/** Encoded size of the document, over-estimated by the updates since it was last measured. */
	private size: number;
	private stop: () => void;

	constructor(doc: Y.Doc, schema: Schema, field: string) {
		this.doc = doc;
		this.schema = schema;
		this.fragment = doc.getXmlFragment(field);
		this.charts = doc.getMap<unknown>(FLOWCHARTS_MAP);
		this.size = Y.encodeStateAsUpdate(doc).length;
		const collect = (tr: Y.Transaction) => this.collect(tr);
		const grow = (update: Uint8Array) => (this.size += update.length);
		doc.on('afterTransaction', collect);
		doc.on('update', grow);
		this.stop = () => {
			doc.off('afterTransaction', collect);
			doc.off('update', grow);
		};
	}

	/** Applies `update` and returns the first problem it introduced, or null. */
	apply(update: Uint8Array, origin?: unknown): string | null {
		if (update.length > MAX_UPDATE_BYTES) return `update of ${update.length} bytes (at most ${MAX_UPDATE_BYTES})`;
		this.touched = new Touched();
		Y.applyUpdate(this.doc, update, origin);
		// Parts that wait for changes the server has not got yet (an honest client sends them when a
		// read-only connection turns writable: its edits made while locked were never applied) stay
		// pending, outside the document; they are checked in the transaction that integrates them,
		// when the missing part arrives. Refusing them would lock that client out.
		return this.check() ?? this.sizeProblem(update);
	}

	destroy() {
		this.stop();
	}

	private sizeProblem(update: Uint8Array): string | null {
		if (this.size <= MAX_DOC_BYTES) return null;
		this.size = Y.encodeStateAsUpdate(this.doc).length;
		if (this.size <= MAX_DOC_BYTES) return null;
		const { from, to } = Y.parseUpdateMeta(update);
		const inserts = [...to].some(([client, clock]) => clock > (from.get(client) ?? 0));
		return inserts ? `document of ${this.size} bytes (at most ${MAX_DOC_BYTES})` : null;
	}

	private collect(tr: Y.Transaction) {
		const t = this.touched;
		for (const [type, keys] of tr.changed) {
			const where = rootOf(type, MAX_DEPTH + 1);
			if (where === 'deleted') continue;
			if (where === 'deep') t.problems.push('a change nested too deep');
			else if (where.root === this.fragment) this.textChanged(type, keys, tr);
			else if (where.root === this.charts) this.chartChanged(where.path, keys);
			else if (where.path.length === 0) {
				const name = [...this.doc.share].find(([, v]) => v === type)?.[0] ?? '?';
				const problem = unknownRootProblem(name, type);
				if (problem) t.problems.push(problem);
			} else t.problems.push('a change inside an unknown root type');
		}
	}

	private textChanged(type: AnyType, keys: Set<string | null>, tr: Y.Transaction) {
		const t = this.touched;
		if (type instanceof Y.XmlText) {
			if (type.parent instanceof Y.XmlFragment) t.elements.add(type.parent);
			else t.problems.push('text outside an element');
			return;
		}
		if (!(type instanceof Y.XmlFragment)) {
			t.problems.push(`unexpected ${type.constructor.name} in the text`);
			return;
		}
		t.elements.add(type);
		// A parent may require its children's attributes in a fixed order (cells of a risk row).
		const parent = type.parent;
		if (parent instanceof Y.XmlElement && FIXED_PARTS[parent.nodeName] && [...keys].some((k) => k !== null)) t.elements.add(parent);
		if (!keys.has(null)) return;
		for (let item = type._start; item !== null; item = item.right) {
			const inserted = item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
			if (inserted && !item.deleted && item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlElement) t.inserted.add(item.content.type);
		}
	}

	private chartChanged(path: (string | null)[], keys: Set<string | null>) {
		const t = this.touched;
		if (path.includes(null)) return void t.problems.push('a change inside list content of a flowchart');
		const [id, part, entry] = path as [string, ChartPart, string];
		if (path.length === 0) {
			t.chartsMap = true;
			for (const k of keys) if (k !== null) t.charts.add(k);
		} else if (path.length === 1) t.charts.add(id);
		else if (path.length === 2) {
			if (keys.has(null)) t.charts.add(id);
			t.parts.add(`${id}\0${part}`);
			for (const k of keys) if (k !== null) t.entries.add(`${id}\0${part}\0${k}`);
		} else if (path.length <= 4) t.entries.add(`${id}\0${part}\0${entry}`);
		else t.problems.push('a change nested too deep in a flowchart');
	}

	private check(): string | null {
		const t = this.touched;
		if (t.problems.length) return t.problems[0];
		try {
			for (const el of t.elements) if (attached(el)) checkElement(el, this.schema);
			for (const el of t.inserted) if (attached(el)) checkSubtree(el, this.schema, depthOf(el));
		} catch (err) {
			return `text: ${message(err)}`;
		}
		if (t.chartsMap) {
			const problem = chartsMapProblem(this.charts);
			if (problem) return problem;
		}
		for (const id of t.charts) {
			if (!this.charts.has(id)) continue;
			const problem = chartProblem(id, this.charts.get(id));
			if (problem) return problem;
		}
		for (const key of t.parts) {
			const [id, part] = key.split('\0') as [string, ChartPart];
			const chart = this.charts.get(id);
			if (t.charts.has(id) || !isPlainMap(chart) || !CHART_PARTS.includes(part)) continue;
			const problem = partProblem(id, chart, part);
			if (problem) return problem;
		}
		for (const key of t.entries) {
			const [id, part, entry] = key.split('\0') as [string, ChartPart, string];
			const chart = this.charts.get(id);
			if (t.charts.has(id) || !isPlainMap(chart)) continue;
			const entries = chart.get(part);
			if (!isPlainMap(entries) || !entries.has(entry)) continue;
			const problem = entryProblem(id, chart, part, entry, entries.get(entry));
			if (problem) return problem;
		}
		return null;
	}
}

function attached(el: Y.XmlFragment): boolean {
	for (let t: AnyType | null = el; t; t = t.parent) if (t._item?.deleted) return false;
	return true;
}
