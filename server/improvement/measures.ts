import { z } from 'zod';
import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { MEASURE_STATUSES, type MeasureStatus } from '../db/schema.ts';
import { forbidden, notFound } from '../errors.ts';
import { canInUnit } from '../policies/index.ts';
import { riskRowsOf, type RiskRowData } from '../../collab/schema/extract.ts';
import { RISK_CELLS } from '../../collab/schema/risk-table.ts';
import { latestEdition, parseSnapshot } from '../editions/read.ts';
import { endOfBeijingDay } from './calendar.ts';
import { notify } from '../inbox/notifications.ts';
import { reviewers } from '../inbox/audience.ts';

/**
 * 落实防控措施: every risk row's measures and institution-building plan as a tracked item, read
 * from the latest edition when the manual has one (what was adopted), else from the current
 * text. The item keeps its status reports; the row itself says who prevents and who controls.
 */

export const MeasureUpdateInput = z.object({
	status: z.enum(MEASURE_STATUSES, { message: '状态应为 pending（未开始）、in_progress（进行中）或 done（已完成）。' }),
	note: z.string({ message: '请填写进展说明。' }).trim().min(1, '请填写进展说明。').max(2000, '进展说明最多 2000 个字。'),
	attachment: z.string().trim().max(200, '附件名称最多 200 个字。').nullish()
});

export const STATUS_LABEL: Record<MeasureStatus, string> = { pending: '未开始', in_progress: '进行中', done: '已完成' };

/** The rows the measures come from: per live section, its risk rows in the adopted (or current) text. */
async function rowsOfManual(s: Services, manualId: string) {
	const sections = await s.db
		.selectFrom('sections')
		.innerJoin('units', 'units.id', 'sections.unit_id')
		.innerJoin('manual_units', (j) => j.onRef('manual_units.unit_id', '=', 'sections.unit_id').onRef('manual_units.manual_id', '=', 'sections.manual_id'))
		.select(['sections.id', 'sections.title', 'sections.doc', 'sections.unit_id', 'units.name as unitName'])
		.where('sections.manual_id', '=', manualId)
		.where('sections.deleted_at', 'is', null)
		.orderBy('manual_units.position')
		.orderBy('sections.position')
		.execute();
	const edition = await latestEdition(s.db, manualId);
	const adopted = edition ? new Map(parseSnapshot(edition.snapshot).units.flatMap((u) => u.sections.map((x) => [x.id, x]))) : null;
	const out: { section: (typeof sections)[number]; row: RiskRowData; stepLabel: string }[] = [];
	for (const section of sections) {
		const source = adopted ? adopted.get(section.id) : await s.sections.content(section);
		if (!source) continue; // added after the edition: not adopted yet
		const steps = Object.fromEntries(Object.values(source.flowcharts).flatMap((c) => Object.entries(c.nodes).map(([id, st]) => [id, st.label])));
		for (const row of riskRowsOf(source.content)) {
			if (!row.id || RISK_CELLS.every((c) => !row.cells[c.key]?.trim())) continue;
			out.push({ section, row, stepLabel: (row.stepId && steps[row.stepId]) || '' });
		}
	}
	return out;
}

export async function listMeasures(s: Services, manualId: string, now = Date.now()) {
	await s.manuals.get(manualId);
	const rows = await rowsOfManual(s, manualId);
	const existing = await s.db.selectFrom('measures').select(['id', 'section_id', 'row_id']).where('manual_id', '=', manualId).execute();
	const idOf = new Map(existing.map((m) => [`${m.section_id}/${m.row_id}`, m.id]));
	const fresh = rows.filter(({ section, row }) => !idOf.has(`${section.id}/${row.id}`));
	if (fresh.length) {
		const values = fresh.map(({ section, row }) => ({ id: crypto.randomUUID(), manual_id: manualId, section_id: section.id, row_id: row.id!, created_at: now }));
		await s.db.insertInto('measures').values(values).onConflict((oc) => oc.columns(['section_id', 'row_id']).doNothing()).execute();
		const again = await s.db.selectFrom('measures').select(['id', 'section_id', 'row_id']).where('manual_id', '=', manualId).execute();
		for (const m of again) idOf.set(`${m.section_id}/${m.row_id}`, m.id);
	}
	const updates = await s.db
		.selectFrom('measure_updates')
		.innerJoin('measures', 'measures.id', 'measure_updates.measure_id')
		.innerJoin('users', 'users.id', 'measure_updates.user_id')
		.select(['measure_updates.measure_id as measureId', 'measure_updates.status', 'measure_updates.note', 'measure_updates.attachment', 'measure_updates.at', 'users.id as userId', 'users.username', 'users.display_name as displayName'])
		.where('measures.manual_id', '=', manualId)
		.orderBy('measure_updates.at')
		.execute();
	return rows.map(({ section, row, stepLabel }) => {
		const id = idOf.get(`${section.id}/${row.id}`)!;
		const mine = updates.filter((u) => u.measureId === id);
		const status: MeasureStatus = mine.at(-1)?.status ?? 'pending';
		const due = row.deadline ? endOfBeijingDay(row.deadline) : null;
		return {
			id,
			sectionId: section.id,
			sectionTitle: section.title,
			rowId: row.id!,
			unitId: section.unit_id,
			unitName: section.unitName,
			step: stepLabel,
			risk: row.cells.point ?? '',
			form: row.cells.form ?? '',
			level: row.level,
			measure: row.cells.measure ?? '',
			post: row.cells.post ?? '',
			leader: row.cells.leader ?? '',
			plan: row.cells.plan ?? '',
			deadline: row.deadline,
			status,
			overdue: due !== null && now > due && status !== 'done',
			/** Due within seven days and not done: reminded in the unit's inbox. */
			dueSoon: due !== null && now <= due && due - now <= 7 * 86_400_000 && status !== 'done',
			updates: mine.map((u) => ({
				status: u.status,
				note: u.note,
				attachment: u.attachment,
				by: { id: u.userId, username: u.username, displayName: u.displayName },
				at: Number(u.at)
			}))
		};
	});
}
export type MeasureView = Awaited<ReturnType<typeof listMeasures>>[number];

export async function reportMeasure(s: Services, actor: SessionUser, measureId: string, input: z.infer<typeof MeasureUpdateInput>) {
	const m = await s.db
		.selectFrom('measures')
		.innerJoin('sections', 'sections.id', 'measures.section_id')
		.select(['measures.id', 'measures.manual_id', 'measures.section_id', 'sections.unit_id', 'sections.title'])
		.where('measures.id', '=', measureId)
		.executeTakeFirst();
	if (!m) throw notFound('该防控措施不存在。');
	if (!canInUnit(actor, 'updateMeasure', m.unit_id)) throw forbidden('只有本单位人员和纪检监察部门可以报告措施落实情况。');
	const id = crypto.randomUUID();
	const notified = await s.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('measure_updates')
			.values({ id, measure_id: measureId, status: input.status, note: input.note, attachment: input.attachment ?? null, user_id: actor.id, at: Date.now() })
			.execute();
		if (input.status !== 'done') return [];
		return notify(trx, await reviewers(trx, 'accept'), {
			kind: 'measure',
			text: `《${m.title}》的一项防控措施已落实完成：${input.note}`,
			manualId: m.manual_id,
			sectionId: m.section_id,
			ref: measureId,
			actorId: actor.id
		});
	});
	s.bus.send(notified, { type: 'inbox' });
	s.bus.send('everyone', { type: 'manual', manualId: m.manual_id });
	return { id };
}
