import type { FlowFonts } from './cjk-font.ts';

/**
 * Replaces every <text> of an SVG document with the outlines of its glyphs, so the rasteriser
 * needs no fonts at all. Handles what our SVG producers write: `x`, `y`, `text-anchor`,
 * `font-size`, `font-weight` (on the element or inherited from ancestors), plain text content
 * with XML entities. Line breaks and kerning are not needed: each <text> is one line, and CJK
 * text is set solid.
 */

const INHERITED = ['font-size', 'font-weight', 'text-anchor'] as const;
/** Attributes the glyph outlines take over; the rest (fill, class, opacity…) stay on the group. */
const CONSUMED = new Set(['x', 'y', 'dx', 'dy', 'font-family', 'font-style', 'letter-spacing', ...INHERITED]);

type Style = Partial<Record<(typeof INHERITED)[number], string>>;

const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>/g;
const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attributes(source: string): [string, string][] {
	const out: [string, string][] = [];
	for (const m of source.matchAll(ATTR)) out.push([m[1], m[2] ?? m[3] ?? '']);
	return out;
}

function decodeEntities(s: string): string {
	return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
		if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
		return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e];
	});
}

const num = (v: string | undefined, fallback: number) => {
	const n = v === undefined ? NaN : parseFloat(v);
	return Number.isFinite(n) ? n : fallback;
};
const f = (v: number) => String(Math.round(v * 1e4) / 1e4);

/** The glyph paths of one line of text at (x, y) = the anchor point on the baseline. */
function textOutline(text: string, x: number, y: number, style: Style, fonts: FlowFonts): string {
	// resvg's default size, so the picture is the same as if it had drawn the text itself
	const size = num(style['font-size'], 12);
	const weight = style['font-weight'] ?? 'normal';
	const face = weight === 'bold' || weight === 'bolder' || num(weight, 400) >= 600 ? fonts.bold : fonts.regular;
	const scale = size / face.unitsPerEm;
	const glyphs = [...text.replace(/\s+/g, ' ')].map((ch) => face.glyph(ch.codePointAt(0)!));
	const width = glyphs.reduce((w, g) => w + face.advance(g), 0) * scale;
	const anchor = style['text-anchor'];
	let pen = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
	let out = '';
	for (const g of glyphs) {
		const d = face.path(g);
		if (d) out += `<path transform="matrix(${f(scale)} 0 0 ${f(-scale)} ${f(pen)} ${f(y)})" d="${d}"/>`;
		pen += face.advance(g) * scale;
	}
	return out;
}

export function textToPaths(svg: string, fonts: FlowFonts): string {
	const out: string[] = [];
	const stack: Style[] = [{}];
	let last = 0;
	/** Inside a <text>: its style, position, attributes and the text so far. */
	let text: { style: Style; x: number; y: number; keep: string; content: string; depth: number } | null = null;
	for (const m of svg.matchAll(TAG)) {
		const [whole, closing, name, attrSource, selfClosing, cdata] = m;
		const at = m.index;
		if (text) {
			text.content += decodeEntities(svg.slice(last, at)) + (cdata ?? '');
			last = at + whole.length;
			if (name === 'text' && closing && --text.depth === 0) {
				out.push(`<g${text.keep}>${textOutline(text.content, text.x, text.y, text.style, fonts)}</g>`);
				text = null;
			} else if (name === 'text' && !closing && !selfClosing) text.depth++;
			continue;
		}
		if (!name) continue; // comments and the like pass through untouched
		if (closing) {
			if (stack.length > 1) stack.pop();
			continue;
		}
		const attrs = attributes(attrSource ?? '');
		const style: Style = { ...stack[stack.length - 1] };
		for (const [k, v] of attrs) if ((INHERITED as readonly string[]).includes(k)) style[k as keyof Style] = v;
		if (name === 'text') {
			out.push(svg.slice(last, at));
			const get = (k: string) => attrs.find(([a]) => a === k)?.[1];
			const keep = attrs
				.filter(([k]) => !CONSUMED.has(k))
				// Values are copied as written (entities stay encoded); only a bare double quote, possible in a single-quoted value, needs encoding.
				.map(([k, v]) => ` ${k}="${v.replace(/"/g, '&quot;')}"`)
				.join('');
			const x = num(get('x'), 0) + num(get('dx'), 0);
			const y = num(get('y'), 0) + num(get('dy'), 0);
			if (!selfClosing) text = { style, x, y, keep, content: '', depth: 1 };
			last = at + whole.length;
			continue;
		}
		if (!selfClosing) stack.push(style);
	}
	out.push(svg.slice(last));
	return out.join('');
}
