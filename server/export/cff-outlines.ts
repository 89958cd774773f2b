/**
 * Glyph outlines out of a CFF table (the outline format of the Noto CJK fonts): the table's
 * structures (INDEX, DICT, FDSelect) and an interpreter for Type 2 charstrings that turns a
 * glyph into SVG path data, in font units with y pointing up. CFF2 and the long-obsolete
 * charstring arithmetic operators are not supported (a glyph using them comes out empty).
 */

/** An INDEX read lazily: the Noto CJK charstrings INDEX has 65 535 entries. */
class Index {
	readonly count: number;
	private readonly data: Buffer;
	private readonly pos: number;
	private readonly offSize: number;
	private readonly base: number;
	constructor(data: Buffer, pos: number) {
		this.data = data;
		this.pos = pos;
		this.count = data.readUInt16BE(pos);
		this.offSize = this.count ? data[pos + 2] : 0;
		this.base = pos + 3 + (this.count + 1) * this.offSize - 1;
	}
	private offset(i: number): number {
		return this.data.readUIntBE(this.pos + 3 + i * this.offSize, this.offSize);
	}
	get end(): number {
		return this.count ? this.base + this.offset(this.count) : this.pos + 2;
	}
	item(i: number): Buffer {
		return this.data.subarray(this.base + this.offset(i), this.base + this.offset(i + 1));
	}
}

/** A DICT's operands by operator ("17", "12 36"); real numbers are read as NaN (we never need one). */
function readDict(data: Buffer): Map<string, number[]> {
	const out = new Map<string, number[]>();
	let operands: number[] = [];
	let p = 0;
	while (p < data.length) {
		const b = data[p];
		if (b <= 21) {
			p++;
			out.set(b === 12 ? `12 ${data[p++]}` : String(b), operands);
			operands = [];
		} else if (b === 28) {
			operands.push(data.readInt16BE(p + 1));
			p += 3;
		} else if (b === 29) {
			operands.push(data.readInt32BE(p + 1));
			p += 5;
		} else if (b === 30) {
			p++;
			while (p < data.length) {
				const x = data[p++];
				if ((x & 0x0f) === 0x0f || x >> 4 === 0x0f) break;
			}
			operands.push(NaN);
		} else if (b >= 32 && b <= 246) {
			operands.push(b - 139);
			p++;
		} else if (b >= 247 && b <= 250) {
			operands.push((b - 247) * 256 + data[p + 1] + 108);
			p += 2;
		} else if (b >= 251 && b <= 254) {
			operands.push(-(b - 251) * 256 - data[p + 1] - 108);
			p += 2;
		} else throw new Error(`bad CFF DICT byte ${b}`);
	}
	return out;
}

const subrBias = (count: number) => (count < 1240 ? 107 : count < 33900 ? 1131 : 32768);

type Subrs = { index: Index | null; bias: number };

export class CffOutlines {
	private readonly cff: Buffer;
	private readonly charStrings: Index;
	private readonly globalSubrs: Subrs;
	/** Local subroutines per font dict; a name-keyed font has one. */
	private readonly localSubrs: Subrs[];
	private readonly fdOf: (gid: number) => number;

	constructor(cff: Buffer) {
		this.cff = cff;
		if (cff[0] !== 1) throw new Error(`CFF version ${cff[0]} is not supported`);
		const names = new Index(cff, cff[2]);
		const tops = new Index(cff, names.end);
		const strings = new Index(cff, tops.end);
		const gsubrs = new Index(cff, strings.end);
		this.globalSubrs = { index: gsubrs, bias: subrBias(gsubrs.count) };
		const top = readDict(tops.item(0));
		const at = (op: string) => {
			const v = top.get(op)?.[0];
			if (v === undefined) throw new Error(`CFF Top DICT lacks operator ${op}`);
			return v;
		};
		this.charStrings = new Index(cff, at('17'));
		if (top.has('12 30')) {
			const fds = new Index(cff, at('12 36'));
			this.localSubrs = Array.from({ length: fds.count }, (_, i) => this.privateSubrs(readDict(fds.item(i)).get('18')));
			this.fdOf = fdSelect(cff, at('12 37'), this.charStrings.count);
		} else {
			this.localSubrs = [this.privateSubrs(top.get('18'))];
			this.fdOf = () => 0;
		}
	}

	get glyphCount(): number {
		return this.charStrings.count;
	}

	private privateSubrs(privateOp: number[] | undefined): Subrs {
		if (!privateOp) return { index: null, bias: 0 };
		const [size, offset] = privateOp;
		const subrs = readDict(this.cff.subarray(offset, offset + size)).get('19')?.[0];
		if (subrs === undefined) return { index: null, bias: 0 };
		const index = new Index(this.cff, offset + subrs);
		return { index, bias: subrBias(index.count) };
	}

