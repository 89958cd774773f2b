import type { FlowchartData, FlowStep, StepKind } from './flowchart.ts';
import { hexInset, routeChart, type Box, type EdgeEnds, type Point } from './flowchart-route.ts';
import { LEVEL_COLOR, LEVEL_LABEL, LEVEL_RANK, type RiskLevel } from './risk-table.ts';

// Edge geometry lives in flowchart-route.ts; these names are part of this module's surface too.
export { anchorPoint, edgeEnds, labelPoint, PAIR_SHIFT, routeEdge, type Box, type EdgeEnds, type Point, type Side } from './flowchart-route.ts';

/**
 * 权力运行流程图 as a standalone SVG string, drawn like a printed government flowchart: black
 * lines, white boxes, red accents only for risk points. No DOM needed: the server (export, API
 * previews) and the browser (read-only view, and every step box of the Svelte Flow editor) use
 * these same functions, so every rendering shows the same picture.
 *
 * Coordinates: a step's `x`, `y` are the CENTRE of its box. Box sizes follow from the text
 * (`stepLayout`), measured with a font-metric estimate good enough for CJK text.
 */

export const FLOW_FONT = "'Noto Sans CJK SC','Microsoft YaHei',sans-serif";

/** Colours of the printed picture. */
export const FLOW_INK = {
	line: '#1f1f1f',
	edge: '#333333',
	text: '#111111',
	muted: '#4b4b4b',
	/** Badge of a risk point that has no graded risk row yet. */
	ungraded: '#8d8d8d',
	paper: '#ffffff'
} as const;

const LABEL_SIZE = 14;
const LABEL_LH = 19;
const DETAIL_SIZE = 12;
const DETAIL_LH = 16;
const PAD_X = 14;
const PAD_Y = 9;
const MIN_W = 148;
const MAX_W = 236;
const MIN_H = 42;
/** Badge radius. */
export const BADGE_R = 10;

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f\u2014\u2026\u201c\u201d\u2018\u2019]/;

/** Approximate advance width of `text` at `size` px in a CJK sans font. */
export function textWidth(text: string, size: number): number {
	let em = 0;
	for (const ch of text) {
		if (CJK.test(ch)) em += 1;
		else if (ch === ' ') em += 0.33;
		else if (ch === '·') em += 0.6;
		else if (ch === '.' || ch === ',' || ch === ':' || ch === ';' || ch === '|') em += 0.32;
		else if (ch === '/' || ch === '(' || ch === ')' || ch === '-') em += 0.4;
		else if (/[0-9]/.test(ch)) em += 0.56;
		else if (/[A-Z]/.test(ch)) em += 0.66;
		else if (/[a-z]/.test(ch)) em += 0.52;
		else em += 0.62;
	}
	return em * size;
}

/** Breaks `text` into at most `maxLines` lines of `maxWidth` (characters may break anywhere; CJK has no spaces). */
export function wrapText(text: string, size: number, maxWidth: number, maxLines: number): string[] {
	const lines: string[] = [];
	let line = '';
	const chars = [...text];
	for (let i = 0; i < chars.length; i++) {
		const next = line + chars[i];
		if (line && textWidth(next, size) > maxWidth) {
			if (lines.length === maxLines - 1) {
				let last = line;
				while (last.length > 1 && textWidth(last + '…', size) > maxWidth) last = [...last].slice(0, -1).join('');
				lines.push(last + '…');
				return lines;
			}
			lines.push(line);
			line = chars[i];
		} else line = next;
	}
	if (line || !lines.length) lines.push(line);
	return lines;
}

/** 时限 as printed: "5个工作日", "当场" for 0, "" when not set. */
export function limitText(limitDays: number | null | undefined): string {
	if (limitDays === null || limitDays === undefined) return '';
	return limitDays === 0 ? '当场办结' : `${limitDays}个工作日`;
}

/** The second line of a step box: "受理窗口 · 5个工作日". */
export function stepDetail(step: Pick<FlowStep, 'post' | 'limitDays'>): string {
	return [step.post?.trim(), limitText(step.limitDays)].filter(Boolean).join(' · ');
}

export type StepLayout = { width: number; height: number; labelLines: string[]; detailLines: string[] };

/** Extra width a shape needs around its text: the hexagon's points, the pill's round ends. */
function shapeAllowance(kind: StepKind, height: number): number {
	if (kind === 'decision') return 2 * hexInset(height) + 6;
	if (kind === 'start' || kind === 'end') return height * 0.45;
	return 0;
}

