import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { forbidden, withDetails } from '../errors.ts';
import { policies } from '../policies/index.ts';
import { buildSnapshot } from '../editions/build.ts';
import { canonicalJson, sha256Hex } from '../editions/canonical.ts';
import { appendEvent } from '../workflow/history.ts';
import { notify } from '../inbox/notifications.ts';
import { STATE_LABEL } from '../workflow/states.ts';
import { drawEditionPictures } from '../editions/pictures.ts';

/**
 * 汇编成册: freezes the manual as edition n+1 once every section is accepted. The edition row,
 * every section turning `published`, the timeline and everyone's inbox are written in one
 * transaction; then open editors re-authenticate and find the sections read-only.
 */
export async function publishEdition(s: Services, actor: SessionUser, manualId: string, note: string) {
	if (!policies.publish(actor)) throw forbidden('只有纪检监察部门可以发布手册。');
	const manual = await s.manuals.get(manualId);
	const outline = await s.manuals.outline(manualId);
	const sections = outline.units.flatMap((u) => u.sections.map((sec) => ({ ...sec, unit: u.name })));
	const notReady = sections.filter((sec) => sec.state !== 'accepted');
	if (!sections.length || notReady.length)
		throw withDetails(
			'not_ready',
			sections.length ? `还有 ${notReady.length} 个章节未通过审核，不能发布。` : '手册还没有任何章节，不能发布。',
			notReady.map((sec) => ({ id: sec.id, title: sec.title, unit: sec.unit, state: sec.state, stateLabel: STATE_LABEL[sec.state] }))
		);
	const previous = await s.db.selectFrom('editions').select(['number', 'hash', 'published_at']).where('manual_id', '=', manualId).orderBy('number', 'desc').executeTakeFirst();
	const number = (previous?.number ?? 0) + 1;
	const publishedAt = Date.now();
	const snapshot = await buildSnapshot(s, actor, manualId, {
		number,
		prevHash: previous?.hash ?? null,
		note,
		publishedAt,
		since: Number(previous?.published_at ?? 0)
	});
	const text = canonicalJson(snapshot);
	const hash = sha256Hex(text);
	const id = crypto.randomUUID();
	const notified = await s.db.transaction().execute(async (trx) => {
		await trx
			.insertInto('editions')
			.values({ id, manual_id: manualId, number, hash, prev_hash: previous?.hash ?? null, snapshot: text, note, published_at: publishedAt, published_by: actor.id })
			.execute();
		for (const sec of sections) {
			// Published exactly as frozen: a section changed state since the check fails the whole publish.
			const r = await trx.updateTable('sections').set({ state: 'published', edition_id: id }).where('id', '=', sec.id).where('state', '=', 'accepted').executeTakeFirst();
			if (!r.numUpdatedRows) throw withDetails('not_ready', '发布过程中有章节状态发生变化，请刷新后重试。', [{ id: sec.id, title: sec.title }]);
			await appendEvent(trx, { sectionId: sec.id, action: 'publish', userId: actor.id, from: 'accepted', to: 'published', note: note || null, data: { editionId: id, number } });
		}
		const everyone = await trx.selectFrom('users').select('id').where('disabled', '=', 0).execute();
		return notify(
			trx,
			everyone.map((u) => u.id),
			{ kind: 'published', text: `《${manual.title}》第 ${number} 版已发布。`, manualId, ref: id, actorId: actor.id }
		);
	});
	for (const sec of sections) {
		s.collab.stateChanged(sec.doc, 'published');
	}
	s.bus.send(notified, { type: 'inbox' });
	s.bus.send('everyone', { type: 'manual', manualId });
	// The book's pictures, drawn now (off the event loop) so the first Word download is quick.
	void drawEditionPictures(s.db, snapshot);
	return { id, number, hash };
}
