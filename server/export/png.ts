import { promisify } from 'node:util';
import zlib from 'node:zlib';

const deflate = promisify(zlib.deflate);

/**
 * PNG from a premultiplied RGBA pixmap (what resvg renders), flattened onto white. Flowcharts
 * have few colours (black, greys, the three risk colours and their anti-aliasing: ~170), so
 * they become 8-bit palette images: a quarter of the data of RGBA, and several times faster
 * than resvg's own encoder, which dominated the time per chart. More than 256 colours fall
 * back to RGB. Compression runs on the libuv thread pool.
 */
export async function encodePng(rgba: Uint8Array, width: number, height: number, dpi = 96): Promise<Buffer> {
	const pixels = width * height;
	// Whole pixels as numbers (little-endian: 0xAABBGGRR); copied only if the buffer is not aligned.
	const words = rgba.byteOffset % 4 ? new Uint32Array(rgba.slice().buffer, 0, pixels) : new Uint32Array(rgba.buffer, rgba.byteOffset, pixels);
	const palette = new Map<number, number>();
	const indexed = Buffer.alloc(height * (width + 1)); // each row starts with its filter type: 0 none, 2 up
	let prev = -1;
	let prevIndex = 0;
	let overflow = false;
	const rowBytes = 4 * width;
	outer: for (let y = 0, i = 0; y < height; y++) {
		let o = y * (width + 1) + 1;
		// Much of a chart repeats the row above (white space, vertical lines): PNG's "Up" filter
		// codes such a row as zeros, and the comparison runs natively.
		if (y > 0 && Buffer.compare(rgba.subarray((y - 1) * rowBytes, y * rowBytes), rgba.subarray(y * rowBytes, (y + 1) * rowBytes)) === 0) {
			indexed[o - 1] = 2;
			i += width;
			continue;
		}
		for (let x = 0; x < width; x++, i++, o++) {
			const c = words[i];
			if (c !== prev) {
				let k = palette.get(c);
				if (k === undefined) {
					k = palette.size;
					if (k > 255) {
						overflow = true;
						break outer;
					}
					palette.set(c, k);
				}
				prev = c;
				prevIndex = k;
			}
			indexed[o] = prevIndex;
		}
	}
	const chunks: Buffer[] = [];
	let data: Buffer;
	if (!overflow) {
		chunks.push(chunk('IHDR', ihdr(width, height, 3)));
		const plte = Buffer.alloc(3 * palette.size);
		for (const [c, k] of palette) plte.writeUIntBE(onWhite(c), 3 * k, 3);
		chunks.push(chunk('PLTE', plte));
		data = indexed;
	} else {
		chunks.push(chunk('IHDR', ihdr(width, height, 2)));
		data = Buffer.alloc(height * (3 * width + 1));
		for (let y = 0, i = 0; y < height; y++) {
			let o = y * (3 * width + 1) + 1;
			for (let x = 0; x < width; x++, i++, o += 3) data.writeUIntBE(onWhite(words[i]), o, 3);
		}
	}
	const phys = Buffer.alloc(9);
	const perMetre = Math.round(dpi / 0.0254);
	phys.writeUInt32BE(perMetre, 0);
	phys.writeUInt32BE(perMetre, 4);
	phys[8] = 1;
	chunks.push(chunk('pHYs', phys), chunk('IDAT', await deflate(data, { level: 4 })), chunk('IEND', Buffer.alloc(0)));
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

/** A premultiplied 0xAABBGGRR pixel flattened onto white, as 0xRRGGBB. */
function onWhite(c: number): number {
	const blank = 255 - (c >>> 24);
	const r = Math.min(255, (c & 0xff) + blank);
	const g = Math.min(255, ((c >>> 8) & 0xff) + blank);
	const b = Math.min(255, ((c >>> 16) & 0xff) + blank);
	return (r << 16) | (g << 8) | b;
}

function ihdr(width: number, height: number, colourType: 2 | 3): Buffer {
	const h = Buffer.alloc(13);
	h.writeUInt32BE(width, 0);
	h.writeUInt32BE(height, 4);
	h[8] = 8;
	h[9] = colourType;
	return h;
}

function chunk(type: string, data: Buffer): Buffer {
	const out = Buffer.alloc(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'latin1');
	data.copy(out, 8);
	out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
	return out;
}
