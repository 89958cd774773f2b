import { m } from '#lib/paraglide/messages.js';

/** Display names of the review's stored values (checks, levels, timeline actions), in the current language. */

const pick = (map: Record<string, () => string>, key: string | null | undefined, fallback = '') => (key && map[key]?.()) || (key ?? fallback);

export const checkLabel = (check: string) =>
	pick({ power_item: m.checklist_power_item, flow: m.checklist_flow, risks: m.checklist_risks, measures: m.checklist_measures }, check);

export const levelLabel = (level: string | null | undefined) =>
	level ? pick({ high: m.level_high, medium: m.level_medium, low: m.level_low }, level) : m.level_none();

export const historyActionLabel = (action: string) =>
	pick(
		{
			submit: m.history_submit,
			return: m.history_return,
			accept: m.history_accept,
			grade: m.history_grade,
			comment: m.history_comment,
			reply: m.history_reply,
			resolve: m.history_resolve,
			reopen: m.history_reopen,
			publish: m.history_publish,
			revise: m.history_revise
		},
		action
	);

export const todoKindLabel = (kind: string) =>
	pick({ revise: m.todo_revise, submit: m.todo_submit, review: m.todo_review, grade: m.todo_grade, approve: m.todo_approve, decide: m.todo_decide, measure: m.todo_measure }, kind);

/** 2026年3月5日 14:05 in Beijing time, whatever the machine's zone. */
export function dateTime(ms: number): string {
	return new Intl.DateTimeFormat('zh-CN', {
		timeZone: 'Asia/Shanghai',
		year: 'numeric',
		month: 'long',
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	}).format(ms);
}

/** 2026年3月5日 for a YYYY-MM-DD day. */
export function day(isoDay: string): string {
	const [y, mo, d] = isoDay.split('-').map(Number);
	if (!y || !mo || !d) return isoDay;
	return `${y}年${mo}月${d}日`;
}
