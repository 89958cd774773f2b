import type { StepKind } from './flowchart.ts';

/**
 * Where the lines of a flowchart run and where their labels sit, for every picture of a chart
 * (the editor's canvas and the printed SVG use the same routes). Pure geometry on step boxes:
 * no text measuring here, callers pass box and label sizes.
 *
 * A line first tries the plain orthogonal route between its two steps. When that would cross a
 * step it does not join, it is routed around the steps instead: a shortest path with few bends
 * over the corridors that run just outside every step. Labels go where they cover no step.
 */

export type Side = 'top' | 'right' | 'bottom' | 'left';
export type Point = { x: number; y: number };
/** A step box (or a label plate) by its centre and size. */
export type Box = { x: number; y: number; width: number; height: number; kind?: StepKind };

/** Distance between the two lines of a pair of opposite edges between side-by-side steps. */
export const PAIR_SHIFT = 12;

/** How far the hexagon's points reach in from its bounding box. */
export function hexInset(height: number): number {
	return Math.min(18, height / 3);
}

export type EdgeEnds = { source: Side; target: Side; sourceShift: number; targetShift: number };

/**
 * Where an edge leaves its source and enters its target. Downward: bottom → top. Upward to a
 * step above: a loop on the right (same column) or up and in from the side. Side by side:
 * facing sides; when two steps point at each other (补正 ⇄ 受理) the two lines run parallel,
 * one above the other.
 */
export function edgeEnds(s: Box, t: Box, reverseExists: boolean): EdgeEnds {
	const gap = 6;
	const sTop = s.y - s.height / 2;
	const sBottom = s.y + s.height / 2;
	const tTop = t.y - t.height / 2;
	const tBottom = t.y + t.height / 2;
	const overlapX = Math.abs(t.x - s.x) < (s.width + t.width) / 2 - 4;
	const plain = (source: Side, target: Side): EdgeEnds => ({ source, target, sourceShift: 0, targetShift: 0 });
	if (tTop >= sBottom + gap) return plain('bottom', 'top');
	if (tBottom <= sTop - gap) return overlapX ? plain('right', 'right') : plain('top', t.x < s.x ? 'right' : 'left');
	if (overlapX) return plain('bottom', 'top');
	const rightward = t.x >= s.x;
	const shift = reverseExists ? (rightward ? -PAIR_SHIFT : PAIR_SHIFT) : 0;
	return rightward
		? { source: 'right', target: 'left', sourceShift: shift, targetShift: shift }
		: { source: 'left', target: 'right', sourceShift: shift, targetShift: shift };
}

/** The point on a box's outline where an edge attaches. */
export function anchorPoint(box: Box, side: Side, shift = 0): Point {
	const hw = box.width / 2;
	const hh = box.height / 2;
	switch (side) {
		case 'top':
			return { x: box.x + shift, y: box.y - hh };
		case 'bottom':
			return { x: box.x + shift, y: box.y + hh };
		case 'left':
		case 'right': {
			// The hexagon's and the pill's outline lies inward of the bounding box away from the middle.
			let inset = 0;
			if (box.kind === 'decision') inset = (hexInset(box.height) * Math.abs(shift)) / hh;
			else if ((box.kind === 'start' || box.kind === 'end') && shift) inset = hh - Math.sqrt(Math.max(0, hh * hh - shift * shift));
			return { x: side === 'left' ? box.x - hw + inset : box.x + hw - inset, y: box.y + shift };
		}
	}
}

const DIR: Record<Side, Point> = { top: { x: 0, y: -1 }, bottom: { x: 0, y: 1 }, left: { x: -1, y: 0 }, right: { x: 1, y: 0 } };
const isVertical = (side: Side) => side === 'top' || side === 'bottom';

