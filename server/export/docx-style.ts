import {
	AlignmentType,
	BorderStyle,
	Footer,
	LevelFormat,
	LineRuleType,
	PageNumber,
	PageOrientation,
	Paragraph,
	TextRun,
	type INumberingOptions,
	type IRunOptions,
	type ISectionPropertiesOptions,
	type IStylesOptions
} from 'docx';

/**
 * The look of the book, after GB/T 9704-2012 (党政机关公文格式): A4, type area 156 × 225 mm
 * (top 37, bottom 35, left 28, right 26 mm), body 仿宋 三号 on 22 lines a page, titles 小标宋,
 * headings 黑体 (一、) and 楷体 (（一）), page numbers "— 1 —" in 宋体 四号 7 mm below the type area.
 */

export const mm = (v: number) => Math.round((v * 1440) / 25.4);

/** Font sizes in half-points, by their Chinese names. */
export const SIZE = { 小初: 72, 一号: 52, 二号: 44, 小二: 36, 三号: 32, 小三: 30, 四号: 28, 小四: 24, 五号: 21, 小五: 18 } as const;

/** Font names as Windows and WPS know them; fontTableXml gives each its fallbacks. */
export const FONT = {
	fangsong: '仿宋_GB2312',
	kaiti: '楷体_GB2312',
	heiti: '黑体',
	title: '方正小标宋简体',
	song: '宋体',
	latin: 'Times New Roman'
} as const;

/** Run fonts: the East Asian face for Chinese, Times New Roman for Latin letters and digits (as official documents set them). */
export function fonts(eastAsia: string, latin: string = FONT.latin) {
	return { ascii: latin, hAnsi: latin, eastAsia, cs: latin };
}

/** 28.95 pt: 22 lines fill the 225 mm type area. */
export const BODY_LINE = 579;

export const PORTRAIT_TEXT_WIDTH = mm(156);
export const PORTRAIT_TEXT_HEIGHT = mm(225);
export const LANDSCAPE_TEXT_WIDTH = mm(225);
export const LANDSCAPE_TEXT_HEIGHT = mm(156);

const PAGES = {
	portrait: {
		size: { width: mm(210), height: mm(297), orientation: PageOrientation.PORTRAIT },
		margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26), header: mm(15), footer: mm(23) }
	},
	landscape: {
		// Given in portrait terms: docx swaps width and height for a landscape page.
		size: { width: mm(210), height: mm(297), orientation: PageOrientation.LANDSCAPE },
		// The margins stay on the same paper edges (printers turn the page's top to the binding):
		// the portrait page's left (binding, 28 mm) is this page's top, its bottom (35 mm) this page's left.
		margin: { top: mm(28), bottom: mm(26), left: mm(35), right: mm(37), header: mm(12), footer: mm(14) }
	}
};

export function pageProperties(orientation: keyof typeof PAGES, extra: Partial<ISectionPropertiesOptions> = {}): ISectionPropertiesOptions {
	return { ...extra, page: { ...PAGES[orientation], ...extra.page } };
}

/** "— 1 —", centred: GB/T 9704 sets the number in 宋体 四号 between two 一字线. */
export function pageNumberFooter(): Footer {
	const run = (o: IRunOptions) => new TextRun({ font: fonts(FONT.song, FONT.song), size: SIZE.四号, ...o });
	return new Footer({
		children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [run({ text: '— ' }), run({ children: [PageNumber.CURRENT] }), run({ text: ' —' })] })]
	});
}

export function emptyFooter(): Footer {
	return new Footer({ children: [new Paragraph({})] });
}

const exact = (line: number) => ({ line, lineRule: LineRuleType.EXACT, before: 0, after: 0 });
const indent2 = { firstLine: 640 }; // two characters of 三号

export const STYLE_ID = {
	body: 'BookBody',
	cell: 'BookCell',
	cellCenter: 'BookCellCenter',
	cellHead: 'BookCellHead',
	caption: 'BookCaption',
	title: 'BookTitle',
	tocTitle: 'BookTocTitle',
	plain: 'BookPlain'
} as const;

