import { describe, expect, it } from 'vitest';
import type { FlowchartData } from '../../collab/schema/flowchart.ts';
import { LEVEL_COLOR } from '../../collab/schema/risk-table.ts';
import { buildSection } from '../../collab/schema/template.ts';
import { DEMO_UNITS } from '../../server/seed/demo-content.ts';
import { boxesOverlap, crossesBox, type Box, type Point } from '../../collab/schema/flowchart-route.ts';
import {
	edgeEnds,
	FLOW_INK,
	renderFlowchartSvg,
	riskLevelsByStep,
	routeEdge,
	stepBox,
	stepDetail,
	stepLayout
} from '../../collab/schema/flowchart-svg.ts';
import { random, step } from '../helpers/flowchart-data.ts';

const chart: FlowchartData = {
	nodes: {
		a: step('受理', 0, 0, { kind: 'start', post: '受理窗口', limitDays: 5 }),
		b: step('补正告知', 280, 0, { post: '受理窗口', limitDays: 5 }),
		c: step('审查 <A&B>', 0, 110, { post: '机车车辆处', limitDays: 20, risk: true, control: true, duty: '复核审查意见' }),
		d: step('决定', 0, 220, { kind: 'decision', post: '司领导', limitDays: 20, risk: true }),
		e: step('送达', 0, 330, { kind: 'end', post: '机车车辆处', limitDays: 10, risk: true })
	},
	edges: {
		e1: { source: 'a', target: 'b', label: '材料不全' },
		e2: { source: 'b', target: 'a', label: '补正后' },
		e3: { source: 'a', target: 'c', label: '' },
		e4: { source: 'c', target: 'd', label: '"通过" & \'合格\'' },
		e5: { source: 'd', target: 'e', label: '' }
	}
};

/** Fill colour of the badge drawn for `stepId`. */
function stepGroup(svg: string, stepId: string): string {
	return svg.split(`data-step-id="${stepId}"`)[1]?.split('</g></g>')[0] ?? '';
}
function badgeColor(svg: string, stepId: string): string | null {
	const group = stepGroup(svg, stepId);
	const badge = group.split('class="fc-badge"')[1];
	return badge ? (badge.match(/<circle[^>]*fill="([^"]+)"/)?.[1] ?? null) : null;
}

describe('riskLevelsByStep', () => {
	it('keeps the highest level of the rows linked to each step', () => {
		const levels = riskLevelsByStep([
			{ stepId: 'c', level: 'low' },
			{ stepId: 'c', level: 'high' },
			{ stepId: 'c', level: 'medium' },
			{ stepId: 'd', level: 'medium' },
			{ stepId: 'd', level: null },
			{ stepId: null, level: 'high' },
			{ stepId: 'e', level: 'bogus' }
		]);
		expect(levels).toEqual({ c: 'high', d: 'medium' });
	});
});

