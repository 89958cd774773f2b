import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import type { FlowchartData, FlowStep } from '../../collab/schema/flowchart.ts';
import { renderFlowchartSvg } from '../../collab/schema/flowchart-svg.ts';
import { FONT_MISSING_MESSAGE, flowFonts, FontMissingError } from '../../server/export/cjk-font.ts';
import { flowchartPng, flowchartPngs } from '../../server/export/flowchart-image.ts';
import { setLogLevel } from '../../server/log.ts';
import { encodePng } from '../../server/export/png.ts';
import { textToPaths } from '../../server/export/svg-text.ts';
import { darkPixels, decodePng } from '../helpers/png.ts';

const step = (label: string, y: number, extra: Partial<FlowStep> = {}): FlowStep => ({
	label,
	x: 0,
	y,
	kind: 'step',
	post: '受理窗口',
	limitDays: 5,
	risk: false,
	control: false,
	duty: '',
	...extra
});

function chart(firstLabel: string): FlowchartData {
	return {
		nodes: { a: step(firstLabel, 0, { kind: 'start' }), b: step('形式审查', 110, { risk: true, control: true }), c: step('许可决定', 220, { kind: 'decision' }) },
		edges: { e1: { source: 'a', target: 'b', label: '' }, e2: { source: 'b', target: 'c', label: '材料齐全' } }
	};
}

const svgSize = (svg: string) => {
	const root = /<svg[^>]*>/.exec(svg)![0];
	return { width: Number(/ width="(\d+)"/.exec(root)![1]), height: Number(/ height="(\d+)"/.exec(root)![1]) };
};

describe('flowchart PNG', () => {
	it('is the drawing at its natural size times dpi/96, and scaled down to fit a box', async () => {
		const svg = renderFlowchartSvg(chart('受理申请'), { b: 'high' });
		const { width, height } = svgSize(svg);

		const at96 = await flowchartPng(svg, { dpi: 96 });
		const png96 = decodePng(at96.png);
		expect([png96.width, png96.height]).toEqual([width, height]);
		expect([at96.displayWidth, at96.displayHeight]).toEqual([width, height]);
		expect(png96.dpi).toBe(96);

		const at192 = await flowchartPng(svg);
		expect([decodePng(at192.png).width, decodePng(at192.png).height]).toEqual([2 * width, 2 * height]);
		expect(at192.displayWidth).toBe(width);

		// A box half the drawing's height: shown at half size, rendered at 192 dpi of that size.
		const boxed = await flowchartPng(svg, { box: { width: 10_000, height: height / 2 } });
		expect(boxed.displayHeight).toBeCloseTo(height / 2, 5);
		expect(boxed.displayWidth).toBeCloseTo(width / 2, 5);
		expect(boxed.height).toBe(height);
	});

	it('draws the Chinese text: the label changes the picture, in the label', async () => {
		// The same drawing with the label's text element emptied: only the glyphs differ.
		const svg = renderFlowchartSvg(chart('受理申请'));
		expect(svg).toContain('>受理申请</text>');
		const withText = decodePng((await flowchartPng(svg, { dpi: 96 })).png);
		const blank = decodePng((await flowchartPng(svg.replace('>受理申请</text>', '></text>'), { dpi: 96 })).png);
		expect([withText.width, withText.height]).toEqual([blank.width, blank.height]);
		// Four bold 14 px characters are a few hundred dark pixels; nothing else differs.
		expect(darkPixels(withText) - darkPixels(blank)).toBeGreaterThan(150);
		const other = decodePng((await flowchartPng(renderFlowchartSvg(chart('许可送达')), { dpi: 96 })).png);
		let differing = 0;
		for (let y = 0; y < other.height; y++) for (let x = 0; x < other.width; x++) if (other.rgb(x, y)[0] !== withText.rgb(x, y)[0]) differing++;
		expect(differing).toBeGreaterThan(100);
	});

	it('matches resvg drawing the same text with the Noto CJK font itself', async () => {
		const svg = renderFlowchartSvg(chart('受理申请（窗口）'), { b: 'medium' }, { title: '行政许可申请统一受理权力运行流程图' });
		const fonts = flowFonts();
		const reference = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [fonts.regular.file, fonts.bold.file], defaultFontFamily: 'Noto Sans CJK SC' } }).render();
		const ours = decodePng((await flowchartPng(svg, { dpi: 96 })).png);
		expect([ours.width, ours.height]).toEqual([reference.width, reference.height]);
		const px = reference.pixels;
		let diff = 0;
		for (let y = 0; y < ours.height; y++)
			for (let x = 0; x < ours.width; x++) {
				const [r, g, b] = ours.rgb(x, y);
				const o = 4 * (y * ours.width + x);
				diff += Math.abs(r - px[o]) + Math.abs(g - px[o + 1]) + Math.abs(b - px[o + 2]);
			}
		// Same outlines, same rasteriser: at most rounding differences.
		expect(diff / (3 * ours.width * ours.height)).toBeLessThan(0.5);
		expect(darkPixels(ours)).toBeGreaterThan(1000);
	});

	it('keeps rendered pictures: the same chart again is the same image', async () => {
		const svg = renderFlowchartSvg(chart('制证送达'));
		const first = await flowchartPng(svg);
		expect(await flowchartPng(svg)).toBe(first);
		expect(await flowchartPng(svg, { dpi: 96 })).not.toBe(first);
	});

	it('renders many charts in order and reports progress', async () => {
		const svgs = ['受理申请', '补正告知', '许可决定'].map((l) => renderFlowchartSvg(chart(l)));
		const seen: number[] = [];
		const images = await flowchartPngs(svgs, { dpi: 96, onDone: (done) => seen.push(done) });
		expect(seen).toEqual([1, 2, 3]);
		for (let i = 0; i < svgs.length; i++) expect(images[i]!.png.equals((await flowchartPng(svgs[i], { dpi: 96 })).png)).toBe(true);
	});

	it('leaves out a chart that cannot be drawn and draws the others', async () => {
		setLogLevel('silent');
		try {
			const images = await flowchartPngs(['<svg xmlns="http://www.w3.org/2000/svg" width="10"', renderFlowchartSvg(chart('受理申请'))], { dpi: 96 });
			expect(images[0]).toBeNull();
			expect(decodePng(images[1]!.png).width).toBeGreaterThan(100);
		} finally {
			setLogLevel('info');
		}
	});

	it('says in Chinese which package to install when the font is missing', () => {
		let error: unknown;
		try {
			flowFonts({ dirs: ['/nonexistent/fonts'], fontconfig: false });
		} catch (err) {
			error = err;
		}
		expect(error).toBeInstanceOf(FontMissingError);
		expect((error as FontMissingError).message).toBe(FONT_MISSING_MESSAGE);
		expect(FONT_MISSING_MESSAGE).toContain('fonts-noto-cjk');
		expect((error as FontMissingError).status).toBe(503);
		expect((error as FontMissingError).searched).toContain('/nonexistent/fonts/NotoSansCJK-Regular.ttc');
	});
});

