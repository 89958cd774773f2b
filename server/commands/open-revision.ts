import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { conflict, forbidden } from '../errors.ts';
import { policies } from '../policies/index.ts';
import { appendEvent } from '../workflow/history.ts';
import { notify } from '../inbox/notifications.ts';
import { latestEdition, parseSnapshot } from '../editions/read.ts';
import { canonicalJson } from '../editions/canonical.ts';
import { readSection, replaceSectionContent } from '../../collab/schema/index.ts';

/**
 * 动态管理: opens a new review cycle from the latest edition. Every section of that edition
 * returns to draft holding exactly the edition's content; the next publish is edition n+1.
 * Readers keep reading the edition meanwhile.
 */
export async function openRevision(s: Services, actor: SessionUser, manualId: string) {
	if (!policies.publish(actor)) throw forbidden('只有纪检监察部门可以开启修订。');
	const manual = await s.manuals.get(manualId);
	const edition = await latestEdition(s.db, manualId);
	if (!edition) throw conflict('本手册还没有已发布的版本，无需开启修订。');
	const snapshot = parseSnapshot(edition.snapshot);
	const frozen = snapshot.units.flatMap((u) => u.sections);
	const live = await s.db.selectFrom('sections').selectAll().where('manual_id', '=', manualId).where('deleted_at', 'is', null).execute();
	const byId = new Map(live.map((x) => [x.id, x]));
	const reopened = frozen.map((f) => ({ frozen: f, section: byId.get(f.id) })).filter((x) => x.section?.state === 'published');
	if (!reopened.length) throw conflict('修订已在进行中：本手册没有处于“已发布”状态的章节。');
	// Published sections are read-only, so their documents should hold the edition already; make sure.
	for (const { frozen: f, section } of reopened) {
		const now = await s.sections.withDoc(section!, (doc) => canonicalJson(readSection(doc)));
		if (now !== canonicalJson({ content: f.content, flowcharts: f.flowcharts }))
			await s.collab.editDocument(section!.doc, (doc) => replaceSectionContent(doc, { content: f.content, flowcharts: f.flowcharts }));
	}
	const notified = await s.db.transaction().execute(async (trx) => {
		for (const { section } of reopened) {
			await trx.updateTable('sections').set({ state: 'draft' }).where('id', '=', section!.id).where('state', '=', 'published').execute();
			await appendEvent(trx, { sectionId: section!.id, action: 'revise', userId: actor.id, from: 'published', to: 'draft', data: { fromEdition: edition.number } });
		}
		const everyone = await trx.selectFrom('users').select('id').where('disabled', '=', 0).execute();
		return notify(
			trx,
			everyone.map((u) => u.id),
			{ kind: 'phase', text: `《${manual.title}》开启修订（基于第 ${edition.number} 版），各单位可修改本单位章节。`, manualId, ref: edition.id, actorId: actor.id }
		);
	});
	for (const { section } of reopened) {
		s.collab.stateChanged(section!.doc, 'draft');
	}
	s.bus.send(notified, { type: 'inbox' });
	s.bus.send('everyone', { type: 'manual', manualId });
	return { manualId, fromEdition: { id: edition.id, number: edition.number }, nextNumber: edition.number + 1, sections: reopened.length };
}
