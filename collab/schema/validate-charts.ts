import type * as Y from 'yjs';
import { BlockId } from './attrs.ts';
import { readEdge, readStep } from './flowchart.ts';
import { MAX_CHARTS, MAX_EDGES, MAX_STEPS } from './limits.ts';
import { hasLiveList, isPlainMap, liveEntries } from './y-internals.ts';

/**
 * Rules for the flowchart data (`getMap('flowcharts')`): chart id → Y.Map with `nodes` (step id →
 * flat Y.Map) and `edges` (edge id → flat Y.Map). Each function returns the first problem, or null.
 */

export const CHART_PARTS = ['nodes', 'edges'] as const;
export type ChartPart = (typeof CHART_PARTS)[number];

/** The flowcharts map itself: only charts under valid ids, not too many. */
export function chartsMapProblem(charts: Y.Map<unknown>): string | null {
	if (hasLiveList(charts)) return 'flowcharts: list content in a map';
	const entries = liveEntries(charts);
	if (entries.length > MAX_CHARTS) return `flowcharts: more than ${MAX_CHARTS}`;
	return null;
}

/** One chart, whole. */
export function chartProblem(id: string, chart: unknown): string | null {
	const where = `flowchart ${id.slice(0, 40)}`;
	if (!BlockId.safeParse(id).success) return `${where}: bad id`;
	if (!isPlainMap(chart)) return `${where}: not a map`;
	if (hasLiveList(chart)) return `${where}: list content in a map`;
	for (const [key] of liveEntries(chart)) if (!(CHART_PARTS as readonly string[]).includes(key)) return `${where}: unknown field ${key.slice(0, 40)}`;
	for (const part of CHART_PARTS) {
		const problem = partProblem(id, chart, part);
		if (problem) return problem;
		const entries = chart.get(part);
		if (entries === undefined) continue;
		for (const [key, value] of liveEntries(entries as Y.Map<unknown>)) {
			const p = entryProblem(id, chart, part, key, value);
			if (p) return p;
		}
	}
	return null;
}

/** `nodes` or `edges` of a chart: a map (or absent) of at most so many entries. */
export function partProblem(id: string, chart: Y.Map<unknown>, part: ChartPart): string | null {
	const entries = chart.get(part);
	if (entries === undefined) return null;
	const where = `flowchart ${id.slice(0, 40)}: ${part}`;
	if (!isPlainMap(entries)) return `${where} is not a map`;
	if (hasLiveList(entries)) return `${where}: list content in a map`;
	const max = part === 'nodes' ? MAX_STEPS : MAX_EDGES;
	if (liveEntries(entries).length > max) return `${where}: more than ${max}`;
	return null;
}

/** One step or edge. An edge must join steps of its chart; a step deleted concurrently still counts. */
export function entryProblem(id: string, chart: Y.Map<unknown>, part: ChartPart, key: string, value: unknown): string | null {
	const where = `flowchart ${id.slice(0, 40)}: ${part}.${key.slice(0, 40)}`;
	if (!BlockId.safeParse(key).success) return `${where}: bad id`;
	// Valid exactly when readers can read it (see readStep for text past its limit).
	if (part === 'nodes') return readStep(value) ? null : `${where} is invalid`;
	const edge = readEdge(value);
	if (!edge) return `${where} is invalid`;
	const steps = chart.get('nodes');
	for (const end of [edge.source, edge.target]) {
		// A deleted key stays in _map as a tombstone: readFlowchart drops such an edge, and
		// refusing it would lock out the client that drew it while another deleted the step.
		const known = isPlainMap(steps) && steps._map.has(end);
		if (!known) return `${where} joins a step that never existed`;
	}
	return null;
}