describe('renderFlowchartSvg', () => {
	const levels = riskLevelsByStep([
		{ stepId: 'c', level: 'medium' },
		{ stepId: 'c', level: 'high' },
		{ stepId: 'd', level: 'low' }
	]);
	const svg = renderFlowchartSvg(chart, levels, { title: '测试事项权力运行流程图' });

	it('is one standalone SVG document with a CJK-safe font', () => {
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
		expect(svg.endsWith('</svg>')).toBe(true);
		expect(svg).toContain("'Noto Sans CJK SC','Microsoft YaHei',sans-serif");
		expect(svg.match(/<svg/g)).toHaveLength(1);
	});

	it('contains every step label, post and time limit, and every edge label', () => {
		for (const s of ['受理', '补正告知', '决定', '送达', '测试事项权力运行流程图', '材料不全', '补正后']) expect(svg).toContain(s);
		expect(svg).toContain('受理窗口 · 5个工作日');
		expect(svg).toContain('机车车辆处 · 20个工作日');
		expect(svg).toContain('司领导 · 20个工作日');
	});

	it('escapes markup in labels', () => {
		expect(svg).toContain('审查 &lt;A&amp;B&gt;');
		expect(svg).not.toContain('<A&B>');
		expect(svg).toContain('&quot;通过&quot; &amp; &apos;合格&apos;');
		// Still well-formed: only the five XML entities, no bare ampersands.
		expect(svg.replace(/&(lt|gt|amp|quot|apos);/g, '')).not.toMatch(/&/);
	});

	it('colours each risk badge by the highest linked level, grey when none is linked', () => {
		expect(badgeColor(svg, 'c')).toBe(LEVEL_COLOR.high);
		expect(badgeColor(svg, 'd')).toBe(LEVEL_COLOR.low);
		expect(badgeColor(svg, 'e')).toBe(FLOW_INK.ungraded);
		expect(badgeColor(svg, 'a')).toBeNull();
		expect(badgeColor(svg, 'b')).toBeNull();
		expect(stepGroup(svg, 'c')).toContain('>高</text>');
		expect(stepGroup(svg, 'e')).toContain('>险</text>');
	});

	it('marks the control point and draws an arrow per edge', () => {
		expect(svg).toContain('关节点');
		expect(svg.match(/marker-end="url\(#/g)).toHaveLength(5);
	});

	it('has a viewBox around everything it draws', () => {
		const [, vx, vy, vw, vh] = svg.match(/viewBox="(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+)"/)!.map(Number);
		expect(vw).toBeGreaterThan(0);
		expect(vh).toBeGreaterThan(0);
		for (const s of Object.values(chart.nodes)) {
			const { width, height } = stepLayout(s);
			expect(s.x - width / 2).toBeGreaterThanOrEqual(vx);
			expect(s.x + width / 2).toBeLessThanOrEqual(vx + vw);
			expect(s.y - height / 2).toBeGreaterThanOrEqual(vy);
			expect(s.y + height / 2).toBeLessThanOrEqual(vy + vh);
		}
		const empty = renderFlowchartSvg({ nodes: {}, edges: {} }, {});
		expect(empty).toMatch(/viewBox="-?[\d.]+ -?[\d.]+ [1-9][\d.]* [1-9][\d.]*"/);
		expect(empty).toContain('暂无步骤');
	});

	it('gives interactive badges a step id to click', () => {
		const live = renderFlowchartSvg(chart, levels, { interactive: true });
		expect(live).toContain('data-badge-step="c"');
		expect(svg).not.toContain('data-badge-step');
	});

	it('renders every demo section', () => {
		for (const unit of DEMO_UNITS)
			for (const spec of unit.sections) {
				const { flowcharts } = buildSection(spec);
				const data = Object.values(flowcharts!)[0];
				const out = renderFlowchartSvg(data, {});
				for (const s of spec.steps) expect(out).toContain(s.label.replace(/&/g, '&amp;'));
			}
	});
});

describe('layout helpers', () => {
	it('writes post and limit as the second line', () => {
		expect(stepDetail({ post: '受理窗口', limitDays: 5 })).toBe('受理窗口 · 5个工作日');
		expect(stepDetail({ post: '', limitDays: null })).toBe('');
		expect(stepDetail({ post: '专家组', limitDays: null })).toBe('专家组');
	});

	it('wraps long labels instead of overflowing', () => {
		const long = stepLayout(step('对申请材料进行形式审查并出具受理或者不予受理决定书', 0, 0, { post: '行政许可受理窗口负责人', limitDays: 20 }));
		expect(long.width).toBeLessThanOrEqual(236);
		expect(long.labelLines.length).toBeGreaterThan(1);
	});

	it('routes downward edges bottom to top, side loops side by side, upward edges around', () => {
		const a = stepBox(chart.nodes.a);
		const b = stepBox(chart.nodes.b);
		const c = stepBox(chart.nodes.c);
		expect(edgeEnds(a, c, false)).toMatchObject({ source: 'bottom', target: 'top' });
		expect(edgeEnds(a, b, true)).toMatchObject({ source: 'right', target: 'left', sourceShift: -12 });
		expect(edgeEnds(b, a, true)).toMatchObject({ source: 'left', target: 'right', sourceShift: 12 });
		expect(edgeEnds(c, a, false)).toMatchObject({ source: 'right', target: 'right' });
		const pts = routeEdge({ x: 0, y: 0 }, 'bottom', { x: 40, y: 100 }, 'top');
		expect(pts).toEqual([
			{ x: 0, y: 0 },
			{ x: 0, y: 50 },
			{ x: 40, y: 50 },
			{ x: 40, y: 100 }
		]);
	});
});

/** What the printed picture shows, read back from the SVG: step boxes, edge lines, label plates. */
function drawn(svg: string) {
	const steps = new Map<string, Box>();
	for (const m of svg.matchAll(/<g transform="translate\((-?[\d.]+),(-?[\d.]+)\)"><g class="fc-step" data-step-id="([^"]+)">(?:<title>[^<]*<\/title>)?<(rect|polygon) ([^>]*)>/g)) {
		const [, x0, y0, id, shape, attrs] = m;
		let width: number;
		let height: number;
		if (shape === 'rect') {
			width = Number(attrs.match(/width="([\d.]+)"/)![1]);
			height = Number(attrs.match(/height="([\d.]+)"/)![1]);
		} else {
			const pts = attrs.match(/points="([^"]+)"/)![1].split(' ').map((p) => p.split(',').map(Number));
			width = Math.max(...pts.map((p) => p[0]));
			height = Math.max(...pts.map((p) => p[1]));
		}
		steps.set(id, { x: Number(x0) + width / 2, y: Number(y0) + height / 2, width, height });
	}
	const edges: { id: string; source: string; target: string; points: Point[]; plate: Box | null }[] = [];
	for (const m of svg.matchAll(/<g class="fc-edge" data-edge-id="([^"]+)" data-source="([^"]+)" data-target="([^"]+)"><path d="([^"]+)"[^>]*\/>(<rect class="fc-edge-label" ([^>]*)\/>)?/g)) {
		const [, id, source, target, d, , plateAttrs] = m;
		// Corners are drawn rounded: the polyline's points are the start, each curve's control point, the end.
		const tokens = [...d.matchAll(/([MLQ])(-?[\d.]+),(-?[\d.]+)(?: (-?[\d.]+),(-?[\d.]+))?/g)];
		const points: Point[] = [];
		tokens.forEach((t, i) => {
			if (t[1] === 'M' || t[1] === 'Q' || (t[1] === 'L' && i === tokens.length - 1)) points.push({ x: Number(t[2]), y: Number(t[3]) });
		});
		let plate: Box | null = null;
		if (plateAttrs) {
			const num = (k: string) => Number(plateAttrs.match(new RegExp(`${k}="(-?[\\d.]+)"`))![1]);
			plate = { x: num('x') + num('width') / 2, y: num('y') + num('height') / 2, width: num('width'), height: num('height') };
		}
		edges.push({ id, source, target, points, plate });
	}
	return { steps, edges };
}

