/**
 * Countdowns to the plan's deadlines. A deadline is a calendar day in Beijing; it ends at that
 * day's midnight (as server/workflow/progress.ts `deadlinePassed` counts lateness).
 */
const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Whole days from today (in Beijing) to `deadline` (YYYY-MM-DD): > 0 left, 0 the last day, < 0 overdue. Null when unset or malformed. */
export function daysLeft(deadline: string | null | undefined, now = Date.now()): number | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(deadline ?? '');
	if (!m) return null;
	const end = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
	if (Number.isNaN(end)) return null;
	const today = Math.floor((now + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS;
	return Math.round((end - today) / DAY_MS);
}

export type Countdown = { kind: 'left' | 'today' | 'overdue'; days: number };

export function countdown(deadline: string | null | undefined, now = Date.now()): Countdown | null {
	const d = daysLeft(deadline, now);
	if (d === null) return null;
	if (d > 0) return { kind: 'left', days: d };
	if (d === 0) return { kind: 'today', days: 0 };
	return { kind: 'overdue', days: -d };
}

/** Today's date in Beijing as YYYY-MM-DD (a meeting held this morning is dated today there, not in UTC). */
export function beijingToday(now = Date.now()): string {
	return new Date(now + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}
