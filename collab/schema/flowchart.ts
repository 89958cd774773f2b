import { mergeAttributes, Node } from '@tiptap/core';
import * as Y from 'yjs';
import { z } from 'zod';
import { BlockId, checkedAttr } from './attrs.ts';
import { MAX_CHARTS, MAX_EDGES, MAX_STEPS, MERGED_TEXT_FACTOR } from './limits.ts';
import { flatFields, isPlainMap, liveEntries } from './y-internals.ts';

/**
 * 权力运行流程图 — an atom node in the text; its data lives in the same Y.Doc under
 * `getMap('flowcharts').get(id)`: a Y.Map with `nodes` (step id → Y.Map of fields) and `edges`
 * (edge id → Y.Map). Fields are separate Y.Map keys, so one person renaming a step while another
 * drags it keeps both changes. The text fields of a step (STEP_TEXT_FIELDS) are Y.Text, so two
 * people typing in the same name merge character by character; documents written before that
 * hold plain strings there, which every reader accepts and the editor turns into Y.Text on the
 * first edit. Readers always see plain strings.
 */
export const FLOWCHARTS_MAP = 'flowcharts';

export const STEP_KINDS = ['start', 'step', 'decision', 'end'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Step fields people type into, with their length limits (the zod schema below uses the same). */
export const STEP_TEXT_FIELDS = { label: 200, post: 200, duty: 500 } as const;
export type StepTextField = keyof typeof STEP_TEXT_FIELDS;
export const isStepTextField = (key: string): key is StepTextField => Object.hasOwn(STEP_TEXT_FIELDS, key);

/** Canvas coordinates: far beyond any chart, short of numbers that break layout and drawing. */
const Coordinate = z.number().finite().min(-1_000_000).max(1_000_000);

// Strict: a step or edge holds these keys and nothing else.
export const FlowStep = z.strictObject({
	label: z.string().max(STEP_TEXT_FIELDS.label),
	x: Coordinate,
	y: Coordinate,
	kind: z.enum(STEP_KINDS),
	post: z.string().max(STEP_TEXT_FIELDS.post).default(''),
	limitDays: z.number().int().min(0).max(3650).nullable().default(null),
	risk: z.boolean().default(false),
	/** 关节点: a control point with a supervision duty. */
	control: z.boolean().default(false),
	duty: z.string().max(STEP_TEXT_FIELDS.duty).default('')
});
export type FlowStep = z.infer<typeof FlowStep>;

export const FlowEdge = z.strictObject({
	source: BlockId,
	target: BlockId,
	label: z.string().max(200).default('')
});
export type FlowEdge = z.infer<typeof FlowEdge>;

export const FlowchartData = z.object({
	nodes: z.record(z.string(), FlowStep),
	edges: z.record(z.string(), FlowEdge)
});
export type FlowchartData = z.infer<typeof FlowchartData>;

export const Flowchart = Node.create({
	name: 'flowchart',
	group: 'block',
	atom: true,
	selectable: true,
	draggable: false,
	addAttributes() {
		return {
			id: checkedAttr('flowchart', 'id', BlockId.nullable(), {
				default: null,
				parseHTML: (el) => el.getAttribute('data-id'),
				renderHTML: (attrs) => ({ 'data-id': attrs.id })
			})
		};
	},
	parseHTML() {
		return [{ tag: 'figure[data-type="flowchart"]' }];
	},
	renderHTML({ HTMLAttributes }) {
		return ['figure', mergeAttributes(HTMLAttributes, { 'data-type': 'flowchart', class: 'flowchart' })];
	}
});

export function newId(prefix: string): string {
	return prefix + Math.random().toString(36).slice(2, 10);
}

function toYMap(obj: Record<string, unknown>): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	for (const [k, v] of Object.entries(obj)) if (v !== undefined) m.set(k, v);
	return m;
}

/** A step as it is stored: its text fields as Y.Text. */
export function stepToYMap(step: FlowStep): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	for (const [k, v] of Object.entries(step)) if (v !== undefined) m.set(k, isStepTextField(k) && typeof v === 'string' ? new Y.Text(v) : v);
	return m;
}

/** Writes a flowchart's data into the doc (one transaction). Replaces an existing one with that id. */
export function writeFlowchart(doc: Y.Doc, id: string, data: FlowchartData) {
	doc.transact(() => {
		const chart = new Y.Map<unknown>();
		const nodes = new Y.Map<Y.Map<unknown>>();
		const edges = new Y.Map<Y.Map<unknown>>();
		doc.getMap(FLOWCHARTS_MAP).set(id, chart);
		chart.set('nodes', nodes);
		chart.set('edges', edges);
		for (const [sid, step] of Object.entries(data.nodes)) nodes.set(sid, stepToYMap(step));
		for (const [eid, edge] of Object.entries(data.edges)) edges.set(eid, toYMap(edge));
	});
}

