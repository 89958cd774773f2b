import { z } from 'zod';
import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { CasesTable, Section } from '../db/schema.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { canInUnit } from '../policies/index.ts';
import { flowchartIdsOf, riskRowsOf } from '../../collab/schema/extract.ts';
import type { FlowchartData } from '../../collab/schema/flowchart.ts';
import { editionContent } from '../editions/read.ts';
import { WorkCalendar } from './calendar.ts';

/**
 * 电子监察: a licensing case runs along its item's flowchart — the adopted one (last edition)
 * when there is one, else the current text. Each step's time limit is the step's `limitDays`
 * in working days; a yellow card when the current step nears or passes its limit, a red card
 * when it is overdue by its limit again; each card names the risk points of that step.
 */

const Instant = z
	.union([z.number().int().positive(), z.string().refine((s) => !Number.isNaN(Date.parse(s)), '日期格式无效。')], { message: '请填写日期。' })
	// A bare date is that day in Beijing (office hours); a date and time without a zone is Beijing time.
	.transform((v) => {
		if (typeof v === 'number') return v;
		if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return Date.parse(`${v}T09:00:00+08:00`);
		if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return Date.parse(`${v.length === 16 ? `${v}:00` : v}+08:00`);
		return Date.parse(v);
	});

export const NewCaseInput = z.object({
	applicant: z.string({ message: '请填写申请人。' }).trim().min(1, '请填写申请人。').max(200, '申请人名称最多 200 个字。'),
	receivedAt: Instant
});
export const StepInput = z.object({
	stepId: z.string({ message: '请指明刚办结的环节。' }).min(1, '请指明刚办结的环节。'),
	doneAt: Instant,
	/** Where the case goes next when the step branches (e.g. 补正告知); by default the main line. */
	nextStepId: z.string().min(1).optional()
});

export type Card = 'none' | 'yellow' | 'red';

/** The flowchart and risk rows a case of this section is supervised against. */
export async function supervisedContent(s: Services, section: Section) {
	const source = section.edition_id ? await editionContent(s.db, section).catch(() => s.sections.content(section)) : await s.sections.content(section);
	return source;
}

function chartOf(content: unknown, flowcharts: Record<string, FlowchartData>, id?: string) {
	const chartId = id ?? flowchartIdsOf(content).find((f) => flowcharts[f]);
	return chartId && flowcharts[chartId] ? { id: chartId, chart: flowcharts[chartId] } : null;
}

export async function openCase(s: Services, actor: SessionUser, sectionId: string, input: z.infer<typeof NewCaseInput>) {
	const section = await s.sections.get(sectionId);
	if (!canInUnit(actor, 'openCase', section.unit_id)) throw forbidden('只有本单位人员和纪检监察部门可以登记案件。');
	const { content, flowcharts } = await supervisedContent(s, section);
	const found = chartOf(content, flowcharts);
	if (!found) throw conflict('该职权事项没有流程图，无法实施电子监察。');
	const start = Object.entries(found.chart.nodes).find(([, st]) => st.kind === 'start');
	if (!start) throw conflict('流程图没有开始环节，无法登记案件。');
	const id = crypto.randomUUID();
	await s.db
		.insertInto('cases')
		.values({
			id,
			manual_id: section.manual_id,
			section_id: section.id,
			flowchart_id: found.id,
			applicant: input.applicant,
			received_at: input.receivedAt,
			current_step: start[0],
			current_since: input.receivedAt,
			created_by: actor.id,
			created_at: Date.now(),
			closed_at: null
		})
		.execute();
	s.bus.send('everyone', { type: 'manual', manualId: section.manual_id });
	return { id };
}

async function caseRow(s: Services, id: string) {
	const c = await s.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
	if (!c) throw notFound('案件不存在。');
	return c;
}

export async function recordStep(s: Services, actor: SessionUser, caseId: string, input: z.infer<typeof StepInput>) {
	const c = await caseRow(s, caseId);
	const section = await s.sections.get(c.section_id);
	if (!canInUnit(actor, 'recordCaseStep', section.unit_id)) throw forbidden('只有本单位人员和纪检监察部门可以登记办理环节。');
	if (!c.current_step) throw conflict('该案件已办结。');
	if (input.stepId !== c.current_step) throw conflict('该案件当前不在这个环节，请刷新后重试。');
	if (input.doneAt < Number(c.current_since)) throw badRequest('办结时间不能早于本环节开始的时间。');
	const { content, flowcharts } = await supervisedContent(s, section);
	const chart = chartOf(content, flowcharts, c.flowchart_id)?.chart;
	if (!chart) throw conflict('该职权事项的流程图已不存在。');
	const out = Object.values(chart.edges).filter((e) => e.source === input.stepId && chart.nodes[e.target]);
	let next: string | null = null;
	if (input.nextStepId) {
		if (!out.some((e) => e.target === input.nextStepId)) throw badRequest('下一环节与流程图不符。');
		next = input.nextStepId;
	} else if (chart.nodes[input.stepId]?.kind !== 'end') next = (out.find((e) => !e.label.trim()) ?? out[0])?.target ?? null;
	await s.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('case_steps')
			.values({ id: crypto.randomUUID(), case_id: caseId, step_id: input.stepId, started_at: c.current_since, done_at: input.doneAt, user_id: actor.id, at: Date.now() })
			.execute();
		await trx
			.updateTable('cases')
			.set({ current_step: next, current_since: input.doneAt, closed_at: next ? null : input.doneAt })
			.where('id', '=', caseId)
			.where('current_step', '=', input.stepId)
			.execute();
	});
	s.bus.send('everyone', { type: 'manual', manualId: c.manual_id });
	return caseView(s, await caseRow(s, caseId));
}

