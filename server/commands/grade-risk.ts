import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { notFound } from '../errors.ts';
import { decideSection } from '../policies/index.ts';
import { refusalError } from '../policies/refuse.ts';
import { findRiskRowElement, LEVEL_LABEL, type RiskLevel } from '../../collab/schema/risk-table.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';
import { SECTION_FIELD } from '../../collab/schema/index.ts';
import { appendEvent } from '../workflow/history.ts';
import { notify } from '../inbox/notifications.ts';
import { unitPeople } from '../inbox/audience.ts';
import { errorFields, log } from '../log.ts';

/**
 * 专家评定风险等级: the grade is kept (who, when, why, and the level it replaced) and written into
 * the live document, so every open editor shows the new level at once.
 */
export async function gradeRisk(s: Services, actor: SessionUser, sectionId: string, rowId: string, input: { level: RiskLevel; reason: string }) {
	const section = await s.sections.get(sectionId);
	const manual = await s.sections.manualOf(section);
	const refused = refusalError('grade', decideSection(actor, 'grade', section, manual), section.state, manual.phase);
	if (refused) throw refused;
	const { content } = await s.sections.content(section);
	const row = riskRowsOf(content).find((r) => r.id === rowId);
	if (!row) throw notFound('该章节中没有这个风险行。');
	const gradeId = crypto.randomUUID();
	const notified = await s.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('risk_grades')
			.values({ id: gradeId, section_id: sectionId, row_id: rowId, level: input.level, previous_level: row.level, reason: input.reason, user_id: actor.id, at: Date.now() })
			.execute();
		await appendEvent(trx, {
			sectionId,
			action: 'grade',
			userId: actor.id,
			note: input.reason,
			data: { rowId, level: input.level, previous: row.level, point: row.cells.point ?? '' }
		});
		return notify(trx, await unitPeople(trx, section.unit_id), {
			kind: 'graded',
			text: `${actor.displayName} 将《${section.title}》中的风险“${row.cells.point || '（未命名）'}”评定为${LEVEL_LABEL[input.level]}风险：${input.reason}`,
			manualId: manual.id,
			sectionId,
			ref: rowId,
			actorId: actor.id
		});
	});
	try {
		await s.collab.editDocument(section.doc, (doc) => {
			findRiskRowElement(doc.getXmlFragment(SECTION_FIELD), rowId)?.setAttribute('level', input.level);
		});
	} catch (err) {
		// The record without the change would mislead: take it back, then fail.
		log.error('grade could not be written into the document', { section: sectionId, rowId, ...errorFields(err) });
		await s.db.deleteFrom('risk_grades').where('id', '=', gradeId).execute();
		throw err;
	}
	s.bus.send(notified, { type: 'inbox' });
	s.bus.send('everyone', { type: 'manual', manualId: manual.id });
	return { id: gradeId, rowId, level: input.level };
}

export async function gradesOf(s: Services, sectionId: string, rowId?: string) {
	let q = s.db
		.selectFrom('risk_grades')
		.innerJoin('users', 'users.id', 'risk_grades.user_id')
		.select(['risk_grades.row_id as rowId', 'risk_grades.level', 'risk_grades.previous_level as previousLevel', 'risk_grades.reason', 'risk_grades.at', 'users.id as userId', 'users.username', 'users.display_name as displayName', 'users.role'])
		.where('risk_grades.section_id', '=', sectionId);
	if (rowId) q = q.where('risk_grades.row_id', '=', rowId);
	return q.orderBy('risk_grades.at').execute();
}
