import { inflateSync } from 'node:zlib';

export type DecodedPng = { width: number; height: number; colourType: number; dpi: number | null; rgb: (x: number, y: number) => [number, number, number] };

/** Decodes an 8-bit palette or RGB(A) PNG (all five row filters), to look at its pixels in tests. */
export function decodePng(png: Buffer): DecodedPng {
	if (png.toString('latin1', 1, 4) !== 'PNG') throw new Error('not a PNG');
	let p = 8;
	let width = 0;
	let height = 0;
	let colourType = 0;
	let palette: Buffer = Buffer.alloc(0);
	let dpi: number | null = null;
	const idat: Buffer[] = [];
	while (p < png.length) {
		const len = png.readUInt32BE(p);
		const type = png.toString('latin1', p + 4, p + 8);
		const data = png.subarray(p + 8, p + 8 + len);
		if (type === 'IHDR') {
			width = data.readUInt32BE(0);
			height = data.readUInt32BE(4);
			if (data[8] !== 8) throw new Error('only 8-bit PNGs');
			colourType = data[9];
		} else if (type === 'PLTE') palette = data;
		else if (type === 'pHYs' && data[8] === 1) dpi = Math.round(data.readUInt32BE(0) * 0.0254);
		else if (type === 'IDAT') idat.push(data);
		p += 12 + len;
	}
	const bpp = colourType === 3 ? 1 : colourType === 2 ? 3 : colourType === 6 ? 4 : 0;
	if (!bpp) throw new Error(`colour type ${colourType} not supported`);
	const raw = inflateSync(Buffer.concat(idat));
	const stride = width * bpp;
	const out = Buffer.alloc(stride * height);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		for (let i = 0; i < stride; i++) {
			const a = i >= bpp ? out[y * stride + i - bpp] : 0;
			const b = y > 0 ? out[(y - 1) * stride + i] : 0;
			const c = i >= bpp && y > 0 ? out[(y - 1) * stride + i - bpp] : 0;
			let v = row[i];
			if (filter === 1) v += a;
			else if (filter === 2) v += b;
			else if (filter === 3) v += (a + b) >> 1;
			else if (filter === 4) {
				const pa = Math.abs(b - c);
				const pb = Math.abs(a - c);
				const pc = Math.abs(a + b - 2 * c);
				v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
			}
			out[y * stride + i] = v & 0xff;
		}
	}
	const rgb = (x: number, y: number): [number, number, number] => {
		const o = y * stride + x * bpp;
		if (colourType === 3) return [palette[3 * out[o]], palette[3 * out[o] + 1], palette[3 * out[o] + 2]];
		return [out[o], out[o + 1], out[o + 2]];
	};
	return { width, height, colourType, dpi, rgb };
}

/** How many pixels in the box are dark (text, lines). */
export function darkPixels(img: DecodedPng, box = { x: 0, y: 0, width: img.width, height: img.height }, threshold = 128): number {
	let n = 0;
	for (let y = box.y; y < Math.min(img.height, box.y + box.height); y++)
		for (let x = box.x; x < Math.min(img.width, box.x + box.width); x++) {
			const [r, g, b] = img.rgb(x, y);
			if ((r + g + b) / 3 < threshold) n++;
		}
	return n;
}
