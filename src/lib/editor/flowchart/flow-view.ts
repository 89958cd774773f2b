import type { FlowchartData } from '#collab/schema/flowchart.ts';
import { routeChart, type Box, type Point, type Side } from '#collab/schema/flowchart-route.ts';
import { edgeLabelSize, stepLayout } from '#collab/schema/flowchart-svg.ts';
import type { RiskLevel } from '#collab/schema/risk-table.ts';
import type { FlowEdgeType, StepNodeType } from './flow-types.ts';

/**
 * The chart's data as Svelte Flow's node and edge arrays. Each function returns the previous
 * array when nothing changed and keeps every unchanged object, so Svelte Flow keeps its
 * measurements and does not redraw what stayed the same.
 */

export type NodeOptions = {
	/** Steps being dragged here: they keep their local position. */
	dragging: ReadonlySet<string>;
	/** A step to select (just added), or null to keep the current selection. */
	select: string | null;
};

export function toNodes(prev: StepNodeType[], data: FlowchartData, levels: Record<string, RiskLevel>, { dragging, select }: NodeOptions): StepNodeType[] {
	const old = new Map(prev.map((n) => [n.id, n]));
	let changed = old.size !== Object.keys(data.nodes).length;
	const next = Object.entries(data.nodes).map(([id, step]): StepNodeType => {
		const o = old.get(id);
		const level = levels[id] ?? null;
		const position = o && dragging.has(id) ? o.position : { x: step.x, y: step.y };
		const selected = select ? id === select : (o?.selected ?? false);
		if (o && o.data.step === step && o.data.level === level && o.position.x === position.x && o.position.y === position.y && !!o.selected === selected) return o;
		changed = true;
		const { width, height } = stepLayout(step);
		return { id, type: 'step', position, data: { step, level }, width, height, selected, ...(o?.measured ? { measured: o.measured } : {}) };
	});
	return changed || next.some((n, i) => n !== prev[i]) ? next : prev;
}

const handleId = (side: Side, shift: number) => side + (shift < 0 ? '-a' : shift > 0 ? '-b' : '');

const samePoints = (a: Point[] | undefined, b: Point[]) => !!a && a.length === b.length && a.every((p, i) => p.x === b[i].x && p.y === b[i].y);
const samePlate = (a: Box | null | undefined, b: Box | null) => a === b || (!!a && !!b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height);

/** Edges routed around the steps where they stand now (also mid-drag), labels off the steps. */
export function toEdges(prev: FlowEdgeType[], nodes: StepNodeType[], data: FlowchartData, markerId: string): FlowEdgeType[] {
	const boxes = new Map<string, Box>(
		nodes.map((n) => {
			const { width, height } = stepLayout(n.data.step);
			return [n.id, { x: n.position.x, y: n.position.y, width, height, kind: n.data.step.kind }];
		})
	);
	const requests = Object.entries(data.edges).map(([id, e]) => ({ id, source: e.source, target: e.target, label: e.label ? edgeLabelSize(e.label) : null }));
	const old = new Map(prev.map((e) => [e.id, e]));
	const next = routeChart(boxes, requests).map((r): FlowEdgeType => {
		const label = data.edges[r.id].label;
		const sourceHandle = handleId(r.ends.source, r.ends.sourceShift);
		const targetHandle = handleId(r.ends.target, r.ends.targetShift);
		const o = old.get(r.id);
		if (o && o.source === r.source && o.target === r.target && o.sourceHandle === sourceHandle && o.targetHandle === targetHandle && o.data?.label === label && samePoints(o.data?.points, r.points) && samePlate(o.data?.plate, r.label))
			return o;
		return {
			id: r.id,
			type: 'flow',
			source: r.source,
			target: r.target,
			sourceHandle,
			targetHandle,
			data: { label, points: r.points, plate: r.label },
			markerEnd: markerId,
			ariaLabel: label || undefined,
			selected: o?.selected ?? false
		};
	});
	return next.length !== prev.length || next.some((e, i) => e !== prev[i]) ? next : prev;
}