/** The Y.Map of one flowchart, creating an empty one when missing. */
export function flowchartMap(doc: Y.Doc, id: string): Y.Map<unknown> {
	const charts = doc.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP);
	let chart = charts.get(id);
	if (!chart) {
		doc.transact(() => {
			chart = new Y.Map<unknown>();
			charts.set(id, chart);
			chart.set('nodes', new Y.Map());
			chart.set('edges', new Y.Map());
		});
	}
	return chart!;
}

/**
 * One step's plain data (text fields as strings, from Y.Text or plain), or null when it does not
 * validate. A text field longer than its limit (two people's additions, each within the limit,
 * merged) is read clipped rather than losing the whole step; one longer than MERGED_TEXT_FACTOR
 * times the limit is no merge of honest edits, and the step does not validate.
 */
export function readStep(m: unknown): FlowStep | null {
	const raw = entryFields(m);
	if (!raw) return null;
	for (const [field, max] of Object.entries(STEP_TEXT_FIELDS)) {
		const v = raw[field];
		if (typeof v !== 'string' || v.length <= max) continue;
		if (v.length > max * MERGED_TEXT_FACTOR) return null;
		raw[field] = v.slice(0, max);
	}
	const parsed = FlowStep.safeParse(raw);
	return parsed.success ? parsed.data : null;
}

export function readEdge(m: unknown): FlowEdge | null {
	const parsed = FlowEdge.safeParse(entryFields(m));
	return parsed.success ? parsed.data : null;
}

/** A step's or edge's fields as plain values, or null when it is not a flat map (nothing nested is walked). */
export function entryFields(value: unknown): Record<string, unknown> | null {
	return isPlainMap(value) ? flatFields(value) : null;
}

/**
 * Plain data of one flowchart; entries that fail validation (and any beyond the limits) are
 * dropped, never thrown.
 */
export function readFlowchart(chart: unknown): FlowchartData {
	const out: FlowchartData = { nodes: {}, edges: {} };
	if (!isPlainMap(chart)) return out;
	const nodes = chart.get('nodes');
	const edges = chart.get('edges');
	if (isPlainMap(nodes))
		for (const [sid, v] of liveEntries(nodes).slice(0, MAX_STEPS)) {
			const step = readStep(v);
			if (step && BlockId.safeParse(sid).success) out.nodes[sid] = step;
		}
	if (isPlainMap(edges))
		for (const [eid, v] of liveEntries(edges).slice(0, MAX_EDGES)) {
			const edge = readEdge(v);
			if (edge && BlockId.safeParse(eid).success && out.nodes[edge.source] && out.nodes[edge.target]) out.edges[eid] = edge;
		}
	return out;
}

export function readAllFlowcharts(doc: Y.Doc): Record<string, FlowchartData> {
	const out: Record<string, FlowchartData> = {};
	for (const [id, chart] of liveEntries(doc.getMap(FLOWCHARTS_MAP)).slice(0, MAX_CHARTS)) if (isPlainMap(chart) && BlockId.safeParse(id).success) out[id] = readFlowchart(chart);
	return out;
}

/** What reading order needs of a chart: step kinds and heights, and the links. */
type OrderInput<S extends Pick<FlowStep, 'kind' | 'y'>> = { nodes: Record<string, S>; edges: Record<string, Pick<FlowEdge, 'source' | 'target'>> };

/** Steps in reading order: follow edges from the start, then any left over, top to bottom. */
export function orderedSteps<S extends Pick<FlowStep, 'kind' | 'y'>>(data: OrderInput<S>): [string, S][] {
	const entries = Object.entries(data.nodes);
	const byId = new Map(entries);
	const out: [string, S][] = [];
	const seen = new Set<string>();
	const next = new Map<string, string[]>();
	for (const e of Object.values(data.edges)) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
	const starts = entries.filter(([, s]) => s.kind === 'start').map(([id]) => id);
	const queue = starts.length ? starts : entries.slice(0, 1).map(([id]) => id);
	while (queue.length) {
		const id = queue.shift()!;
		if (seen.has(id) || !byId.has(id)) continue;
		seen.add(id);
		out.push([id, byId.get(id)!]);
		for (const t of next.get(id) ?? []) queue.push(t);
	}
	for (const [id, s] of entries.sort((a, b) => a[1].y - b[1].y)) if (!seen.has(id)) out.push([id, s]);
	return out;
}
