import { graphlib, layout as dagreLayout } from '@dagrejs/dagre';
import type { FlowchartData, FlowStep } from '#collab/schema/flowchart.ts';
import { boxesOverlap } from '#collab/schema/flowchart-route.ts';
import { stepBox, stepLayout } from '#collab/schema/flowchart-svg.ts';

/** Where steps go: the chart's auto-layout and the place of a step added after another. */

export type Position = { x: number; y: number };

/** Positions snap to the canvas grid. */
export const snap = (v: number) => Math.round(v / 10) * 10;

/** Vertical room between a step and the next when nothing else says how much. */
const RANK_GAP = 56;

/**
 * 自动排列: dagre, top to bottom. A step that only goes back and forth with one other step
 * (补正告知 ⇄ 受理) is a side loop: it is left out of the ranking and put beside that step, as
 * the manual's charts draw it.
 */
export function autoLayout(data: FlowchartData): Map<string, Position> {
	const ids = Object.keys(data.nodes);
	const links = Object.values(data.edges).filter((e) => e.source !== e.target && data.nodes[e.source] && data.nodes[e.target]);
	const beside = new Map<string, string>();
	for (const id of ids) {
		const touching = links.filter((e) => e.source === id || e.target === id);
		const others = new Set(touching.map((e) => (e.source === id ? e.target : e.source)));
		const [other] = others;
		if (others.size === 1 && touching.length === 2 && touching.some((e) => e.source === id) && touching.some((e) => e.target === id) && !beside.has(other))
			beside.set(id, other);
	}
	const g = new graphlib.Graph();
	g.setGraph({ rankdir: 'TB', nodesep: 60, ranksep: RANK_GAP, marginx: 0, marginy: 0 });
	g.setDefaultEdgeLabel(() => ({}));
	for (const id of ids) {
		if (beside.has(id)) continue;
		const { width, height } = stepLayout(data.nodes[id]);
		g.setNode(id, { width, height });
	}
	for (const e of links) if (!beside.has(e.source) && !beside.has(e.target)) g.setEdge(e.source, e.target);
	dagreLayout(g);
	const at = new Map<string, Position>(g.nodes().map((id) => [id, { x: g.node(id).x ?? 0, y: g.node(id).y ?? 0 }]));
	for (const [id, other] of beside) {
		const p = at.get(other);
		if (!p) continue;
		const w = stepLayout(data.nodes[other]).width / 2 + 90 + stepLayout(data.nodes[id]).width / 2;
		// The side with no neighbour in that rank; right by default.
		const taken = (x: number) => [...at.entries()].some(([k, q]) => k !== other && Math.abs(q.y - p.y) < 40 && Math.abs(q.x - x) < w);
		at.set(id, { x: taken(p.x + w) && !taken(p.x - w) ? p.x - w : p.x + w, y: p.y });
	}
	return new Map([...at].map(([id, p]) => [id, { x: snap(p.x), y: snap(p.y) }]));
}

export type Insertion =
	| { ok: false; reason: 'after-end' }
	| {
			ok: true;
			/** Where the new step goes. */
			at: Position;
			/** The link from the selected step that now leads to the new step (its old target follows the new step). */
			split: { edgeId: string; target: string } | null;
			/** Steps moved down to make room. */
			moves: { id: string; x: number; y: number }[];
	  };

/**
 * Where a step added after `afterId` goes, and what changes around it. The selected step's
 * onward link (the one to the step below it, nearest its column) is split: A → B becomes
 * A → new → B. The new step takes the place just below A and everything below A moves down
 * as far as needed, so nothing overlaps. Nothing comes after an end step.
 */
export function planInsertAfter(data: FlowchartData, afterId: string, added: FlowStep): Insertion {
	const a = data.nodes[afterId];
	if (!a) throw new Error(`no step ${afterId}`);
	if (a.kind === 'end') return { ok: false, reason: 'after-end' };
	const aBox = stepBox(a);
	const aBottom = a.y + aBox.height / 2;
	const onward = Object.entries(data.edges)
		.filter(([, e]) => e.source === afterId && e.target !== afterId && data.nodes[e.target] && data.nodes[e.target].y > a.y)
		.sort(([, p], [, q]) => Math.abs(data.nodes[p.target].x - a.x) - Math.abs(data.nodes[q.target].x - a.x) || data.nodes[p.target].y - data.nodes[q.target].y);
	const [edgeId, edge] = onward[0] ?? [];
	const next = edge ? data.nodes[edge.target] : null;
	const gap = next ? Math.max(30, next.y - stepBox(next).height / 2 - aBottom) : RANK_GAP;
	const height = stepLayout(added).height;
	const at = { x: snap(a.x), y: snap(aBottom + gap + height / 2) };
	const box = stepBox({ ...added, ...at });
	// Everything lower than the selected step moves down by the same amount, so the part of the
	// chart below keeps its shape: as much as the new step needs to clear what it would overlap.
	const below = Object.entries(data.nodes).filter(([id, s]) => id !== afterId && s.y - stepBox(s).height / 2 >= aBottom - 1);
	let room = 0;
	for (const [, s] of below) {
		const b = stepBox(s);
		if (boxesOverlap(box, b, gap - 1)) room = Math.max(room, box.y + box.height / 2 + gap - (b.y - b.height / 2));
	}
	room = Math.ceil(room / 10) * 10;
	const moves = room ? below.map(([id, s]) => ({ id, x: s.x, y: s.y + room })) : [];
	return { ok: true, at, split: edgeId && edge ? { edgeId, target: edge.target } : null, moves };
}
