import { describe, expect, it } from 'vitest';
import { basisText, chineseNumber, coverDate, dateTimeText, isoDateText, stripNumbering } from '../../server/export/book.ts';

describe('how the book writes numbers, dates and headings', () => {
	it('counts in Chinese numerals for 一、 and （一）', () => {
		const cases: [number, string][] = [
			[1, '一'],
			[9, '九'],
			[10, '十'],
			[11, '十一'],
			[20, '二十'],
			[21, '二十一'],
			[99, '九十九'],
			[100, '一百'],
			[101, '一百零一'],
			[110, '一百一十'],
			[305, '三百零五']
		];
		for (const [n, text] of cases) expect(chineseNumber(n), String(n)).toBe(text);
	});

	it('dates the cover in Beijing time, digit by digit for the year', () => {
		// 2026-11-26 17:00 UTC is already the 27th in Beijing.
		expect(coverDate(Date.UTC(2026, 10, 26, 17, 0))).toBe('二〇二六年十一月二十七日');
		expect(coverDate(Date.UTC(2030, 0, 1, 4, 0))).toBe('二〇三〇年一月一日');
		expect(dateTimeText(Date.UTC(2026, 10, 26, 17, 5))).toBe('2026年11月27日 01:05');
		expect(isoDateText('2014-10-31')).toBe('2014年10月31日');
		expect(isoDateText('年底前')).toBe('年底前');
		expect(isoDateText(null)).toBe('');
	});

	it('drops the numbering authors typed in section headings (the book numbers by level)', () => {
		expect(stripNumbering('一、职权目录')).toBe('职权目录');
		expect(stripNumbering('（二）权力运行流程图')).toBe('权力运行流程图');
		expect(stripNumbering('3. 廉政风险防控表')).toBe('廉政风险防控表');
		expect(stripNumbering('4．说明')).toBe('说明');
		expect(stripNumbering('2026年工作安排')).toBe('2026年工作安排');
		expect(stripNumbering('十分重要的说明')).toBe('十分重要的说明');
	});

	it('writes a legal basis as law and article, or law and document number', () => {
		expect(basisText('《中华人民共和国行政许可法》', '第二十六条')).toBe('《中华人民共和国行政许可法》第二十六条');
		expect(basisText('《国家铁路局行政许可实施程序规定》', '国铁科法〔2014〕49号')).toBe('《国家铁路局行政许可实施程序规定》（国铁科法〔2014〕49号）');
		expect(basisText('《铁路法》', '')).toBe('《铁路法》');
	});
});
