import { m } from '#lib/paraglide/messages.js';

/** Names of the disposal ladder's stages and of warning history entries, in the current language. */
export const stageLabel = (stage: string) =>
	(({ notice: m.warning_stage_notice, talk: m.warning_stage_talk, rectify: m.warning_stage_rectify, closed: m.warning_stage_closed }) as Record<string, () => string>)[stage]?.() ?? stage;

export const eventLabel = (kind: string) =>
	(({ raise: m.warning_event_raise, dispose: m.warning_event_dispose, respond: m.warning_event_respond, escalate: m.warning_event_escalate, close: m.warning_event_close }) as Record<string, () => string>)[kind]?.() ??
	kind;

/** The notice a stage prints as. */
export const noticeTitle = (stage: string) =>
	stage === 'rectify' ? '责令纠错（限期整改）通知书' : stage === 'talk' ? '廉政风险提醒谈话通知书' : '廉政风险提示通知书';

/** Beijing date and time, e.g. 2026年11月27日 18:00. */
export function chineseDateTime(ms: number): string {
	const d = new Date(ms + 8 * 3_600_000);
	const p = (n: number) => String(n).padStart(2, '0');
	return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