/** The plain orthogonal polyline from `s` (leaving through `sSide`) to `t` (entering through `tSide`), blind to other steps. */
export function routeEdge(s: Point, sSide: Side, t: Point, tSide: Side, offset = 22): Point[] {
	const sd = DIR[sSide];
	const td = DIR[tSide];
	const p1 = { x: s.x + sd.x * offset, y: s.y + sd.y * offset };
	const q1 = { x: t.x + td.x * offset, y: t.y + td.y * offset };
	let pts: Point[];
	if (isVertical(sSide) && isVertical(tSide)) {
		if (sSide !== tSide && (t.y - s.y) * sd.y > 0) {
			const my = (s.y + t.y) / 2;
			pts = [s, { x: s.x, y: my }, { x: t.x, y: my }, t];
		} else if (sSide === tSide) {
			const y = sSide === 'bottom' ? Math.max(s.y, t.y) + offset : Math.min(s.y, t.y) - offset;
			pts = [s, { x: s.x, y }, { x: t.x, y }, t];
		} else {
			const mx = (s.x + t.x) / 2;
			pts = [s, p1, { x: mx, y: p1.y }, { x: mx, y: q1.y }, q1, t];
		}
	} else if (!isVertical(sSide) && !isVertical(tSide)) {
		if (sSide !== tSide && (t.x - s.x) * sd.x > 0) {
			const mx = (s.x + t.x) / 2;
			pts = [s, { x: mx, y: s.y }, { x: mx, y: t.y }, t];
		} else if (sSide === tSide) {
			const x = sSide === 'right' ? Math.max(s.x, t.x) + offset : Math.min(s.x, t.x) - offset;
			pts = [s, { x, y: s.y }, { x, y: t.y }, t];
		} else {
			const my = (s.y + t.y) / 2;
			pts = [s, p1, { x: p1.x, y: my }, { x: q1.x, y: my }, q1, t];
		}
	} else if (isVertical(sSide)) {
		if ((t.y - s.y) * sd.y > 0 && (s.x - t.x) * td.x > 0) pts = [s, { x: s.x, y: t.y }, t];
		else pts = [s, p1, { x: q1.x, y: p1.y }, q1, t];
	} else {
		if ((t.x - s.x) * sd.x > 0 && (s.y - t.y) * td.y > 0) pts = [s, { x: t.x, y: s.y }, t];
		else pts = [s, p1, { x: p1.x, y: q1.y }, q1, t];
	}
	return simplify(pts);
}