/** Size and text lines of a step box. */
export function stepLayout(step: Pick<FlowStep, 'label' | 'post' | 'limitDays' | 'kind'>): StepLayout {
	const kind = step.kind ?? 'step';
	const guessH = 2 * PAD_Y + LABEL_LH + DETAIL_LH;
	const allowance = shapeAllowance(kind, guessH);
	const inner = MAX_W - 2 * PAD_X - allowance;
	const label = step.label?.trim() || '（未命名步骤）';
	const labelLines = wrapText(label, LABEL_SIZE, inner, 3);
	const detail = stepDetail(step);
	let detailLines: string[] = [];
	if (detail) {
		if (textWidth(detail, DETAIL_SIZE) <= inner) detailLines = [detail];
		else
			detailLines = [step.post?.trim() ?? '', limitText(step.limitDays)]
				.filter(Boolean)
				.flatMap((part) => wrapText(part, DETAIL_SIZE, inner, 1));
	}
	const textW = Math.max(...labelLines.map((l) => textWidth(l, LABEL_SIZE)), ...detailLines.map((l) => textWidth(l, DETAIL_SIZE)));
	const height = Math.max(MIN_H, Math.round(2 * PAD_Y + labelLines.length * LABEL_LH + (detailLines.length ? 2 + detailLines.length * DETAIL_LH : 0)));
	const width = Math.round(Math.min(MAX_W, Math.max(MIN_W, textW + 2 * PAD_X + shapeAllowance(kind, height))));
	return { width, height, labelLines, detailLines };
}

export function stepBox(step: FlowStep): Box {
	const { width, height } = stepLayout(step);
	return { x: step.x, y: step.y, width, height, kind: step.kind };
}

