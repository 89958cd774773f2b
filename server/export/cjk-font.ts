import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import { CffOutlines } from './cff-outlines.ts';
import { characterMap, facesOf, nameOf, table, type SfntFace } from './sfnt.ts';

/**
 * The flowchart pictures' font, Noto Sans CJK SC (Debian: fonts-noto-cjk), read by our own code
 * so text can be turned into paths. Why: resvg loads and parses every font file for each picture
 * it renders, and the Noto CJK collection is 19 MB (0.3–0.8 s per chart). Reading the face once
 * and caching each glyph's outline makes text as cheap as any other path.
 */

export const FLOW_FONT_FAMILY = 'Noto Sans CJK SC';

/** Where distributions put the Noto CJK collections (Debian/Ubuntu first). */
const SEARCH_DIRS = [
	'/usr/share/fonts/opentype/noto',
	'/usr/share/fonts/opentype/noto-cjk',
	'/usr/share/fonts/noto-cjk',
	'/usr/share/fonts/google-noto-cjk',
	'/usr/share/fonts/OTF',
	'/usr/local/share/fonts'
];
const FILES: Record<Weight, string[]> = {
	regular: ['NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular.otf', 'NotoSansSC-Regular.otf'],
	bold: ['NotoSansCJK-Bold.ttc', 'NotoSansCJKsc-Bold.otf', 'NotoSansSC-Bold.otf']
};

export type Weight = 'regular' | 'bold';

export const FONT_MISSING_MESSAGE = '服务器缺少绘制流程图所需的中文字体 Noto Sans CJK（Debian 软件包 fonts-noto-cjk），无法导出。请联系系统管理员安装后重试。';

export class FontMissingError extends AppError {
	readonly searched: string[];
	constructor(searched: string[]) {
		super('internal', FONT_MISSING_MESSAGE, 503);
		this.searched = searched;
	}
}

/** One face: character map, advances and outlines (each glyph interpreted once). */
export class FontFace {
	readonly file: string;
	readonly unitsPerEm: number;
	private readonly cmap: Map<number, number>;
	private readonly advances: Buffer;
	private readonly metrics: number;
	private readonly outlines: CffOutlines;
	private readonly paths = new Map<number, string>();

	constructor(face: SfntFace, file: string) {
		this.file = file;
		this.unitsPerEm = table(face, 'head').readUInt16BE(18);
		this.cmap = characterMap(face);
		this.advances = table(face, 'hmtx');
		this.metrics = table(face, 'hhea').readUInt16BE(34);
		this.outlines = new CffOutlines(table(face, 'CFF '));
	}

	glyph(codePoint: number): number {
		return this.cmap.get(codePoint) ?? 0;
	}

	/** Advance width of a glyph in font units. */
	advance(gid: number): number {
		return this.advances.readUInt16BE(4 * Math.min(gid, this.metrics - 1));
	}

	/** SVG path data of a glyph in font units, y up. A glyph that cannot be read draws nothing. */
	path(gid: number): string {
		let d = this.paths.get(gid);
		if (d === undefined) {
			try {
				d = this.outlines.glyphPath(gid);
			} catch (err) {
				log.warn('flowchart font: unreadable glyph', { file: this.file, gid, error: (err as Error).message });
				d = '';
			}
			this.paths.set(gid, d);
		}
		return d;
	}
}

/** Where to look: directories, then (when `fontconfig`) wherever fc-match knows the family. */
export type FontSearch = { dirs: string[]; fontconfig: boolean };
const DEFAULT_SEARCH: FontSearch = { dirs: SEARCH_DIRS, fontconfig: true };

function findFile(weight: Weight, search: FontSearch): string | null {
	for (const dir of search.dirs) for (const name of FILES[weight]) if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
	if (!search.fontconfig) return null;
	// The face is still checked by name when loaded.
	try {
		const style = weight === 'bold' ? 'Bold' : 'Regular';
		const file = execFileSync('fc-match', ['-f', '%{file}', `${FLOW_FONT_FAMILY}:style=${style}`], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
		if (file && /noto.*cjk|notosanssc/i.test(file) && existsSync(file)) return file;
	} catch {
		// no fontconfig: the search list was all we had
	}
	return null;
}

function loadFace(file: string): FontFace | null {
	const faces = facesOf(readFileSync(file));
	const face = faces.find((f) => nameOf(f, 1) === FLOW_FONT_FAMILY || nameOf(f, 16) === FLOW_FONT_FAMILY) ?? (faces.length === 1 ? faces[0] : undefined);
	if (!face || !face.tables.has('CFF ')) return null;
	return new FontFace(face, file);
}

export type FlowFonts = Record<Weight, FontFace>;

let cached: { fonts: FlowFonts; release: NodeJS.Timeout } | null = null;
/** The faces take ~40 MB; a process that exports now and then should not hold them forever. */
const KEEP_MS = 60_000;

/**
 * Regular and bold faces of Noto Sans CJK SC, loaded on first use and kept for a minute after
 * the last. Throws FontMissingError (a Chinese message for the user, a log line for the
 * operator) when the regular face is missing; a missing bold face falls back to the regular.
 */
export function flowFonts(search: FontSearch = DEFAULT_SEARCH): FlowFonts {
	if (cached && search === DEFAULT_SEARCH) {
		cached.release.refresh();
		return cached.fonts;
	}
	const regularFile = findFile('regular', search);
	const regular = regularFile ? loadFace(regularFile) : null;
	if (!regular) {
		const searched = search.dirs.flatMap((d) => FILES.regular.map((f) => `${d}/${f}`));
		if (search.fontconfig) searched.push(`fc-match '${FLOW_FONT_FAMILY}'`);
		log.error('flowchart font missing: install fonts-noto-cjk', { family: FLOW_FONT_FAMILY, found: regularFile, searched });
		throw new FontMissingError(searched);
	}
	const boldFile = findFile('bold', search);
	const bold = (boldFile && loadFace(boldFile)) || regular;
	if (bold === regular) log.warn('flowchart font: no bold face, bold text drawn regular', { family: FLOW_FONT_FAMILY });
	const fonts = { regular, bold };
	if (search === DEFAULT_SEARCH) {
		const release = setTimeout(() => (cached = null), KEEP_MS);
		release.unref();
		cached = { fonts, release };
	}
	return fonts;
}
