import { z } from 'zod';
import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { Db } from '../db/connect.ts';
import { WARNING_STAGES, type WarningStage, type WarningsTable } from '../db/schema.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { canInUnit, policies } from '../policies/index.ts';
import { notify } from '../inbox/notifications.ts';
import { reviewers, unitPeople } from '../inbox/audience.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';
import { errorFields, log } from '../log.ts';

/**
 * 风险预警: a register of warnings and their disposal ladder — 风险提示 (提示通知书) → 提醒/警示/
 * 诫勉谈话 → 责令纠错/限期整改 → closed. Each stage may set a date for the unit's written answer;
 * a date that passes without an answer moves the warning up one stage by itself, once.
 */

export const STAGE_LABEL: Record<WarningStage, string> = {
	notice: '风险提示',
	talk: '提醒谈话',
	rectify: '责令纠错',
	closed: '已办结'
};
export const SOURCES = ['信访举报', '监督检查', '审计', '电子监察', '巡视巡察', '其他'] as const;

const DueAt = z
	.union([z.number().int().positive(), z.string().refine((s) => !Number.isNaN(Date.parse(s)), '答复期限的日期格式无效。')], { message: '请填写答复期限。' })
	.transform((v) => (typeof v === 'number' ? v : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T23:59:59.999+08:00` : v)));
const Text = (what: string, max: number) => z.string({ message: `请填写${what}。` }).trim().min(1, `请填写${what}。`).max(max, `${what}最多 ${max} 个字。`);

export const RaiseInput = z.object({
	sectionId: z.string({ message: '请选择职权事项。' }).min(1, '请选择职权事项。'),
	rowId: z.string().min(1).nullish(),
	caseId: z.string().min(1).nullish(),
	source: Text('信息来源', 40),
	subject: Text('预警对象', 200),
	description: Text('问题描述', 4000),
	dueAt: DueAt.optional()
});
export const DisposeInput = z.object({
	stage: z.enum(['notice', 'talk', 'rectify'], { message: '处置阶段应为 notice（风险提示）、talk（谈话）或 rectify（责令纠错）。' }),
	dueAt: DueAt,
	note: Text('处置意见', 4000)
});
export const RespondInput = z.object({ text: Text('书面答复', 4000) });
export const CloseInput = z.object({ note: Text('办结意见', 4000) });

async function addEvent(trx: Db, w: { id: string }, e: { kind: 'raise' | 'dispose' | 'respond' | 'escalate' | 'close'; stage: WarningStage; text?: string; dueAt?: number | null; userId: string | null }) {
	const last = await trx.selectFrom('warning_events').select((eb) => eb.fn.max('seq').as('seq')).where('warning_id', '=', w.id).executeTakeFirst();
	await trx
		.insertInto('warning_events')
		.values({ id: crypto.randomUUID(), warning_id: w.id, kind: e.kind, stage: e.stage, text: e.text ?? '', due_at: e.dueAt ?? null, user_id: e.userId, at: Date.now(), seq: Number(last?.seq ?? 0) + 1 })
		.execute();
}

async function warningById(db: Db, id: string) {
	const w = await db.selectFrom('warnings').innerJoin('sections', 'sections.id', 'warnings.section_id').selectAll('warnings').select(['sections.unit_id', 'sections.title']).where('warnings.id', '=', id).executeTakeFirst();
	if (!w) throw notFound('预警不存在。');
	return w;
}

function signal(s: Services, manualId: string, notified: string[]) {
	s.bus.send(notified, { type: 'inbox' });
	s.bus.send('everyone', { type: 'manual', manualId });
}

export async function raiseWarning(s: Services, actor: SessionUser, manualId: string, input: z.infer<typeof RaiseInput>) {
	if (!policies.manageWarnings(actor)) throw forbidden('只有纪检监察部门可以发出预警。');
	await s.manuals.get(manualId);
	const section = await s.sections.get(input.sectionId).catch(() => null);
	if (!section || section.manual_id !== manualId) throw badRequest('所选职权事项不在本手册中。');
	if (input.rowId) {
		const { content } = await s.sections.content(section);
		if (!riskRowsOf(content).some((r) => r.id === input.rowId)) throw badRequest('该职权事项中没有这个风险点。');
	}
	const id = crypto.randomUUID();
	const notified = await s.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('warnings')
			.values({
				id,
				manual_id: manualId,
				section_id: section.id,
				row_id: input.rowId ?? null,
				case_id: input.caseId ?? null,
				source: input.source,
				subject: input.subject,
				description: input.description,
				stage: 'notice',
				due_at: input.dueAt ?? null,
				escalated_due: null,
				escalated: 0,
				responded_at: null,
				created_by: actor.id,
				created_at: Date.now(),
				closed_at: null
			})
			.execute();
		await addEvent(trx, { id }, { kind: 'raise', stage: 'notice', text: input.description, dueAt: input.dueAt ?? null, userId: actor.id });
		return notify(trx, await unitPeople(trx, section.unit_id, 'submit'), {
			kind: 'warning',
			text: `纪检监察部门就《${section.title}》发出风险提示：${input.subject}`,
			manualId,
			sectionId: section.id,
			ref: id,
			actorId: actor.id
		});
	});
	signal(s, manualId, notified);
	return { id, stage: 'notice' as const };
}

export async function disposeWarning(s: Services, actor: SessionUser, id: string, input: z.infer<typeof DisposeInput>) {
	if (!policies.manageWarnings(actor)) throw forbidden('只有纪检监察部门可以处置预警。');
	const w = await warningById(s.db, id);
	if (w.stage === 'closed') throw conflict('该预警已办结。');
	const notified = await s.db.transaction().execute(async (trx) => {
		// A new stage and date: the unit owes a new answer.
		await trx.updateTable('warnings').set({ stage: input.stage, due_at: input.dueAt, responded_at: null, escalated_due: null }).where('id', '=', id).execute();
		await addEvent(trx, w, { kind: 'dispose', stage: input.stage, text: input.note, dueAt: input.dueAt, userId: actor.id });
		return notify(trx, await unitPeople(trx, w.unit_id, 'submit'), {
			kind: 'warning',
			text: `《${w.title}》的预警进入“${STAGE_LABEL[input.stage]}”：${input.note}`,
			manualId: w.manual_id,
			sectionId: w.section_id,
			ref: id,
			actorId: actor.id
		});
	});
	signal(s, w.manual_id, notified);
	return { id, stage: input.stage };
}

export async function respondWarning(s: Services, actor: SessionUser, id: string, input: z.infer<typeof RespondInput>) {
	const w = await warningById(s.db, id);
	if (!canInUnit(actor, 'respondWarning', w.unit_id)) throw forbidden('书面答复由本单位负责人提交。');
	if (w.stage === 'closed') throw conflict('该预警已办结。');
	const notified = await s.db.transaction().execute(async (trx) => {
		await trx.updateTable('warnings').set({ responded_at: Date.now() }).where('id', '=', id).execute();
		await addEvent(trx, w, { kind: 'respond', stage: w.stage, text: input.text, userId: actor.id });
		return notify(trx, await reviewers(trx, 'accept'), {
			kind: 'warning',
			text: `《${w.title}》的预警已收到书面答复。`,
			manualId: w.manual_id,
			sectionId: w.section_id,
			ref: id,
			actorId: actor.id
		});
	});
	signal(s, w.manual_id, notified);
	return { id };
}

export async function closeWarning(s: Services, actor: SessionUser, id: string, input: z.infer<typeof CloseInput>) {
	if (!policies.manageWarnings(actor)) throw forbidden('只有纪检监察部门可以办结预警。');
	const w = await warningById(s.db, id);
	if (w.stage === 'closed') throw conflict('该预警已办结。');
	const notified = await s.db.transaction().execute(async (trx) => {
		await trx.updateTable('warnings').set({ stage: 'closed', closed_at: Date.now() }).where('id', '=', id).execute();
		await addEvent(trx, w, { kind: 'close', stage: 'closed', text: input.note, userId: actor.id });
		return notify(trx, await unitPeople(trx, w.unit_id, 'submit'), {
			kind: 'warning',
			text: `《${w.title}》的预警已办结：${input.note}`,
			manualId: w.manual_id,
			sectionId: w.section_id,
			ref: id,
			actorId: actor.id
		});
	});
	signal(s, w.manual_id, notified);
	return { id, stage: 'closed' as const };
}

const NEXT: Partial<Record<WarningStage, WarningStage>> = { notice: 'talk', talk: 'rectify' };

/**
 * Moves every warning whose answer date has passed without an answer up one stage. Safe to run
 * on several instances at once: each step is a conditional update that only one of them wins.
 */
export async function escalateOverdue(s: Services, now = Date.now()): Promise<number> {
	const due = await s.db
		.selectFrom('warnings')
		.innerJoin('sections', 'sections.id', 'warnings.section_id')
		.selectAll('warnings')
		.select(['sections.unit_id', 'sections.title'])
		.where('warnings.stage', 'in', ['notice', 'talk', 'rectify'])
		.where('warnings.due_at', 'is not', null)
		.where('warnings.due_at', '<', now)
		.execute();
	let moved = 0;
	for (const w of due) {
		if (w.escalated_due === w.due_at) continue; // this date already acted on
		if (w.responded_at !== null && w.responded_at <= w.due_at!) continue; // answered in time
		const next = NEXT[w.stage] ?? w.stage;
		const notified = await s.db.transaction().execute(async (trx) => {
			const r = await trx
				.updateTable('warnings')
				.set({ stage: next, escalated: 1, escalated_due: w.due_at })
				.where('id', '=', w.id)
				.where('stage', '=', w.stage)
				.where((eb) => eb.or([eb('escalated_due', 'is', null), eb('escalated_due', '!=', w.due_at)]))
				.executeTakeFirst();
			if (!r.numUpdatedRows) return null;
			const text = next === w.stage ? `逾期未答复，维持“${STAGE_LABEL[next]}”并标记升级。` : `逾期未答复，自动由“${STAGE_LABEL[w.stage]}”升级为“${STAGE_LABEL[next]}”。`;
			await addEvent(trx, w, { kind: 'escalate', stage: next, text, dueAt: w.due_at, userId: null });
			return notify(trx, [...(await unitPeople(trx, w.unit_id, 'submit')), ...(await reviewers(trx, 'accept'))], {
				kind: 'warning',
				text: `《${w.title}》的预警${text}`,
				manualId: w.manual_id,
				sectionId: w.section_id,
				ref: w.id,
				actorId: null
			});
		});
		if (notified) {
			moved++;
			signal(s, w.manual_id, notified);
		}
	}
	return moved;
}

/** Runs `escalateOverdue` every `everyMs`; returns a stop function. */
export function startEscalation(s: Services, everyMs = 15_000): () => void {
	const timer = setInterval(() => {
		escalateOverdue(s).catch((err) => log.error('warning escalation failed', errorFields(err)));
	}, everyMs);
	timer.unref();
	return () => clearInterval(timer);
}

export async function listWarnings(s: Services, manualId: string) {
	await s.manuals.get(manualId);
	const rows = await s.db
		.selectFrom('warnings')
		.innerJoin('sections', 'sections.id', 'warnings.section_id')
		.innerJoin('units', 'units.id', 'sections.unit_id')
		.selectAll('warnings')
		.select(['sections.title as sectionTitle', 'units.id as unitId', 'units.name as unitName'])
		.where('warnings.manual_id', '=', manualId)
		.orderBy('warnings.created_at', 'desc')
		.execute();
	const events = rows.length
		? await s.db
				.selectFrom('warning_events')
				.leftJoin('users', 'users.id', 'warning_events.user_id')
				.select(['warning_events.warning_id as warningId', 'warning_events.kind', 'warning_events.stage', 'warning_events.text', 'warning_events.due_at as dueAt', 'warning_events.at', 'users.id as userId', 'users.username', 'users.display_name as displayName'])
				.where(
					'warning_events.warning_id',
					'in',
					rows.map((r) => r.id)
				)
				.orderBy('warning_events.seq')
				.execute()
		: [];
	return rows.map((w) => presentWarning(w, events.filter((e) => e.warningId === w.id)));
}

type EventRow = { kind: string; stage: string; text: string; dueAt: number | null; at: number; userId: string | null; username: string | null; displayName: string | null };

export function presentWarning(w: WarningsTable & { sectionTitle: string; unitId: string; unitName: string }, events: EventRow[]) {
	return {
		id: w.id,
		sectionId: w.section_id,
		sectionTitle: w.sectionTitle,
		unitId: w.unitId,
		unitName: w.unitName,
		rowId: w.row_id,
		caseId: w.case_id,
		source: w.source,
		subject: w.subject,
		description: w.description,
		stage: w.stage,
		escalated: !!w.escalated,
		dueAt: w.due_at === null ? null : Number(w.due_at),
		respondedAt: w.responded_at === null ? null : Number(w.responded_at),
		createdAt: Number(w.created_at),
		closedAt: w.closed_at === null ? null : Number(w.closed_at),
		history: events.map((e) => ({
			kind: e.kind,
			stage: e.stage,
			text: e.text,
			dueAt: e.dueAt === null ? null : Number(e.dueAt),
			by: e.userId ? { id: e.userId, username: e.username, displayName: e.displayName } : null,
			at: Number(e.at)
		}))
	};
}

export { WARNING_STAGES };