	/** SVG path data of glyph `gid` in font units, y up ('' for an empty glyph such as the space). */
	glyphPath(gid: number): string {
		if (gid < 0 || gid >= this.charStrings.count) return '';
		const out = new PathWriter();
		runCharString(this.charStrings.item(gid), this.globalSubrs, this.localSubrs[this.fdOf(gid)] ?? { index: null, bias: 0 }, out);
		return out.finish();
	}
}

function fdSelect(cff: Buffer, offset: number, glyphs: number): (gid: number) => number {
	const format = cff[offset];
	if (format === 0) return (gid) => cff[offset + 1 + gid];
	if (format !== 3) throw new Error(`unknown CFF FDSelect format ${format}`);
	const table = new Uint8Array(glyphs);
	const ranges = cff.readUInt16BE(offset + 1);
	for (let r = 0; r < ranges; r++) {
		const p = offset + 3 + 3 * r;
		table.fill(cff[p + 2], cff.readUInt16BE(p), Math.min(cff.readUInt16BE(p + 3), glyphs));
	}
	return (gid) => table[gid];
}

class PathWriter {
	private parts: string[] = [];
	private open = false;
	x = 0;
	y = 0;
	private static f(v: number): string {
		return String(Math.round(v * 100) / 100);
	}
	moveTo(x: number, y: number) {
		this.close();
		this.x = x;
		this.y = y;
		this.parts.push(`M${PathWriter.f(x)} ${PathWriter.f(y)}`);
		this.open = true;
	}
	lineTo(x: number, y: number) {
		this.x = x;
		this.y = y;
		this.parts.push(`L${PathWriter.f(x)} ${PathWriter.f(y)}`);
	}
	curveTo(x1: number, y1: number, x2: number, y2: number, x: number, y: number) {
		this.x = x;
		this.y = y;
		const f = PathWriter.f;
		this.parts.push(`C${f(x1)} ${f(y1)} ${f(x2)} ${f(y2)} ${f(x)} ${f(y)}`);
	}
	close() {
		if (this.open) this.parts.push('Z');
		this.open = false;
	}
	finish(): string {
		this.close();
		return this.parts.join('');
	}
}

