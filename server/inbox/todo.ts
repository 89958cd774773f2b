import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { canInUnit, policies, sectionPermissions } from '../policies/index.ts';
import { listMeasures } from '../improvement/measures.ts';
import { runChecklist } from '../../collab/schema/checklist.ts';

/**
 * 待办: what is waiting for this person, derived from the permission table — a section is on
 * someone's list exactly when they may take its next step.
 */
export type TodoItem = {
	kind: 'revise' | 'submit' | 'review' | 'grade' | 'approve' | 'decide' | 'measure';
	text: string;
	manualId: string;
	sectionId: string | null;
	/** Sections to submit: how many self-review problems remain. */
	problems?: number;
	href: string;
};

export async function todoFor(s: Services, user: SessionUser): Promise<TodoItem[]> {
	const items: TodoItem[] = [];
	const manuals = await s.db.selectFrom('manuals').selectAll().orderBy('created_at').execute();
	for (const manual of manuals) {
		const sections = await s.db
			.selectFrom('sections')
			.innerJoin('units', 'units.id', 'sections.unit_id')
			.select(['sections.id', 'sections.title', 'sections.doc', 'sections.state', 'sections.unit_id', 'units.name as unitName'])
			.where('sections.manual_id', '=', manual.id)
			.where('sections.deleted_at', 'is', null)
			.orderBy('sections.position')
			.execute();
		const href = (id: string) => `/manuals/${manual.id}/sections/${id}`;
		for (const sec of sections) {
			const can = sectionPermissions(user, sec, manual);
			if (can.submit.allowed) {
				const { content, flowcharts } = await s.sections.content(sec);
				const problems = runChecklist(content, flowcharts).problems.length;
				items.push({
					kind: 'submit',
					text: problems ? `《${sec.title}》自我复查还有 ${problems} 个问题` : `《${sec.title}》已通过自我复查，可以报送`,
					manualId: manual.id,
					sectionId: sec.id,
					problems,
					href: href(sec.id)
				});
			} else if (can.write.allowed && sec.state === 'returned')
				items.push({ kind: 'revise', text: `《${sec.title}》已退回，请按意见修改`, manualId: manual.id, sectionId: sec.id, href: href(sec.id) });
			if (can.accept.allowed) items.push({ kind: 'review', text: `${sec.unitName}《${sec.title}》已报送，待审核`, manualId: manual.id, sectionId: sec.id, href: href(sec.id) });
			else if (can.grade.allowed && sec.state === 'submitted')
				items.push({ kind: 'grade', text: `${sec.unitName}《${sec.title}》待评估`, manualId: manual.id, sectionId: sec.id, href: href(sec.id) });
		}
		if (manual.phase === 'improvement' && user.unitIds.length) {
			// Reminders of the unit's own measures, a week before and after their deadline.
			for (const m of await listMeasures(s, manual.id))
				if ((m.overdue || m.dueSoon) && user.unitIds.includes(m.unitId) && canInUnit(user, 'updateMeasure', m.unitId))
					items.push({
						kind: 'measure',
						text: m.overdue ? `防控措施已逾期（${m.deadline}）：${m.plan || m.measure}` : `防控措施将于 ${m.deadline} 到期：${m.plan || m.measure}`,
						manualId: manual.id,
						sectionId: m.sectionId,
						href: `/manuals/${manual.id}/measures#${m.id}`
					});
		}
		if (manual.phase === 'assessment') {
			const approved = new Set((await s.db.selectFrom('approvals').select('unit_id').where('manual_id', '=', manual.id).execute()).map((a) => a.unit_id));
			const units = [...new Map(sections.map((x) => [x.unit_id, x.unitName])).entries()];
			for (const [unitId, name] of units)
				if (policies.recordApproval(user, unitId) && !approved.has(unitId))
					items.push({ kind: 'approve', text: `请记录${name}领导班子集体审定`, manualId: manual.id, sectionId: null, href: `/manuals/${manual.id}/records` });
			const allAccepted = sections.length > 0 && sections.every((x) => x.state === 'accepted');
			const decided = await s.db.selectFrom('decisions').select('id').where('manual_id', '=', manual.id).executeTakeFirst();
			if (policies.recordDecision(user) && allAccepted && !decided)
				items.push({ kind: 'decide', text: `《${manual.title}》各章节已通过审核，待党组研究`, manualId: manual.id, sectionId: null, href: `/manuals/${manual.id}/records` });
		}
	}
	return items;
}
