import { describe, expect, it } from 'vitest';
import { beijingToday, countdown, daysLeft } from '../../src/lib/review/deadline.ts';
import { deadlinePassed } from '../../server/workflow/progress.ts';

/** Instants written in Beijing time, as people there read the deadline. */
const beijing = (local: string) => Date.parse(`${local}+08:00`);

describe('deadline countdown', () => {
	it('counts whole days in Beijing, whatever the hour', () => {
		expect(daysLeft('2026-07-15', beijing('2026-07-05T00:00:01'))).toBe(10);
		expect(daysLeft('2026-07-15', beijing('2026-07-05T23:59:59'))).toBe(10);
		// 07:30 on the 6th in Beijing is still the 5th in UTC: Beijing's calendar decides.
		expect(daysLeft('2026-07-15', beijing('2026-07-06T07:30:00'))).toBe(9);
	});

	it('says 剩余 before the day, 今天 on it, 逾期 after it, agreeing with the server’s lateness', () => {
		const cases: [string, ReturnType<typeof countdown>][] = [
			['2026-07-14T23:59:59', { kind: 'left', days: 1 }],
			['2026-07-15T00:00:00', { kind: 'today', days: 0 }],
			['2026-07-15T23:59:58', { kind: 'today', days: 0 }],
			['2026-07-16T00:00:01', { kind: 'overdue', days: 1 }],
			['2026-07-25T12:00:00', { kind: 'overdue', days: 10 }]
		];
		for (const [at, expected] of cases) {
			expect(countdown('2026-07-15', beijing(at)), at).toEqual(expected);
			expect(deadlinePassed({ self_check: '2026-07-15' }, 'self_check', beijing(at)), at).toBe(expected!.kind === 'overdue');
		}
	});

	it('has no countdown without a valid deadline', () => {
		for (const bad of [null, undefined, '', '2026-7-15', 'soon']) expect(countdown(bad, beijing('2026-07-01T12:00:00'))).toBeNull();
	});

	it('dates today by Beijing’s calendar', () => {
		expect(beijingToday(beijing('2026-07-06T07:30:00'))).toBe('2026-07-06');
		expect(beijingToday(beijing('2026-07-05T23:59:59'))).toBe('2026-07-05');
	});
});