/** The card of a step that began at `since` with a limit of `limitDays` working days, at `now`. */
export function cardFor(calendar: WorkCalendar, since: number, limitDays: number | null, now: number): { card: Card; dueAt: number | null } {
	if (limitDays === null) return { card: 'none', dueAt: null };
	const dueAt = calendar.deadline(since, limitDays);
	// Nearing: the last working day of the limit has begun.
	const nearFrom = limitDays > 0 ? calendar.deadline(since, limitDays - 1) : since;
	const redFrom = calendar.deadline(dueAt, limitDays);
	return { card: now > redFrom ? 'red' : now > nearFrom ? 'yellow' : 'none', dueAt };
}

export async function caseView(s: Services, c: CasesTable, now = Date.now()) {
	const section = await s.sections.get(c.section_id);
	const { content, flowcharts } = await supervisedContent(s, section);
	const chart = chartOf(content, flowcharts, c.flowchart_id)?.chart ?? { nodes: {}, edges: {} };
	const calendar = await s.calendar();
	const step = c.current_step ? chart.nodes[c.current_step] : undefined;
	const since = Number(c.current_since);
	const { card, dueAt } = step ? cardFor(calendar, since, step.limitDays, now) : { card: 'none' as Card, dueAt: null };
	const steps = await s.db.selectFrom('case_steps').selectAll().where('case_id', '=', c.id).orderBy('done_at').execute();
	return {
		id: c.id,
		sectionId: c.section_id,
		sectionTitle: section.title,
		unitId: section.unit_id,
		flowchartId: c.flowchart_id,
		applicant: c.applicant,
		receivedAt: Number(c.received_at),
		closedAt: c.closed_at === null ? null : Number(c.closed_at),
		current: c.current_step ? { stepId: c.current_step, label: step?.label ?? '', post: step?.post ?? '', limitDays: step?.limitDays ?? null, since, dueAt } : null,
		card,
		risks: c.current_step
			? riskRowsOf(content)
					.filter((r) => r.stepId === c.current_step)
					.map((r) => ({ rowId: r.id, point: r.cells.point ?? '', form: r.cells.form ?? '', level: r.level, measure: r.cells.measure ?? '', post: r.cells.post ?? '', leader: r.cells.leader ?? '' }))
			: [],
		steps: steps.map((x) => ({ stepId: x.step_id, label: chart.nodes[x.step_id]?.label ?? '', startedAt: Number(x.started_at), doneAt: Number(x.done_at) })),
		/** Where the case may go from the current step (a branch, like 补正告知, is chosen explicitly). */
		next: c.current_step
			? Object.values(chart.edges)
					.filter((e) => e.source === c.current_step && chart.nodes[e.target])
					.map((e) => ({ stepId: e.target, label: chart.nodes[e.target].label, edgeLabel: e.label }))
			: []
	};
}
export type CaseView = Awaited<ReturnType<typeof caseView>>;

export async function getCase(s: Services, id: string) {
	return caseView(s, await caseRow(s, id));
}

/** Counts of cases and cards by unit, item, step and post: the supervision overview. */
export async function supervision(s: Services, manualId: string, now = Date.now()) {
	await s.manuals.get(manualId);
	const rows = await s.db.selectFrom('cases').selectAll().where('manual_id', '=', manualId).orderBy('created_at', 'desc').execute();
	const views: CaseView[] = [];
	for (const c of rows) views.push(await caseView(s, c, now));
	const outline = await s.manuals.outline(manualId);
	type Count = { cases: number; open: number; yellow: number; red: number };
	const zero = (): Count => ({ cases: 0, open: 0, yellow: 0, red: 0 });
	const add = (k: Count, v: CaseView) => {
		k.cases++;
		if (v.current) k.open++;
		if (v.card === 'yellow') k.yellow++;
		if (v.card === 'red') k.red++;
	};
	const units = outline.units.map((u) => ({ id: u.id, name: u.name, ...zero() }));
	const items = outline.units.flatMap((u) => u.sections.map((sec) => ({ sectionId: sec.id, title: sec.title, unitName: u.name, ...zero() })));
	const steps = new Map<string, { sectionId: string; stepId: string; label: string; post: string } & Count>();
	const posts = new Map<string, { post: string } & Count>();
	for (const v of views) {
		const unit = units.find((u) => u.id === v.unitId);
		if (unit) add(unit, v);
		const item = items.find((i) => i.sectionId === v.sectionId);
		if (item) add(item, v);
		if (v.current) {
			const key = `${v.sectionId}/${v.current.stepId}`;
			if (!steps.has(key)) steps.set(key, { sectionId: v.sectionId, stepId: v.current.stepId, label: v.current.label, post: v.current.post, ...zero() });
			add(steps.get(key)!, v);
			const post = v.current.post || '（未填写岗位）';
			if (!posts.has(post)) posts.set(post, { post, ...zero() });
			add(posts.get(post)!, v);
		}
	}
	const totals = zero();
	for (const v of views) add(totals, v);
	return { totals, units, items, steps: [...steps.values()], posts: [...posts.values()], cases: views };
}