/** SVG path data of a polyline with slightly rounded corners. */
export function polylinePath(pts: Point[], radius = 4): string {
	if (!pts.length) return '';
	const f = (n: number) => String(Math.round(n * 10) / 10);
	let d = `M${f(pts[0].x)},${f(pts[0].y)}`;
	for (let i = 1; i < pts.length; i++) {
		const p = pts[i];
		const next = pts[i + 1];
		if (!next) {
			d += ` L${f(p.x)},${f(p.y)}`;
			break;
		}
		const prev = pts[i - 1];
		const r = Math.min(radius, dist(prev, p) / 2, dist(p, next) / 2);
		const a = towards(p, prev, r);
		const b = towards(p, next, r);
		d += ` L${f(a.x)},${f(a.y)} Q${f(p.x)},${f(p.y)} ${f(b.x)},${f(b.y)}`;
	}
	return d;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
function towards(from: Point, to: Point, d: number): Point {
	const len = dist(from, to) || 1;
	return { x: from.x + ((to.x - from.x) * d) / len, y: from.y + ((to.y - from.y) * d) / len };
}

export const EDGE_LABEL_SIZE = 12;
/** Size of an edge label's white plate. */
export function edgeLabelSize(label: string): { width: number; height: number } {
	return { width: Math.ceil(textWidth(label, EDGE_LABEL_SIZE) + 8), height: 17 };
}

// ---------------------------------------------------------------------------------------------
// Drawing

export function escapeXml(s: string): string {
	return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const n = (v: number) => String(Math.round(v * 10) / 10);

function shapePath(kind: StepKind, w: number, h: number, inset = 0): string {
	const i = inset;
	if (kind === 'decision') {
		const k = hexInset(h);
		const ki = k + i * 0.45;
		return `<polygon points="${n(ki)},${n(i)} ${n(w - ki)},${n(i)} ${n(w - i)},${n(h / 2)} ${n(w - ki)},${n(h - i)} ${n(ki)},${n(h - i)} ${n(i)},${n(h / 2)}"`;
	}
	const rx = kind === 'start' || kind === 'end' ? (h - 2 * i) / 2 : Math.max(0, 3 - i / 2);
	return `<rect x="${n(i)}" y="${n(i)}" width="${n(w - 2 * i)}" height="${n(h - 2 * i)}" rx="${n(rx)}"`;
}

export type StepSvgOptions = {
	/** Adds data attributes and a pointer cursor to the badge, for click handling. */
	interactive?: boolean;
	/** Omits the <title> tooltip (the editor shows the fields next to the chart). */
	tooltip?: boolean;
};

/**
 * One step box in local coordinates (0,0)–(width,height): shape, text, 关节点 double frame and
 * the risk badge (which pokes out of the top-right corner). Returns SVG elements, no <svg>.
 */
export function stepSvg(id: string, step: FlowStep, level: RiskLevel | null | undefined, opts: StepSvgOptions = {}): string {
	const { width: w, height: h, labelLines, detailLines } = stepLayout(step);
	const kind = step.kind ?? 'step';
	const out: string[] = [];
	out.push(`<g class="fc-step" data-step-id="${escapeXml(id)}">`);
	if (opts.tooltip !== false) {
		const tip = [step.label, step.post && `责任岗位：${step.post}`, limitText(step.limitDays) && `时限：${limitText(step.limitDays)}`, step.control && `关节点${step.duty ? `：${step.duty}` : ''}`]
			.filter(Boolean)
			.join('\n');
		out.push(`<title>${escapeXml(tip)}</title>`);
	}
	out.push(`${shapePath(kind, w, h)} fill="${FLOW_INK.paper}" stroke="${FLOW_INK.line}" stroke-width="${step.control ? 1.6 : 1.2}"/>`);
	if (step.control) out.push(`${shapePath(kind, w, h, 3.5)} fill="none" stroke="${FLOW_INK.line}" stroke-width="0.8"/>`);
	const contentH = labelLines.length * LABEL_LH + (detailLines.length ? 2 + detailLines.length * DETAIL_LH : 0);
	let y = (h - contentH) / 2;
	for (const line of labelLines) {
		out.push(`<text x="${n(w / 2)}" y="${n(y + LABEL_LH / 2 + LABEL_SIZE * 0.36)}" text-anchor="middle" font-size="${LABEL_SIZE}" font-weight="600" fill="${FLOW_INK.text}">${escapeXml(line)}</text>`);
		y += LABEL_LH;
	}
	if (detailLines.length) y += 2;
	for (const line of detailLines) {
		out.push(`<text x="${n(w / 2)}" y="${n(y + DETAIL_LH / 2 + DETAIL_SIZE * 0.36)}" text-anchor="middle" font-size="${DETAIL_SIZE}" fill="${FLOW_INK.muted}">${escapeXml(line)}</text>`);
		y += DETAIL_LH;
	}
	if (step.control) {
		// A small filled flag in the top-left corner marks the 关节点 (also in the legend).
		const fx = kind === 'decision' ? hexInset(h) + 2 : kind === 'step' ? 0 : h / 2 - 4;
		out.push(`<path d="M${n(fx)},0 h12 l-12,12 z" fill="${FLOW_INK.line}"/>`);
	}
	if (step.risk || level) out.push(badgeSvg(id, level ?? null, w - (kind === 'step' ? 2 : kind === 'decision' ? hexInset(h) : h / 2 - 2), 2, opts.interactive));
	out.push('</g>');
	return out.join('');
}

/** The round 廉政风险点 badge: 高/中/低 in the level's colour, or a grey 险 when not graded yet. */
export function badgeSvg(stepId: string, level: RiskLevel | null, cx: number, cy: number, interactive = false): string {
	const color = level ? LEVEL_COLOR[level] : FLOW_INK.ungraded;
	const text = level ? LEVEL_LABEL[level] : '险';
	const title = level ? `廉政风险点（${LEVEL_LABEL[level]}风险）` : '廉政风险点（未定级）';
	const attrs = interactive ? ` data-badge-step="${escapeXml(stepId)}" role="button" tabindex="0" style="cursor:pointer"` : '';
	return (
		`<g class="fc-badge" data-level="${level ?? 'none'}"${attrs}><title>${title}</title>` +
		`<circle cx="${n(cx)}" cy="${n(cy)}" r="${BADGE_R}" fill="${color}" stroke="${FLOW_INK.paper}" stroke-width="1.5"/>` +
		`<text x="${n(cx)}" y="${n(cy + 4.2)}" text-anchor="middle" font-size="12" font-weight="700" fill="#ffffff">${text}</text></g>`
	);
}

export type EdgeGeometry = { id: string; source: string; target: string; label: string; ends: EdgeEnds; points: Point[]; plate: Box | null };

/** Route and label plate of every drawable edge of a chart (lines go around steps, labels off them). */
export function edgeGeometry(data: FlowchartData): EdgeGeometry[] {
	const boxes = new Map(Object.entries(data.nodes).map(([id, s]) => [id, stepBox(s)]));
	const requests = Object.entries(data.edges).map(([id, e]) => ({ id, source: e.source, target: e.target, label: e.label ? edgeLabelSize(e.label) : null }));
	const labels = new Map(Object.entries(data.edges).map(([id, e]) => [id, e.label ?? '']));
	return routeChart(boxes, requests).map((r) => ({ ...r, label: labels.get(r.id) ?? '', plate: r.label }));
}

/** SVG elements of one edge: line with arrowhead and its label on a white plate. */
export function edgeSvg(e: Pick<EdgeGeometry, 'id' | 'source' | 'target' | 'points' | 'label' | 'plate'>, markerId: string): string {
	let s = `<g class="fc-edge" data-edge-id="${escapeXml(e.id)}" data-source="${escapeXml(e.source)}" data-target="${escapeXml(e.target)}">`;
	s += `<path d="${polylinePath(e.points)}" fill="none" stroke="${FLOW_INK.edge}" stroke-width="1.2" marker-end="url(#${markerId})"/>`;
	if (e.label && e.plate) {
		const p = e.plate;
		s +=
			`<rect class="fc-edge-label" x="${n(p.x - p.width / 2)}" y="${n(p.y - p.height / 2)}" width="${p.width}" height="${p.height}" fill="${FLOW_INK.paper}"/>` +
			`<text x="${n(p.x)}" y="${n(p.y + EDGE_LABEL_SIZE * 0.36)}" text-anchor="middle" font-size="${EDGE_LABEL_SIZE}" fill="${FLOW_INK.edge}">${escapeXml(e.label)}</text>`;
	}
	return s + '</g>';
}

export function arrowMarker(id: string): string {
	return `<marker id="${id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,1 L10,5 L0,9 z" fill="${FLOW_INK.edge}"/></marker>`;
}

export type FlowchartSvgOptions = {
	/** A caption above the chart, e.g. "铁路机车车辆驾驶人员资格许可权力运行流程图". */
	title?: string;
	/** The legend of badges and 关节点 below the chart (default: when the chart has any). */
	legend?: boolean;
	/** Margin around the drawing, px (default 16). */
	padding?: number;
	/** Prefix of element ids (the arrow marker), unique per page when several charts are inline. */
	idPrefix?: string;
	/** Badges carry `data-badge-step` and look clickable (browser read-only view). */
	interactive?: boolean;
};

function hash(s: string): string {
	let h = 5381;
	for (let i = 0; i < s.length; i++) h = ((h << 5) + h + s.charCodeAt(i)) | 0;
	return (h >>> 0).toString(36);
}

/** Highest risk level per step, from the risk rows (`riskRow` attributes `stepId`, `level`). */
export function riskLevelsByStep(riskRows: { stepId: string | null; level: string | null }[]): Record<string, RiskLevel> {
	const out: Record<string, RiskLevel> = {};
	for (const { stepId, level } of riskRows) {
		if (!stepId || !level || !(level in LEVEL_RANK)) continue;
		const l = level as RiskLevel;
		if (!out[stepId] || LEVEL_RANK[l] > LEVEL_RANK[out[stepId]]) out[stepId] = l;
	}
	return out;
}

/**
 * The whole flowchart as a standalone SVG document string. `levels` gives each risk step's
 * highest linked risk level (see `riskLevelsByStep`); a risk step without one gets a grey badge.
 */
export function renderFlowchartSvg(data: FlowchartData, levels: Record<string, RiskLevel> = {}, opts: FlowchartSvgOptions = {}): string {
	const pad = opts.padding ?? 16;
	const prefix = opts.idPrefix ?? 'fc' + hash(JSON.stringify(data) + JSON.stringify(levels));
	const markerId = `${prefix}-arrow`;
	const steps = Object.entries(data.nodes);
	let minX = Infinity;
	let minY = Infinity;
	let maxX = -Infinity;
	let maxY = -Infinity;
	const grow = (x0: number, y0: number, x1: number, y1: number) => {
		minX = Math.min(minX, x0);
		minY = Math.min(minY, y0);
		maxX = Math.max(maxX, x1);
		maxY = Math.max(maxY, y1);
	};

	const body: string[] = [];
	const edges = edgeGeometry(data);
	body.push('<g class="fc-edges">');
	for (const e of edges) {
		body.push(edgeSvg(e, markerId));
		for (const p of e.points) grow(p.x, p.y, p.x, p.y);
		if (e.label && e.plate) grow(e.plate.x - e.plate.width / 2, e.plate.y - e.plate.height / 2, e.plate.x + e.plate.width / 2, e.plate.y + e.plate.height / 2);
	}
	body.push('</g><g class="fc-steps">');
	for (const [id, step] of steps) {
		const { width, height } = stepLayout(step);
		const x0 = step.x - width / 2;
		const y0 = step.y - height / 2;
		body.push(`<g transform="translate(${n(x0)},${n(y0)})">${stepSvg(id, step, levels[id], { interactive: opts.interactive })}</g>`);
		grow(x0, y0 - BADGE_R + 2, x0 + width + BADGE_R, y0 + height);
	}
	body.push('</g>');
	if (!steps.length) {
		body.push(`<rect x="0" y="0" width="240" height="56" fill="none" stroke="${FLOW_INK.ungraded}" stroke-dasharray="4 3"/>`);
		body.push(`<text x="120" y="33" text-anchor="middle" font-size="13" fill="${FLOW_INK.muted}">（流程图暂无步骤）</text>`);
		grow(0, 0, 240, 56);
	}

	// Caption above and legend below, centred on the drawing.
	const hasRisk = steps.some(([id, s]) => s.risk || levels[id]);
	const hasControl = steps.some(([, s]) => s.control);
	const legendOn = opts.legend ?? (hasRisk || hasControl);
	const extra: string[] = [];
	if (opts.title) {
		const tw = textWidth(opts.title, 16);
		const cx = (minX + maxX) / 2;
		const ty = minY - 18;
		extra.push(`<text x="${n(cx)}" y="${n(ty)}" text-anchor="middle" font-size="16" font-weight="700" fill="${FLOW_INK.text}">${escapeXml(opts.title)}</text>`);
		grow(cx - tw / 2, ty - 16, cx + tw / 2, ty);
	}
	if (legendOn) {
		const items: { mark: (x: number, y: number) => string; text: string }[] = [];
		for (const level of ['high', 'medium', 'low'] as const)
			items.push({ mark: (x, y) => badgeSvg('', level, x + BADGE_R, y, false), text: `${LEVEL_LABEL[level]}风险点` });
		items.push({ mark: (x, y) => badgeSvg('', null, x + BADGE_R, y, false), text: '风险点（未定级）' });
		items.push({
			mark: (x, y) =>
				`<rect x="${n(x)}" y="${n(y - 8)}" width="24" height="16" rx="2" fill="#fff" stroke="${FLOW_INK.line}" stroke-width="1.6"/>` +
				`<rect x="${n(x + 3)}" y="${n(y - 5)}" width="18" height="10" rx="1" fill="none" stroke="${FLOW_INK.line}" stroke-width="0.8"/>` +
				`<path d="M${n(x)},${n(y - 8)} h8 l-8,8 z" fill="${FLOW_INK.line}"/>`,
			text: '关节点'
		});
		const itemW = items.map((it) => 24 + 6 + textWidth(it.text, 12));
		const gapW = 18;
		const labelW = textWidth('图例：', 12);
		const total = labelW + itemW.reduce((a, b) => a + b, 0) + gapW * (items.length - 1);
		let x = (minX + maxX) / 2 - total / 2;
		const y = maxY + 30;
		extra.push(`<g class="fc-legend" font-size="12" fill="${FLOW_INK.muted}">`);
		extra.push(`<text x="${n(x)}" y="${n(y + 4.2)}">图例：</text>`);
		x += labelW;
		items.forEach((it, i) => {
			extra.push(it.mark(x, y));
			extra.push(`<text x="${n(x + 30)}" y="${n(y + 4.2)}">${escapeXml(it.text)}</text>`);
			x += itemW[i] + gapW;
		});
		extra.push('</g>');
		grow((minX + maxX) / 2 - total / 2, y - BADGE_R - 1, (minX + maxX) / 2 + total / 2, y + BADGE_R + 1);
	}

	const vx = Math.floor(minX - pad);
	const vy = Math.floor(minY - pad);
	const vw = Math.ceil(maxX - minX + 2 * pad);
	const vh = Math.ceil(maxY - minY + 2 * pad);
	const aria = opts.title ?? '权力运行流程图';
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" class="flowchart-svg" width="${vw}" height="${vh}" viewBox="${vx} ${vy} ${vw} ${vh}" ` +
		`font-family="${FLOW_FONT}" role="img" aria-label="${escapeXml(aria)}">` +
		`<defs>${arrowMarker(markerId)}</defs>` +
		`<rect x="${vx}" y="${vy}" width="${vw}" height="${vh}" fill="${FLOW_INK.paper}"/>` +
		body.join('') +
		extra.join('') +
		'</svg>'
	);
}
