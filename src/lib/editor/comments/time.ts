import { m } from '#lib/paraglide/messages.js';

/** Comment times as a Chinese reader expects them: 今天 14:05, 昨天 09:30, 5月3日 14:05, 2024年5月3日 14:05. */

const pad = (n: number) => String(n).padStart(2, '0');

export function commentTime(at: number, now: number = Date.now()): string {
	const d = new Date(at);
	const today = new Date(now);
	const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
	const dayStart = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
	const days = Math.round((dayStart(today) - dayStart(d)) / 86_400_000);
	if (days === 0) return m.cm_time_today({ hm });
	if (days === 1) return m.cm_time_yesterday({ hm });
	if (d.getFullYear() === today.getFullYear()) return m.cm_time_date({ month: d.getMonth() + 1, day: d.getDate(), hm });
	return m.cm_time_full({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hm });
}

/** The full moment, for a tooltip. */
export function fullTime(at: number): string {
	const d = new Date(at);
	const hms = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
	return m.cm_time_full({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hm: hms });
}
