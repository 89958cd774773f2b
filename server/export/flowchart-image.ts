import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { renderAsync } from '@resvg/resvg-js';
import { errorFields, log } from '../log.ts';
import { flowFonts, type FlowFonts } from './cjk-font.ts';
import { encodePng } from './png.ts';
import { textToPaths } from './svg-text.ts';

/**
 * Flowchart SVG (collab/schema/flowchart-svg.ts) → PNG, for the Word export. The text becomes
 * glyph outlines first (svg-text.ts, from the Noto Sans CJK face read once per process), so
 * resvg loads no font at all; rendering and compression run on the libuv thread pool. Pictures
 * are kept for a while: an edition never changes, and is downloaded more than once.
 */

export type FlowchartImage = {
	png: Buffer;
	/** Pixel size of the PNG. */
	width: number;
	height: number;
	/** Size to show it at, in CSS px (1/96 in): its natural size, or smaller to fit the box. */
	displayWidth: number;
	displayHeight: number;
};

/** Somewhere pictures outlive the process (an edition's pictures, drawn once when it is published). */
export type PictureStore = {
	get(key: string): Promise<FlowchartImage | null>;
	put(key: string, image: FlowchartImage): Promise<void>;
};

export type FlowchartImageOptions = {
	/** Kept pictures beyond this process's memory: looked up first, filled after drawing. */
	store?: PictureStore;
	/** Largest size to show the picture at, CSS px; it is scaled down to fit, never up. */
	box?: { width: number; height: number };
	/** Pixels per inch at the size it is shown: 192 is crisp in print. */
	dpi?: number;
	fonts?: FlowFonts;
};

export const DEFAULT_DPI = 192;

/** The drawing's own size in CSS px, from the root element's width and height. */
function naturalSize(svg: string): { width: number; height: number } | null {
	const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
	const width = parseFloat(/\swidth="([\d.]+)(?:px)?"/.exec(root)?.[1] ?? '');
	const height = parseFloat(/\sheight="([\d.]+)(?:px)?"/.exec(root)?.[1] ?? '');
	return width > 0 && height > 0 ? { width, height } : null;
}

/** Recently rendered pictures by SVG and options, least recently used first out. */
const cache = new Map<string, FlowchartImage>();
let cachedBytes = 0;
const CACHE_BYTES = 48 << 20;
const CACHE_IDLE_MS = 10 * 60_000;
const idle = setTimeout(() => {
	cache.clear();
	cachedBytes = 0;
}, CACHE_IDLE_MS);
idle.unref();

function remember(key: string, image: FlowchartImage) {
	cache.set(key, image);
	cachedBytes += image.png.length;
	for (const [k, v] of cache) {
		if (cachedBytes <= CACHE_BYTES) break;
		cache.delete(k);
		cachedBytes -= v.png.length;
	}
}

export async function flowchartPng(svg: string, opts: FlowchartImageOptions = {}): Promise<FlowchartImage> {
	const key = createHash('sha256').update(`${opts.dpi ?? DEFAULT_DPI}|${opts.box?.width}x${opts.box?.height}|${svg}`).digest('base64');
	const hit = cache.get(key);
	idle.refresh();
	if (hit) {
		cache.delete(key);
		cache.set(key, hit);
		return hit;
	}
	const kept = await opts.store?.get(key).catch(() => null);
	if (kept) {
		remember(key, kept);
		return kept;
	}
	const image = await render(svg, opts);
	remember(key, image);
	await opts.store?.put(key, image).catch((err) => log.warn('flowchart picture not kept', errorFields(err)));
	return image;
}

async function render(svg: string, opts: FlowchartImageOptions): Promise<FlowchartImage> {
	const fonts = opts.fonts ?? flowFonts();
	const natural = naturalSize(svg);
	// Rendered for the size it is shown at: a tall chart shrunk to fit a page needs fewer pixels.
	const fit = natural && opts.box ? Math.min(1, opts.box.width / natural.width, opts.box.height / natural.height) : 1;
	const scale = ((opts.dpi ?? DEFAULT_DPI) / 96) * fit;
	const image = await renderAsync(textToPaths(svg, fonts), { font: { loadSystemFonts: false }, fitTo: { mode: 'zoom', value: scale } });
	const { width, height } = image;
	const png = await encodePng(image.pixels, width, height, opts.dpi ?? DEFAULT_DPI);
	return { png, width, height, displayWidth: (natural?.width ?? width / scale) * fit, displayHeight: (natural?.height ?? height / scale) * fit };
}

/**
 * Many charts at once, a few in flight (the machine's cores), in the order given. A chart that
 * cannot be drawn is logged and comes back null, so one bad picture does not sink a whole book;
 * a missing font does (FontMissingError). `onDone` is called after each one, for progress.
 */
export async function flowchartPngs(
	svgs: string[],
	opts: FlowchartImageOptions & { onDone?: (done: number, total: number) => void } = {}
): Promise<(FlowchartImage | null)[]> {
	const fonts = opts.fonts ?? flowFonts();
	const out: (FlowchartImage | null)[] = new Array(svgs.length).fill(null);
	let next = 0;
	let done = 0;
	const worker = async () => {
		while (next < svgs.length) {
			const i = next++;
			try {
				out[i] = await flowchartPng(svgs[i], { ...opts, fonts });
			} catch (err) {
				log.error('flowchart picture failed', { index: i, ...errorFields(err) });
			}
			opts.onDone?.(++done, svgs.length);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism() + 1, svgs.length)) }, worker));
	return out;
}

/** Forgets every kept picture (for measuring a cold export). */
export function clearFlowchartCache() {
	cache.clear();
	cachedBytes = 0;
}