/** Every way the picture draws a line through a step or a label over one; empty when clean. */
function crossings(svg: string): string[] {
	const { steps, edges } = drawn(svg);
	const problems: string[] = [];
	for (const e of edges) {
		for (let i = 1; i < e.points.length; i++)
			for (const [id, box] of steps) {
				const own = id === e.source || id === e.target;
				if (own && (i === 1 || i === e.points.length - 1)) continue;
				if (crossesBox(e.points[i - 1], e.points[i], box)) problems.push(`edge ${e.id} crosses step ${id}`);
			}
		if (e.plate) for (const [id, box] of steps) if (boxesOverlap(e.plate, box)) problems.push(`label of ${e.id} covers step ${id}`);
	}
	return problems;
}

/** A chart of `rows` × `cols` steps in a loose grid, chained in order, with extra links that jump across it. */
function generatedChart(seed: number, rows = 4, cols = 4, extra = 8): FlowchartData {
	const rnd = random(seed);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
	const words = '受理审查核查补正告知专家评审检验检测许可决定制证送达现场复核公示备案意见征求';
	const text = (min: number, max: number) => Array.from({ length: min + Math.floor(rnd() * (max - min)) }, () => pick([...words])).join('');
	const nodes: FlowchartData['nodes'] = {};
	const ids: string[] = [];
	for (let r = 0; r < rows; r++)
		for (let c = 0; c < cols; c++) {
			const id = `g${r}${c}`;
			ids.push(id);
			const kind = r + c === 0 ? 'start' : r === rows - 1 && c === cols - 1 ? 'end' : rnd() < 0.25 ? 'decision' : 'step';
			nodes[id] = step(text(2, 16), c * 330 + Math.round((rnd() - 0.5) * 30), r * 180 + Math.round((rnd() - 0.5) * 20), {
				kind,
				post: rnd() < 0.6 ? text(2, 8) : '',
				limitDays: rnd() < 0.5 ? Math.floor(rnd() * 20) : null
			});
		}
	const edges: FlowchartData['edges'] = {};
	const seen = new Set<string>();
	const link = (source: string, target: string, label: string) => {
		if (source === target || seen.has(`${source}>${target}`)) return;
		seen.add(`${source}>${target}`);
		edges[`e${Object.keys(edges).length}`] = { source, target, label };
	};
	for (let i = 1; i < ids.length; i++) link(ids[i - 1], ids[i], '');
	for (let k = 0; k < extra; k++) link(pick(ids), pick(ids), rnd() < 0.6 ? text(2, 6) : '');
	return { nodes, edges };
}