/** Rounds to 0.1 px, drops repeated points and merges straight runs into one segment. */
export function simplify(pts: Point[]): Point[] {
	const round = (p: Point) => ({ x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 });
	const out: Point[] = [];
	for (const p of pts.map(round)) {
		const last = out[out.length - 1];
		if (last && Math.abs(last.x - p.x) < 0.5 && Math.abs(last.y - p.y) < 0.5) continue;
		const prev = out[out.length - 2];
		if (prev && last && ((prev.x === last.x && last.x === p.x) || (prev.y === last.y && last.y === p.y))) out[out.length - 1] = p;
		else out.push(p);
	}
	return out;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** Half-way along a polyline. */
export function labelPoint(pts: Point[]): Point {
	let total = 0;
	for (let i = 1; i < pts.length; i++) total += dist(pts[i - 1], pts[i]);
	let left = total / 2;
	for (let i = 1; i < pts.length; i++) {
		const d = dist(pts[i - 1], pts[i]);
		if (left <= d) return along(pts[i - 1], pts[i], left);
		left -= d;
	}
	return pts[0] ?? { x: 0, y: 0 };
}

function along(from: Point, to: Point, d: number): Point {
	const len = dist(from, to) || 1;
	return { x: from.x + ((to.x - from.x) * d) / len, y: from.y + ((to.y - from.y) * d) / len };
}

// ---------------------------------------------------------------------------------------------
// Routing around steps

/** Lines keep this far from steps they do not join. */
const CLEAR = 8;
/** Corridors run this far outside every step. */
const LANE = 18;
/** A routed line leaves and enters its steps straight for this long. */
const STUB = 18;
/** A bend costs as much as this much length: few bends beat a slightly shorter line. */
const BEND = 40;
/** Extra cost per unit of length along a corridor stretch another line already uses. */
const SHARED = 0.75;

export type RouteRequest = { id: string; source: string; target: string; label?: { width: number; height: number } | null };
export type Route = { id: string; source: string; target: string; ends: EdgeEnds; points: Point[]; label: Box | null };

/** Does the axis-parallel segment a–b pass through the inside of `box` grown by `pad`? */
export function crossesBox(a: Point, b: Point, box: Box, pad = 0): boolean {
	const l = box.x - box.width / 2 - pad;
	const r = box.x + box.width / 2 + pad;
	const t = box.y - box.height / 2 - pad;
	const bt = box.y + box.height / 2 + pad;
	if (Math.abs(a.y - b.y) < 0.01) return a.y > t && a.y < bt && Math.max(a.x, b.x) > l && Math.min(a.x, b.x) < r;
	if (Math.abs(a.x - b.x) < 0.01) return a.x > l && a.x < r && Math.max(a.y, b.y) > t && Math.min(a.y, b.y) < bt;
	return Math.max(a.x, b.x) > l && Math.min(a.x, b.x) < r && Math.max(a.y, b.y) > t && Math.min(a.y, b.y) < bt;
}

/** Do two boxes overlap (each grown by `pad`)? */
export function boxesOverlap(p: Box, q: Box, pad = 0): boolean {
	return Math.abs(p.x - q.x) < (p.width + q.width) / 2 + pad && Math.abs(p.y - q.y) < (p.height + q.height) / 2 + pad;
}

/** Does a route stay out of every step it does not join, and out of its own steps but where it meets them? */
function clearOf(points: Point[], source: string, target: string, boxes: Map<string, Box>, pad: number): boolean {
	for (let i = 1; i < points.length; i++) {
		const [a, b] = [points[i - 1], points[i]];
		for (const [id, box] of boxes) {
			const own = id === source || id === target;
			// The first and last segments start on their step's outline (inside its bounding box for a hexagon).
			if (own && (i === 1 || i === points.length - 1)) continue;
			if (crossesBox(a, b, box, own ? 0 : pad)) return false;
		}
	}
	return true;
}

/**
 * Routes and label places of a chart's edges. `boxes`: every step by id. Edges whose ends are
 * missing, or that join a step to itself, get no route.
 */
export function routeChart(boxes: Map<string, Box>, edges: RouteRequest[]): Route[] {
	const pairs = new Set(edges.map((e) => `${e.source}\u0000${e.target}`));
	const planned: { req: RouteRequest; ends: EdgeEnds; s: Point; t: Point; plain: Point[] }[] = [];
	for (const req of edges) {
		const sb = boxes.get(req.source);
		const tb = boxes.get(req.target);
		if (!sb || !tb || req.source === req.target) continue;
		const ends = edgeEnds(sb, tb, pairs.has(`${req.target}\u0000${req.source}`));
		const s = anchorPoint(sb, ends.source, ends.sourceShift);
		const t = anchorPoint(tb, ends.target, ends.targetShift);
		planned.push({ req, ends, s, t, plain: routeEdge(s, ends.source, t, ends.target) });
	}
	let grid: Grid | null = null;
	const routes: Route[] = [];
	for (const p of planned) {
		let points = p.plain;
		if (!clearOf(points, p.req.source, p.req.target, boxes, CLEAR / 2)) {
			grid ??= new Grid(boxes, planned.flatMap((q) => [stubEnd(q.s, q.ends.source), stubEnd(q.t, q.ends.target)]));
			const found = grid.route(p.s, p.ends.source, p.t, p.ends.target);
			if (found) points = found;
		}
		routes.push({ id: p.req.id, source: p.req.source, target: p.req.target, ends: p.ends, points, label: null });
	}
	placeLabels(routes, edges, boxes);
	return routes;
}

const stubEnd = (p: Point, side: Side): Point => ({ x: p.x + DIR[side].x * STUB, y: p.y + DIR[side].y * STUB });

/**
 * The corridor grid of one chart: lines just outside every step's sides, through every line
 * end's stub, and around the whole chart. Points and stretches inside a step (grown by CLEAR)
 * are closed. A line follows the cheapest path over it (length, bends, stretches shared with
 * lines already routed).
 */
class Grid {
	private xs: number[];
	private ys: number[];
	private open: boolean[];
	/** Stretch from point k to its right / lower neighbour is free. */
	private right: boolean[];
	private down: boolean[];
	private used = new Set<string>();

	constructor(boxes: Map<string, Box>, stubs: Point[]) {
		const xs = new Set<number>();
		const ys = new Set<number>();
		let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
		for (const b of boxes.values()) {
			const [l, r, t, bt] = [b.x - b.width / 2, b.x + b.width / 2, b.y - b.height / 2, b.y + b.height / 2];
			xs.add(round(l - LANE)).add(round(r + LANE));
			ys.add(round(t - LANE)).add(round(bt + LANE));
			[minX, minY, maxX, maxY] = [Math.min(minX, l), Math.min(minY, t), Math.max(maxX, r), Math.max(maxY, bt)];
		}
		for (const p of stubs) {
			xs.add(round(p.x));
			ys.add(round(p.y));
		}
		xs.add(round(minX - 2 * LANE)).add(round(maxX + 2 * LANE));
		ys.add(round(minY - 2 * LANE)).add(round(maxY + 2 * LANE));
		this.xs = [...xs].sort((a, b) => a - b);
		this.ys = [...ys].sort((a, b) => a - b);
		const obstacles = [...boxes.values()];
		const [w, h] = [this.xs.length, this.ys.length];
		this.open = new Array(w * h);
		this.right = new Array(w * h).fill(false);
		this.down = new Array(w * h).fill(false);
		for (let j = 0; j < h; j++)
			for (let i = 0; i < w; i++) {
				const p = { x: this.xs[i], y: this.ys[j] };
				this.open[j * w + i] = !obstacles.some((b) => inside(p, b, CLEAR));
			}
		for (let j = 0; j < h; j++)
			for (let i = 0; i < w; i++) {
				const k = j * w + i;
				if (!this.open[k]) continue;
				const p = { x: this.xs[i], y: this.ys[j] };
				if (i + 1 < w && this.open[k + 1]) this.right[k] = !obstacles.some((b) => crossesBox(p, { x: this.xs[i + 1], y: p.y }, b, CLEAR));
				if (j + 1 < h && this.open[k + w]) this.down[k] = !obstacles.some((b) => crossesBox(p, { x: p.x, y: this.ys[j + 1] }, b, CLEAR));
			}
	}

	/** The cheapest corridor path from anchor `s` (leaving by `sSide`) to anchor `t` (entering by `tSide`), or null. */
	route(s: Point, sSide: Side, t: Point, tSide: Side): Point[] | null {
		const w = this.xs.length;
		const from = this.index(stubEnd(s, sSide));
		const to = this.index(stubEnd(t, tSide));
		if (from === null || to === null || !this.open[from] || !this.open[to]) return null;
		// Directions: 0 right, 1 down, 2 left, 3 up. State = point * 4 + direction of arrival.
		const dirOf: Record<Side, number> = { right: 0, bottom: 1, left: 2, top: 3 };
		const arriveDir = (dirOf[tSide] + 2) % 4;
		const cost = new Map<number, number>();
		const parent = new Map<number, number>();
		const heap = new MinHeap();
		const start = from * 4 + dirOf[sSide];
		cost.set(start, 0);
		heap.push(start, this.estimate(from, to));
		let best = Infinity;
		let bestState = -1;
		while (heap.size) {
			const [state, f] = heap.pop();
			if (f >= best) break;
			const g = cost.get(state)!;
			if (f > g + this.estimate(state >> 2, to) + 1e-6) continue; // stale entry
			const k = state >> 2;
			const d = state & 3;
			if (k === to) {
				const total = g + (d === arriveDir ? 0 : BEND);
				if (total < best) [best, bestState] = [total, state];
				continue;
			}
			for (let nd = 0; nd < 4; nd++) {
				if (nd === (d + 2) % 4) continue;
				const next = this.step(k, nd);
				if (next === null) continue;
				const len = Math.abs(this.xs[next % w] - this.xs[k % w]) + Math.abs(this.ys[Math.floor(next / w)] - this.ys[Math.floor(k / w)]);
				const shared = this.used.has(stretchKey(k, next)) ? SHARED * len : 0;
				const ng = g + len + shared + (nd === d ? 0 : BEND);
				const ns = next * 4 + nd;
				if (ng < (cost.get(ns) ?? Infinity)) {
					cost.set(ns, ng);
					parent.set(ns, state);
					heap.push(ns, ng + this.estimate(next, to));
				}
			}
		}
		if (bestState < 0) return null;
		const path: number[] = [];
		for (let st: number | undefined = bestState; st !== undefined; st = parent.get(st)) path.push(st >> 2);
		path.reverse();
		for (let i = 1; i < path.length; i++) this.used.add(stretchKey(path[i - 1], path[i]));
		const pts = path.map((k) => ({ x: this.xs[k % w], y: this.ys[Math.floor(k / w)] }));
		return simplify([s, ...pts, t]);
	}

	private index(p: Point): number | null {
		const i = this.xs.indexOf(round(p.x));
		const j = this.ys.indexOf(round(p.y));
		return i < 0 || j < 0 ? null : j * this.xs.length + i;
	}

	private step(k: number, dir: number): number | null {
		const w = this.xs.length;
		const i = k % w;
		if (dir === 0) return i + 1 < w && this.right[k] ? k + 1 : null;
		if (dir === 1) return this.down[k] ? k + w : null;
		if (dir === 2) return i > 0 && this.right[k - 1] ? k - 1 : null;
		return k >= w && this.down[k - w] ? k - w : null;
	}

	private estimate(k: number, to: number): number {
		const w = this.xs.length;
		return Math.abs(this.xs[k % w] - this.xs[to % w]) + Math.abs(this.ys[Math.floor(k / w)] - this.ys[Math.floor(to / w)]);
	}
}

const round = (v: number) => Math.round(v * 10) / 10;
const stretchKey = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);
const inside = (p: Point, b: Box, pad: number) => Math.abs(p.x - b.x) < b.width / 2 + pad && Math.abs(p.y - b.y) < b.height / 2 + pad;