describe('text to glyph outlines', () => {
	const fonts = flowFonts();
	const paths = (svg: string) => [...svg.matchAll(/<path transform="matrix\(([^)]*)\)" d="([^"]*)"\/>/g)].map((m) => ({ m: m[1].split(' ').map(Number), d: m[2] }));

	it('places glyphs by their advances, anchored, with inherited font size', () => {
		const out = textToPaths('<svg><g font-size="20"><text x="100" y="50" text-anchor="middle" fill="#111">受理</text></g></svg>', fonts);
		expect(out).not.toContain('<text');
		expect(out).toContain('<g fill="#111">');
		const glyphs = paths(out);
		expect(glyphs).toHaveLength(2);
		const em = (fonts.regular.advance(fonts.regular.glyph('受'.codePointAt(0)!)) / fonts.regular.unitsPerEm) * 20;
		expect(em).toBeCloseTo(20, 5); // CJK glyphs are one em wide
		expect(glyphs[0].m).toEqual([0.02, 0, 0, -0.02, 80, 50]);
		expect(glyphs[1].m).toEqual([0.02, 0, 0, -0.02, 100, 50]);
		const end = paths(textToPaths('<svg><text x="100" y="50" font-size="20" text-anchor="end">受理</text></svg>', fonts));
		expect(end[0].m[4]).toBe(60);
	});

	it('decodes entities, uses the bold face from weight 600, and leaves everything else alone', () => {
		const out = textToPaths('<svg><title>受理 &lt;说明&gt;</title><rect x="1" y="1" width="2" height="2"/><text x="0" y="10">&lt;A&amp;B&gt;</text></svg>', fonts);
		expect(out).toContain('<title>受理 &lt;说明&gt;</title><rect x="1" y="1" width="2" height="2"/>');
		expect(paths(out)).toHaveLength(5);
		expect(textToPaths(`<svg><text x='0' y='9' class='a"b' fill='#c62828'>字</text></svg>`, fonts)).toMatch(/^<svg><g class="a&quot;b" fill="#c62828"><path /);
		const regular = paths(textToPaths('<svg><text x="0" y="10">审</text></svg>', fonts))[0].d;
		const bold = paths(textToPaths('<svg><text x="0" y="10" font-weight="600">审</text></svg>', fonts))[0].d;
		expect(regular).toMatch(/^M[-\d.]+ [-\d.]+/);
		expect(bold).not.toBe(regular);
	});
});

describe('PNG encoder', () => {
	it('falls back to RGB when a picture has more than 256 colours', async () => {
		const width = 40;
		const height = 30;
		const rgba = new Uint8Array(width * height * 4);
		// 1 200 different colours.
		const colour = (x: number, y: number) => [x * 6, y * 8, (x + y) % 2 ? 40 : 200];
		for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set([...colour(x, y), 255], 4 * (y * width + x));
		const png = decodePng(await encodePng(rgba, width, height));
		expect(png.colourType).toBe(2);
		expect(png.rgb(5, 3)).toEqual(colour(5, 3));
		expect(png.rgb(39, 29)).toEqual(colour(39, 29));
		const grey = (x: number, y: number) => [(x * 6) & 0xc0, (y * 8) & 0xc0, 90];
		for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set([...grey(x, y), 255], 4 * (y * width + x));
		const few = decodePng(await encodePng(rgba, width, height));
		expect(few.colourType).toBe(3);
		expect(few.rgb(5, 3)).toEqual(grey(5, 3));
		expect(few.rgb(39, 29)).toEqual(grey(39, 29));
	});
});