export function styles(): IStylesOptions {
	const heading = (font: string, bold = false) => ({
		run: { font: fonts(font, font === FONT.fangsong ? FONT.latin : font), size: SIZE.三号, bold, color: '000000', italics: false },
		paragraph: { spacing: exact(BODY_LINE), indent: indent2, keepNext: true, keepLines: true }
	});
	return {
		default: {
			document: {
				run: { font: fonts(FONT.fangsong), size: SIZE.三号, language: { value: 'en-US', eastAsia: 'zh-CN' } },
				paragraph: { spacing: exact(BODY_LINE), alignment: AlignmentType.JUSTIFIED }
			},
			heading1: heading(FONT.heiti),
			heading2: heading(FONT.kaiti),
			heading3: heading(FONT.fangsong, true),
			heading4: heading(FONT.fangsong),
			heading5: heading(FONT.fangsong),
			heading6: heading(FONT.fangsong)
		},
		paragraphStyles: [
			{ id: STYLE_ID.body, name: '正文（公文）', basedOn: 'Normal', quickFormat: true, paragraph: { indent: indent2 } },
			{ id: STYLE_ID.plain, name: '正文（无缩进）', basedOn: 'Normal' },
			{
				id: STYLE_ID.cell,
				name: '表格文字',
				basedOn: 'Normal',
				run: { size: SIZE.五号 },
				paragraph: { spacing: { line: 300, lineRule: LineRuleType.AUTO, before: 0, after: 0 }, alignment: AlignmentType.LEFT }
			},
			{ id: STYLE_ID.cellCenter, name: '表格文字（居中）', basedOn: STYLE_ID.cell, paragraph: { alignment: AlignmentType.CENTER } },
			{
				id: STYLE_ID.cellHead,
				name: '表头文字',
				basedOn: STYLE_ID.cell,
				run: { font: fonts(FONT.heiti, FONT.heiti), size: SIZE.五号 },
				paragraph: { alignment: AlignmentType.CENTER }
			},
			{
				id: STYLE_ID.caption,
				name: '图表题',
				basedOn: 'Normal',
				run: { font: fonts(FONT.kaiti), size: SIZE.四号 },
				paragraph: { alignment: AlignmentType.CENTER, spacing: { line: 400, lineRule: LineRuleType.EXACT, before: 120, after: 120 }, keepNext: true }
			},
			{
				id: STYLE_ID.title,
				name: '标题（小标宋）',
				basedOn: 'Normal',
				run: { font: fonts(FONT.title, FONT.title), size: SIZE.二号 },
				paragraph: { alignment: AlignmentType.CENTER, spacing: { line: 700, lineRule: LineRuleType.EXACT, before: 0, after: 0 }, keepNext: true }
			},
			{
				id: 'TOC1',
				name: 'toc 1',
				basedOn: 'Normal',
				run: { font: fonts(FONT.heiti, FONT.heiti), size: SIZE.三号 },
				paragraph: { keepNext: true }
			},
			{
				id: 'TOC2',
				name: 'toc 2',
				basedOn: 'Normal',
				run: { font: fonts(FONT.kaiti), size: SIZE.三号 },
				paragraph: { indent: { left: 640 } }
			}
		]
	};
}

export const LIST_REF = { bullets: 'book-bullets', ordered: 'book-ordered' } as const;

/** Ordered lists count （1）（2）, not 1. 2., which is the third heading level's numbering. */
export function numbering(): INumberingOptions {
	const levels = (format: (typeof LevelFormat)[keyof typeof LevelFormat], text: (level: number) => string) =>
		Array.from({ length: 4 }, (_, level) => ({
			level,
			format,
			text: text(level),
			alignment: AlignmentType.LEFT,
			style: { paragraph: { indent: { left: 640 * (level + 2), hanging: 640 } } }
		}));
	return {
		config: [
			{ reference: LIST_REF.bullets, levels: levels(LevelFormat.BULLET, (level) => ['●', '○', '■', '□'][level]) },
			{ reference: LIST_REF.ordered, levels: levels(LevelFormat.DECIMAL, (level) => `（%${level + 1}）`) }
		]
	};
}

export const TABLE_BORDERS = {
	top: { style: BorderStyle.SINGLE, size: 8, color: '000000' },
	bottom: { style: BorderStyle.SINGLE, size: 8, color: '000000' },
	left: { style: BorderStyle.SINGLE, size: 8, color: '000000' },
	right: { style: BorderStyle.SINGLE, size: 8, color: '000000' },
	insideHorizontal: { style: BorderStyle.SINGLE, size: 4, color: '000000' },
	insideVertical: { style: BorderStyle.SINGLE, size: 4, color: '000000' }
};

const FONT_ENTRIES: { name: string; alt: string; panose: string; family: 'roman' | 'modern' | 'swiss' }[] = [
	{ name: FONT.fangsong, alt: '仿宋,FangSong,STFangsong,Noto Serif CJK SC', panose: '02010609030101010101', family: 'modern' },
	{ name: FONT.kaiti, alt: '楷体,KaiTi,STKaiti,Noto Serif CJK SC', panose: '02010609030101010101', family: 'modern' },
	{ name: FONT.heiti, alt: 'SimHei,STHeiti,Noto Sans CJK SC', panose: '02010609060101010101', family: 'modern' },
	{ name: FONT.title, alt: '方正小标宋_GBK,华文中宋,STZhongsong,宋体,Noto Serif CJK SC', panose: '02000000000000000000', family: 'roman' },
	{ name: FONT.song, alt: 'SimSun,STSong,Noto Serif CJK SC', panose: '02010600030101010101', family: 'modern' },
	{ name: FONT.latin, alt: 'Liberation Serif', panose: '02020603050405020304', family: 'roman' }
];

/**
 * word/fontTable.xml: each Chinese font with its GB2312 character set, PANOSE class and
 * alternative names, which is what Word and WPS go by when a machine lacks 仿宋_GB2312 and the
 * like, so the substitute is a fitting face rather than the default one.
 */
export function fontTableXml(): string {
	const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
	const entries = FONT_ENTRIES.map(
		(f) =>
			`<w:font w:name="${esc(f.name)}"><w:altName w:val="${esc(f.alt)}"/><w:panose1 w:val="${f.panose}"/>` +
			`<w:charset w:val="${f.name === FONT.latin ? '00' : '86'}"/><w:family w:val="${f.family}"/><w:pitch w:val="variable"/></w:font>`
	).join('');
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${entries}</w:fonts>`;
}