describe('edge routing on the printed chart', () => {
	it('reads the picture back (the check below sees what is drawn)', () => {
		const { steps, edges } = drawn(renderFlowchartSvg(chart, {}));
		expect([...steps.keys()].sort()).toEqual(Object.keys(chart.nodes).sort());
		expect(edges.map((e) => e.id).sort()).toEqual(Object.keys(chart.edges).sort());
		for (const [id, s] of Object.entries(chart.nodes)) expect(steps.get(id)).toEqual({ x: s.x, y: s.y, width: stepLayout(s).width, height: stepLayout(s).height });
		expect(edges.filter((e) => e.plate).length).toBe(3);
		// A line straight through a step is found.
		const through = renderFlowchartSvg({ ...chart, edges: { x: { source: 'a', target: 'e', label: '' } } }, {});
		expect(drawn(through).edges[0].points.length).toBeGreaterThan(1);
	});

	it('keeps lines and labels off the steps of every demo chart', () => {
		for (const unit of DEMO_UNITS)
			for (const spec of unit.sections) {
				const data = Object.values(buildSection(spec).flowcharts!)[0];
				expect(crossings(renderFlowchartSvg(data, {})), spec.title).toEqual([]);
			}
	});

	it('routes a link that skips steps around them, with its label beside the steps', () => {
		// 受理 → 送达 straight down would run through 审查 and 决定.
		const skipping: FlowchartData = { ...chart, edges: { ...chart.edges, skip: { source: 'a', target: 'e', label: '免于审查' }, back: { source: 'e', target: 'c', label: '退回' } } };
		const svg = renderFlowchartSvg(skipping, {});
		expect(crossings(svg)).toEqual([]);
		const skip = drawn(svg).edges.find((e) => e.id === 'skip')!;
		expect(skip.points.length).toBeGreaterThan(3);
		expect(skip.plate).not.toBeNull();
	});

	it('keeps lines and labels off the steps of generated charts', () => {
		for (let seed = 1; seed <= 25; seed++) {
			const data = generatedChart(seed);
			const svg = renderFlowchartSvg(data, {});
			expect(drawn(svg).edges.length, `seed ${seed}`).toBe(Object.keys(data.edges).length);
			expect(crossings(svg), `seed ${seed}`).toEqual([]);
		}
	});
});
