import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { badRequest, invalidTransition, withDetails } from '../errors.ts';
import { decideSection } from '../policies/index.ts';
import { refusalError } from '../policies/refuse.ts';
import { TRANSITION_TO } from '../workflow/states.ts';
import type { TransitionInput } from '../workflow/inputs.ts';
import { appendEvent } from '../workflow/history.ts';
import { runChecklist } from '../../collab/schema/checklist.ts';
import { notify } from '../inbox/notifications.ts';
import { reviewers, unitPeople } from '../inbox/audience.ts';
import { createThread } from '../comments/threads.ts';
import { DOC_MESSAGE } from '../../collab/protocol.ts';

/**
 * 报送 / 退回 / 通过: moves a section through review. State, timeline entry, the return note as
 * a comment thread, and everyone's inbox are written in one transaction; then open editors of
 * the section re-authenticate, so the lock (or unlock) applies to them at once.
 */
export async function transitionSection(s: Services, actor: SessionUser, sectionId: string, input: TransitionInput) {
	const section = await s.sections.get(sectionId);
	const manual = await s.sections.manualOf(section);
	const refused = refusalError(input.action, decideSection(actor, input.action, section, manual), section.state, manual.phase);
	if (refused) throw refused;
	const note = input.note?.trim() || null;
	if (input.action === 'return' && !note) throw badRequest('退回修改时请填写退回意见。');
	if (input.action === 'submit') {
		const { content, flowcharts } = await s.sections.content(section);
		const result = runChecklist(content, flowcharts);
		if (!result.ok)
			throw withDetails('checklist_failed', `自我复查未通过（${result.problems.length} 个问题），请修改后再报送。`, result.problems);
	}
	const to = TRANSITION_TO[input.action];
	const notified = await s.db.transaction().execute(async (trx) => {
		// Only from the state we checked: a concurrent transition makes this one fail cleanly.
		const moved = await trx.updateTable('sections').set({ state: to }).where('id', '=', section.id).where('state', '=', section.state).executeTakeFirst();
		if (!moved.numUpdatedRows) throw invalidTransition('章节状态刚刚被他人改变，请刷新后重试。');
		await appendEvent(trx, { sectionId: section.id, action: input.action, userId: actor.id, from: section.state, to, note });
		const unit = await unitPeople(trx, section.unit_id);
		const title = `《${section.title}》`;
		if (input.action === 'submit') {
			return notify(trx, [...(await reviewers(trx, 'accept')), ...(await reviewers(trx, 'grade')), ...unit], {
				kind: 'submitted',
				text: `${actor.displayName} 报送了${title}，等待审核。`,
				manualId: manual.id,
				sectionId: section.id,
				actorId: actor.id
			});
		}
		if (input.action === 'return') {
			const thread = await createThread(trx, { sectionId: section.id, anchor: { type: 'section' }, quote: '', body: note!, authorId: actor.id });
			return notify(trx, unit, {
				kind: 'returned',
				text: `${title}被退回修改：${note}`,
				manualId: manual.id,
				sectionId: section.id,
				ref: thread.id,
				actorId: actor.id
			});
		}
		return notify(trx, unit, { kind: 'accepted', text: `${title}已通过审核。`, manualId: manual.id, sectionId: section.id, actorId: actor.id });
	});
	s.collab.stateChanged(section.doc, to);
	if (input.action === 'return') s.collab.notifyDocument(section.doc, { type: DOC_MESSAGE.comments });
	s.bus.send(notified, { type: 'inbox' });
	s.bus.send('everyone', { type: 'manual', manualId: manual.id });
	return { id: section.id, state: to };
}
