/** Numbering of official documents (GB/T 9704): 一、 for chapters, （一） for sections, 1. below. */
const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五. */
export function chineseNumber(n: number): string {
	if (!Number.isInteger(n) || n < 0) return String(n);
	if (n < 10) return DIGITS[n];
	if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
	if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ''}`;
	if (n < 1000) {
		const rest = n % 100;
		return `${DIGITS[Math.floor(n / 100)]}百${rest === 0 ? '' : rest < 10 ? `零${DIGITS[rest]}` : rest < 20 ? `一${chineseNumber(rest)}` : chineseNumber(rest)}`;
	}
	return String(n);
}

export const chapterNo = (i: number) => `${chineseNumber(i + 1)}、`;
export const sectionNo = (i: number) => `（${chineseNumber(i + 1)}）`;

/** 2026年11月27日 in Beijing time. */
export function chineseDate(ms: number): string {
	const d = new Date(ms + 8 * 3_600_000);
	return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}