/** A binary heap of (state, priority), smallest priority first. */
class MinHeap {
	private items: [number, number][] = [];
	get size() {
		return this.items.length;
	}
	push(state: number, priority: number) {
		const a = this.items;
		a.push([state, priority]);
		for (let i = a.length - 1; i > 0; ) {
			const up = (i - 1) >> 1;
			if (a[up][1] <= a[i][1]) break;
			[a[up], a[i]] = [a[i], a[up]];
			i = up;
		}
	}
	pop(): [number, number] {
		const a = this.items;
		const top = a[0];
		const last = a.pop()!;
		if (a.length) {
			a[0] = last;
			for (let i = 0; ; ) {
				const [l, r] = [2 * i + 1, 2 * i + 2];
				let m = i;
				if (l < a.length && a[l][1] < a[m][1]) m = l;
				if (r < a.length && a[r][1] < a[m][1]) m = r;
				if (m === i) break;
				[a[m], a[i]] = [a[i], a[m]];
				i = m;
			}
		}
		return top;
	}
}

// ---------------------------------------------------------------------------------------------
// Labels

/** Room kept between a label plate and any step or other label. */
const LABEL_CLEAR = 3;

/**
 * Puts each label on its line where the plate covers no step and no other label: the middle of
 * the line if free, else the free spot on the line nearest to the middle, else just beside the
 * line. Only when nothing is free does it fall back to the middle.
 */
