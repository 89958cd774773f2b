import { describe, expect, it } from 'vitest';
import { HOLIDAYS_2026, WorkCalendar, beijingDate, holidaysFromEnv } from '../../server/improvement/calendar.ts';
import { cardFor } from '../../server/improvement/cases.ts';
import { loadConfig } from '../../server/config.ts';

const at = (s: string) => Date.parse(s);

describe('working-day calendar', () => {
	const plain = new WorkCalendar([]);
	const official = new WorkCalendar(HOLIDAYS_2026);

	it('counts Monday to Friday only, from the day after the start', () => {
		expect(plain.addWorkingDays('2026-11-23', 0)).toBe('2026-11-23');
		expect(plain.addWorkingDays('2026-11-23', 1)).toBe('2026-11-24'); // Monday → Tuesday
		expect(plain.addWorkingDays('2026-11-27', 1)).toBe('2026-11-30'); // Friday → Monday
		expect(plain.addWorkingDays('2026-11-27', 5)).toBe('2026-12-04'); // received on a Friday: a week later
		expect(plain.addWorkingDays('2026-11-28', 1)).toBe('2026-11-30'); // received on a Saturday
		expect(plain.addWorkingDays('2026-11-29', 5)).toBe('2026-12-04');
	});

	it('skips the State Council’s 2026 holidays', () => {
		expect(HOLIDAYS_2026).toContain('2026-10-01');
		expect(HOLIDAYS_2026).toContain('2026-02-23');
		expect(HOLIDAYS_2026).toHaveLength(33);
		expect(official.isWorkingDay('2026-10-05')).toBe(false);
		expect(official.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
		expect(official.addWorkingDays('2026-09-24', 1)).toBe('2026-09-28'); // 中秋 25–27
		expect(plain.addWorkingDays('2026-09-30', 1)).toBe('2026-10-01');
	});

	it('works in Beijing time whatever the server’s zone', () => {
		expect(beijingDate(at('2026-11-27T17:30:00Z'))).toBe('2026-11-28'); // 01:30 Saturday in Beijing
		expect(plain.deadline(at('2026-11-27T17:30:00Z'), 1)).toBe(at('2026-11-30T23:59:59.999+08:00'));
		expect(plain.deadline(at('2026-11-27T09:00:00+08:00'), 5)).toBe(at('2026-12-04T23:59:59.999+08:00'));
	});

	it('reads HOLIDAYS: unset keeps the default, empty means none, bad dates refuse to start', () => {
		expect(holidaysFromEnv(undefined)).toBeUndefined();
		expect(holidaysFromEnv('')).toEqual([]);
		expect(holidaysFromEnv('2026-10-01, 2026-10-02')).toEqual(['2026-10-01', '2026-10-02']);
		expect(() => holidaysFromEnv('2026-13-45')).toThrow();
		expect(loadConfig({ HOLIDAYS: '' }).holidays).toEqual([]);
		expect(loadConfig({}).holidays).toBeUndefined();
	});
});

describe('supervision cards', () => {
	const cal = new WorkCalendar([]);
	const received = at('2026-11-27T10:00:00+08:00'); // a Friday

	it('gives no card before the last working day, yellow from it and when overdue, red once overdue by the limit again', () => {
		// Limit 5: due Friday 12-04; yellow from the end of Thursday 12-03; red after the 5th working day past due (12-11).
		expect(cardFor(cal, received, 5, at('2026-12-03T12:00:00+08:00'))).toEqual({ card: 'none', dueAt: at('2026-12-04T23:59:59.999+08:00') });
		expect(cardFor(cal, received, 5, at('2026-12-04T09:00:00+08:00')).card).toBe('yellow');
		expect(cardFor(cal, received, 5, at('2026-12-08T09:00:00+08:00')).card).toBe('yellow');
		expect(cardFor(cal, received, 5, at('2026-12-11T20:00:00+08:00')).card).toBe('yellow');
		expect(cardFor(cal, received, 5, at('2026-12-12T00:00:01+08:00')).card).toBe('red');
	});

	it('gives no card to a step without a time limit', () => {
		expect(cardFor(cal, received, null, at('2027-06-01T00:00:00+08:00'))).toEqual({ card: 'none', dueAt: null });
	});
});
