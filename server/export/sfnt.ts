/**
 * Just enough of the OpenType container format to find one face in a font collection (.ttc)
 * and map characters to glyphs. See cjk-font.ts for why we read fonts ourselves.
 */

export type SfntFace = { tables: Map<string, Buffer> };

const u16 = (b: Buffer, p: number) => b.readUInt16BE(p);
const u32 = (b: Buffer, p: number) => b.readUInt32BE(p);

function faceAt(file: Buffer, offset: number): SfntFace {
	const count = u16(file, offset + 4);
	const tables = new Map<string, Buffer>();
	for (let i = 0; i < count; i++) {
		const rec = offset + 12 + 16 * i;
		const start = u32(file, rec + 8);
		const length = u32(file, rec + 12);
		if (start + length > file.length) throw new Error(`font table ${file.toString('latin1', rec, rec + 4)} runs past the end of the file`);
		tables.set(file.toString('latin1', rec, rec + 4), file.subarray(start, start + length));
	}
	return { tables };
}

/** Every face of a font file: one for .otf/.ttf, several for a collection (.ttc). */
export function facesOf(file: Buffer): SfntFace[] {
	if (file.length < 12) throw new Error('not a font file');
	const tag = file.toString('latin1', 0, 4);
	if (tag === 'ttcf') {
		const n = u32(file, 8);
		return Array.from({ length: n }, (_, i) => faceAt(file, u32(file, 12 + 4 * i)));
	}
	if (tag === 'OTTO' || tag === 'true' || u32(file, 0) === 0x00010000) return [faceAt(file, 0)];
	throw new Error('not a font file');
}

export function table(face: SfntFace, tag: string): Buffer {
	const t = face.tables.get(tag);
	if (!t) throw new Error(`font has no ${tag.trim()} table`);
	return t;
}

/** A name-table string (Windows Unicode entries, US English first), or '' when absent. */
export function nameOf(face: SfntFace, nameId: number): string {
	const t = face.tables.get('name');
	if (!t) return '';
	const count = u16(t, 2);
	const strings = u16(t, 4);
	let best: { score: number; text: string } | null = null;
	for (let i = 0; i < count; i++) {
		const r = 6 + 12 * i;
		if (u16(t, r) !== 3 || u16(t, r + 6) !== nameId) continue;
		const encoding = u16(t, r + 2);
		if (encoding !== 1 && encoding !== 10) continue;
		const lang = u16(t, r + 4);
		const start = strings + u16(t, r + 10);
		const raw = Buffer.from(t.subarray(start, start + u16(t, r + 8)));
		const score = lang === 0x409 ? 2 : 1;
		if (!best || score > best.score) best = { score, text: raw.swap16().toString('utf16le') };
	}
	return best?.text ?? '';
}

/** The face's character map (code point → glyph id), from its Unicode cmap subtable. */
export function characterMap(face: SfntFace): Map<number, number> {
	const t = table(face, 'cmap');
	const n = u16(t, 2);
	const subtables: { score: number; offset: number }[] = [];
	for (let i = 0; i < n; i++) {
		const platform = u16(t, 4 + 8 * i);
		const encoding = u16(t, 6 + 8 * i);
		const offset = u32(t, 8 + 8 * i);
		const format = u16(t, offset);
		// Format 12 covers all of Unicode; format 4 only the BMP.
		if (format === 12 && ((platform === 3 && encoding === 10) || platform === 0)) subtables.push({ score: 2, offset });
		else if (format === 4 && ((platform === 3 && encoding === 1) || platform === 0)) subtables.push({ score: 1, offset });
	}
	subtables.sort((a, b) => b.score - a.score);
	const chosen = subtables[0];
	if (!chosen) throw new Error('font has no Unicode character map');
	const map = new Map<number, number>();
	const p = chosen.offset;
	if (u16(t, p) === 12) {
		const groups = u32(t, p + 12);
		for (let g = 0; g < groups; g++) {
			const r = p + 16 + 12 * g;
			const start = u32(t, r);
			const end = u32(t, r + 4);
			const gid = u32(t, r + 8);
			for (let c = start; c <= end; c++) map.set(c, gid + (c - start));
		}
		return map;
	}
	const segX2 = u16(t, p + 6);
	const ends = p + 14;
	const starts = ends + segX2 + 2;
	const deltas = starts + segX2;
	const rangeOffsets = deltas + segX2;
	for (let s = 0; s < segX2 / 2; s++) {
		const end = u16(t, ends + 2 * s);
		const start = u16(t, starts + 2 * s);
		const delta = u16(t, deltas + 2 * s);
		const ro = u16(t, rangeOffsets + 2 * s);
		for (let c = start; c <= end && c !== 0xffff; c++) {
			let gid: number;
			if (ro === 0) gid = (c + delta) & 0xffff;
			else {
				const g = u16(t, rangeOffsets + 2 * s + ro + 2 * (c - start));
				gid = g === 0 ? 0 : (g + delta) & 0xffff;
			}
			if (gid) map.set(c, gid);
		}
	}
	return map;
}