function placeLabels(routes: Route[], requests: RouteRequest[], boxes: Map<string, Box>) {
	const sizes = new Map(requests.map((r) => [r.id, r.label]));
	const steps = [...boxes.values()];
	const placed: Box[] = [];
	const free = (b: Box) => !steps.some((s) => boxesOverlap(b, s, LABEL_CLEAR)) && !placed.some((q) => boxesOverlap(b, q, LABEL_CLEAR));
	for (const route of routes) {
		const size = sizes.get(route.id);
		if (!size) continue;
		const spots = labelSpots(route.points, size);
		const at = spots.find(free) ?? spots[0];
		if (!at) continue;
		route.label = at;
		placed.push(at);
	}
}

/** Candidate plates for a label along a line, best first. */
function labelSpots(points: Point[], size: { width: number; height: number }): Box[] {
	let total = 0;
	const segs: { a: Point; b: Point; from: number; len: number }[] = [];
	for (let i = 1; i < points.length; i++) {
		const len = dist(points[i - 1], points[i]);
		segs.push({ a: points[i - 1], b: points[i], from: total, len });
		total += len;
	}
	const on: { p: Point; off: number; vertical: boolean }[] = [];
	for (const s of segs) {
		const vertical = Math.abs(s.a.x - s.b.x) < 0.01;
		for (const f of [0.5, 0.3, 0.7, 0.15, 0.85]) on.push({ p: along(s.a, s.b, s.len * f), off: Math.abs(s.from + s.len * f - total / 2), vertical });
	}
	on.sort((x, y) => x.off - y.off);
	const plate = (p: Point): Box => ({ x: p.x, y: p.y, width: size.width, height: size.height });
	const beside = on.flatMap(({ p, vertical }) =>
		vertical
			? [plate({ x: p.x + size.width / 2 + 4, y: p.y }), plate({ x: p.x - size.width / 2 - 4, y: p.y })]
			: [plate({ x: p.x, y: p.y - size.height / 2 - 3 }), plate({ x: p.x, y: p.y + size.height / 2 + 3 })]
	);
	return [...on.map(({ p }) => plate(p)), ...beside];
}
