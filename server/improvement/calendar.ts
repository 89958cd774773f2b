/**
 * Working days (工作日) for time limits: Monday to Friday in Beijing time, less the holiday list.
 * The list is the State Council's announcement for the current year unless the environment
 * (HOLIDAYS=2026-10-01,…; empty for none) or the admin replaces it. By the plan's own rule a
 * make-up Saturday (调休上班) is not counted as a working day.
 */

const DAY = 86_400_000;
const BEIJING = 8 * 3_600_000;

/** 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04): the days off. */
export const HOLIDAYS_2026: readonly string[] = [
	...range('2026-01-01', 3), // 元旦
	...range('2026-02-15', 9), // 春节
	...range('2026-04-04', 3), // 清明节
	...range('2026-05-01', 5), // 劳动节
	...range('2026-06-19', 3), // 端午节
	...range('2026-09-25', 3), // 中秋节
	...range('2026-10-01', 7) // 国庆节
];

function range(first: string, days: number): string[] {
	const start = Date.parse(`${first}T00:00:00Z`);
	return Array.from({ length: days }, (_, i) => new Date(start + i * DAY).toISOString().slice(0, 10));
}

/** The Beijing calendar date (YYYY-MM-DD) of an instant. */
export const beijingDate = (ms: number) => new Date(ms + BEIJING).toISOString().slice(0, 10);
/** The last instant of a Beijing calendar date. */
export const endOfBeijingDay = (date: string) => Date.parse(`${date}T23:59:59.999+08:00`);
const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

export class WorkCalendar {
	private holidays: Set<string>;
	constructor(holidays: Iterable<string>) {
		this.holidays = new Set(holidays);
	}

	isWorkingDay(date: string): boolean {
		const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
		return weekday !== 0 && weekday !== 6 && !this.holidays.has(date);
	}

	/** The date of the `n`-th working day after the day of `from` (n = 0: that same day). */
	addWorkingDays(from: string, n: number): string {
		let date = from;
		for (let left = n; left > 0; ) {
			date = nextDate(date);
			if (this.isWorkingDay(date)) left--;
		}
		return date;
	}

	/** The end of the `n`-th working day after the instant `from` (Beijing time). */
	deadline(from: number, n: number): number {
		return endOfBeijingDay(this.addWorkingDays(beijingDate(from), n));
	}
}

/** What HOLIDAYS says: undefined when unset (use the default), [] when set empty. */
export function holidaysFromEnv(raw: string | undefined): string[] | undefined {
	if (raw === undefined) return undefined;
	const list = raw.split(',').map((d) => d.trim()).filter(Boolean);
	for (const d of list) if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) throw new Error(`HOLIDAYS: invalid date ${d}`);
	return list;
}