/** Executes a Type 2 charstring (CFF spec, Adobe TN #5177), drawing into `out`. */
function runCharString(code: Buffer, global: Subrs, local: Subrs, out: PathWriter) {
	const stack: number[] = [];
	let stems = 0;
	let widthSeen = false;
	let done = false;
	let depth = 0;
	/** The first stack-clearing operator may carry the advance width as an extra first operand. */
	const dropWidth = (even: boolean) => {
		if (!widthSeen && stack.length % 2 === (even ? 1 : 0)) stack.shift();
		widthSeen = true;
	};
	const curve = (dx1: number, dy1: number, dx2: number, dy2: number, dx3: number, dy3: number) => {
		const x1 = out.x + dx1;
		const y1 = out.y + dy1;
		const x2 = x1 + dx2;
		const y2 = y1 + dy2;
		out.curveTo(x1, y1, x2, y2, x2 + dx3, y2 + dy3);
	};

	const run = (cs: Buffer) => {
		if (++depth > 10) throw new Error('charstring subroutines nested too deep');
		let p = 0;
		while (p < cs.length && !done) {
			const b = cs[p++];
			if (b >= 32) {
				if (b <= 246) stack.push(b - 139);
				else if (b <= 250) stack.push((b - 247) * 256 + cs[p++] + 108);
				else if (b <= 254) stack.push(-(b - 251) * 256 - cs[p++] - 108);
				else {
					stack.push(cs.readInt32BE(p) / 65536);
					p += 4;
				}
				continue;
			}
			if (b === 28) {
				stack.push(cs.readInt16BE(p));
				p += 2;
				continue;
			}
			switch (b) {
				case 1: // hstem
				case 3: // vstem
				case 18: // hstemhm
				case 23: // vstemhm
					dropWidth(true);
					stems += stack.length >> 1;
					stack.length = 0;
					break;
				case 19: // hintmask
				case 20: // cntrmask
					dropWidth(true);
					stems += stack.length >> 1; // operands here are an implied vstem
					stack.length = 0;
					p += (stems + 7) >> 3;
					break;
				case 21: // rmoveto
					dropWidth(true);
					out.moveTo(out.x + stack[0], out.y + stack[1]);
					stack.length = 0;
					break;
				case 22: // hmoveto
					dropWidth(false);
					out.moveTo(out.x + stack[0], out.y);
					stack.length = 0;
					break;
				case 4: // vmoveto
					dropWidth(false);
					out.moveTo(out.x, out.y + stack[0]);
					stack.length = 0;
					break;
				case 5: // rlineto
					for (let i = 0; i + 1 < stack.length; i += 2) out.lineTo(out.x + stack[i], out.y + stack[i + 1]);
					stack.length = 0;
					break;
				case 6: // hlineto
				case 7: // vlineto
					for (let i = 0; i < stack.length; i++) {
						const horizontal = (i % 2 === 0) === (b === 6);
						if (horizontal) out.lineTo(out.x + stack[i], out.y);
						else out.lineTo(out.x, out.y + stack[i]);
					}
					stack.length = 0;
					break;
				case 8: // rrcurveto
					for (let i = 0; i + 5 < stack.length; i += 6) curve(stack[i], stack[i + 1], stack[i + 2], stack[i + 3], stack[i + 4], stack[i + 5]);
					stack.length = 0;
					break;
				case 24: {
					// rcurveline
					let i = 0;
					for (; i + 7 < stack.length; i += 6) curve(stack[i], stack[i + 1], stack[i + 2], stack[i + 3], stack[i + 4], stack[i + 5]);
					out.lineTo(out.x + stack[i], out.y + stack[i + 1]);
					stack.length = 0;
					break;
				}
				case 25: {
					// rlinecurve
					let i = 0;
					for (; i + 7 < stack.length; i += 2) out.lineTo(out.x + stack[i], out.y + stack[i + 1]);
					curve(stack[i], stack[i + 1], stack[i + 2], stack[i + 3], stack[i + 4], stack[i + 5]);
					stack.length = 0;
					break;
				}
				case 26: {
					// vvcurveto
					let i = 0;
					let dx1 = 0;
					if (stack.length % 2) dx1 = stack[i++];
					for (; i + 3 < stack.length; i += 4) {
						curve(dx1, stack[i], stack[i + 1], stack[i + 2], 0, stack[i + 3]);
						dx1 = 0;
					}
					stack.length = 0;
					break;
				}
				case 27: {
					// hhcurveto
					let i = 0;
					let dy1 = 0;
					if (stack.length % 2) dy1 = stack[i++];
					for (; i + 3 < stack.length; i += 4) {
						curve(stack[i], dy1, stack[i + 1], stack[i + 2], stack[i + 3], 0);
						dy1 = 0;
					}
					stack.length = 0;
					break;
				}
				case 30: // vhcurveto
				case 31: {
					// hvcurveto: curves alternate between starting horizontal and vertical
					let horizontal = b === 31;
					for (let i = 0; i + 3 < stack.length; i += 4) {
						const last = stack.length - i === 5 ? stack[i + 4] : 0;
						if (horizontal) curve(stack[i], 0, stack[i + 1], stack[i + 2], last, stack[i + 3]);
						else curve(0, stack[i], stack[i + 1], stack[i + 2], stack[i + 3], last);
						horizontal = !horizontal;
					}
					stack.length = 0;
					break;
				}
				case 10: // callsubr
				case 29: {
					// callgsubr
					const subrs = b === 10 ? local : global;
					const n = stack.pop()! + subrs.bias;
					if (!subrs.index || n < 0 || n >= subrs.index.count) throw new Error(`charstring calls missing subroutine ${n}`);
					run(subrs.index.item(n));
					break;
				}
				case 11: // return
					depth--;
					return;
				case 14: // endchar
					if (!widthSeen && (stack.length === 1 || stack.length === 5)) stack.shift();
					widthSeen = true;
					done = true;
					break;
				case 12: {
					const op = cs[p++];
					const s = stack;
					const y0 = out.y;
					if (op === 35) {
						// flex
						curve(s[0], s[1], s[2], s[3], s[4], s[5]);
						curve(s[6], s[7], s[8], s[9], s[10], s[11]);
					} else if (op === 34) {
						// hflex
						curve(s[0], 0, s[1], s[2], s[3], 0);
						curve(s[4], 0, s[5], y0 - out.y, s[6], 0);
					} else if (op === 36) {
						// hflex1
						curve(s[0], s[1], s[2], s[3], s[4], 0);
						curve(s[5], 0, s[6], s[7], s[8], y0 - (out.y + s[7]));
					} else if (op === 37) {
						// flex1: the last coordinate goes along the larger overall movement
						const x0 = out.x;
						let dx = 0;
						let dy = 0;
						for (let i = 0; i < 10; i += 2) {
							dx += s[i];
							dy += s[i + 1];
						}
						curve(s[0], s[1], s[2], s[3], s[4], s[5]);
						const x1 = out.x + s[6];
						const y1 = out.y + s[7];
						const x2 = x1 + s[8];
						const y2 = y1 + s[9];
						if (Math.abs(dx) > Math.abs(dy)) out.curveTo(x1, y1, x2, y2, x2 + s[10], y0);
						else out.curveTo(x1, y1, x2, y2, x0, y2 + s[10]);
					} else throw new Error(`unsupported charstring operator 12 ${op}`);
					stack.length = 0;
					break;
				}
				default:
					throw new Error(`unsupported charstring operator ${b}`);
			}
		}
		depth--;
	};
	run(code);
}
