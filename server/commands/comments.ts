import type * as Y from 'yjs';
import { z } from 'zod';
import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { Section } from '../db/schema.ts';
import { badRequest, notFound } from '../errors.ts';
import { decideSection } from '../policies/index.ts';
import { refusalError } from '../policies/refuse.ts';
import { AnchorInput, quoteOf, resolveTextAnchor, sizeMapping, textAnchor, type StoredAnchor } from '../../collab/schema/anchors.ts';
import { editorSchema, readSection, SECTION_FIELD, yDocToNode } from '../../collab/schema/index.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';
import { appendEvent } from '../workflow/history.ts';
import { notify } from '../inbox/notifications.ts';
import { unitPeople } from '../inbox/audience.ts';
import { createThread, mentionedUsernames, threadById } from '../comments/threads.ts';
import { DOC_MESSAGE } from '../../collab/protocol.ts';
import type { Db } from '../db/connect.ts';

/** Comment threads on a section: open, reply, resolve, reopen. Each writes the thread, the section's timeline and the inbox together. */

const Body = z.string({ message: '请填写意见内容。' }).trim().min(1, '请填写意见内容。').max(4000, '意见最多 4000 个字。');
export const NewCommentInput = z.object({ anchor: AnchorInput, body: Body });
export const ReplyInput = z.object({ body: Body });

async function mayComment(s: Services, actor: SessionUser, section: Section) {
	const manual = await s.sections.manualOf(section);
	const refused = refusalError('comment', decideSection(actor, 'comment', section, manual), section.state, manual.phase);
	if (refused) throw refused;
	return manual;
}

/** Turns what the client pointed at into a stored anchor and the quote it covers, or refuses with 400. */
async function anchorIn(s: Services, section: Section, anchor: AnchorInput): Promise<{ stored: StoredAnchor; quote: string }> {
	return s.sections.withDoc(section, (doc) => {
		if (anchor.type === 'text') {
			const node = yDocToNode(doc);
			const fragment = doc.getXmlFragment(SECTION_FIELD);
			const { from, to } = textRange(doc, fragment, anchor);
			if (from >= to || to > node.content.size) throw badRequest('所选文字的位置无效，请重新选择。');
			const quote = quoteOf(node, from, to);
			if (!quote.trim()) throw badRequest('请选择要发表意见的文字。');
			return { stored: textAnchor(fragment, sizeMapping(editorSchema()), from, to), quote };
		}
		const { content, flowcharts } = readSection(doc);
		if (anchor.type === 'row') {
			const row = riskRowsOf(content).find((r) => r.id === anchor.rowId);
			if (!row) throw badRequest('该章节中没有这个风险行。');
			return { stored: anchor, quote: row.cells.point ?? '' };
		}
		const step = flowcharts[anchor.flowchartId]?.nodes[anchor.stepId];
		if (!step) throw badRequest('该章节的流程图中没有这个环节。');
		return { stored: anchor, quote: step.label };
	});
}

/**
 * The range a text anchor means on the server's document. Relative positions, when the client sends
 * them, win over its absolute ones: they name the same characters even if the documents differ.
 */
function textRange(doc: Y.Doc, fragment: Y.XmlFragment, anchor: Extract<AnchorInput, { type: 'text' }>): { from: number; to: number } {
	if (!anchor.start || !anchor.end) return anchor;
	const at = resolveTextAnchor(doc, fragment, sizeMapping(editorSchema()), { start: anchor.start, end: anchor.end });
	if (!at) throw badRequest('所选文字在服务器的正文中找不到（可能尚未保存或已被删除），请重新选择。');
	return at;
}

async function mentioned(db: Db, body: string): Promise<string[]> {
	const names = mentionedUsernames(body);
	if (!names.length) return [];
	const rows = await db.selectFrom('users').select('id').where('username', 'in', names).where('disabled', '=', 0).execute();
	return rows.map((r) => r.id);
}

async function participants(db: Db, threadId: string): Promise<string[]> {
	const t = await db.selectFrom('comment_threads').select('author_id').where('id', '=', threadId).execute();
	const r = await db.selectFrom('comment_replies').select('author_id').where('thread_id', '=', threadId).execute();
	return [...t, ...r].map((x) => x.author_id);
}

function afterwards(s: Services, section: Section, notified: string[]) {
	s.collab.notifyDocument(section.doc, { type: DOC_MESSAGE.comments });
	s.bus.send(notified, { type: 'inbox' });
	s.bus.send('everyone', { type: 'manual', manualId: section.manual_id });
}

const excerpt = (t: string) => (t.length > 40 ? `${t.slice(0, 40)}…` : t);

export async function addComment(s: Services, actor: SessionUser, sectionId: string, input: z.infer<typeof NewCommentInput>) {
	const section = await s.sections.get(sectionId);
	const manual = await mayComment(s, actor, section);
	const { stored, quote } = await anchorIn(s, section, input.anchor);
	let threadId = '';
	const notified = await s.db.transaction().execute(async (trx) => {
		({ id: threadId } = await createThread(trx, { sectionId, anchor: stored, quote, body: input.body, authorId: actor.id }));
		await appendEvent(trx, { sectionId, action: 'comment', userId: actor.id, note: input.body, data: { threadId, anchor: stored.type, quote } });
		const where = { manualId: manual.id, sectionId, ref: threadId, actorId: actor.id };
		const mentions = await notify(trx, await mentioned(trx, input.body), { ...where, kind: 'mention', text: `${actor.displayName} 在《${section.title}》的意见中提到了您：${excerpt(input.body)}` });
		const unit = (await unitPeople(trx, section.unit_id)).filter((id) => !mentions.includes(id));
		const others = await notify(trx, unit, { ...where, kind: 'comment', text: `${actor.displayName} 对《${section.title}》发表了意见：${excerpt(input.body)}` });
		return [...mentions, ...others];
	});
	afterwards(s, section, notified);
	return { id: threadId };
}

async function threadAndSection(s: Services, actor: SessionUser, threadId: string) {
	const thread = await threadById(s.db, threadId);
	if (!thread) throw notFound('意见不存在。');
	const section = await s.sections.get(thread.section_id);
	await mayComment(s, actor, section);
	return { thread, section };
}

export async function replyToComment(s: Services, actor: SessionUser, threadId: string, input: z.infer<typeof ReplyInput>) {
	const { section } = await threadAndSection(s, actor, threadId);
	const id = crypto.randomUUID();
	const notified = await s.db.transaction().execute(async (trx) => {
		await trx.insertInto('comment_replies').values({ id, thread_id: threadId, body: input.body, author_id: actor.id, created_at: Date.now() }).execute();
		await appendEvent(trx, { sectionId: section.id, action: 'reply', userId: actor.id, note: input.body, data: { threadId } });
		const where = { manualId: section.manual_id, sectionId: section.id, ref: threadId, actorId: actor.id };
		const mentions = await notify(trx, await mentioned(trx, input.body), { ...where, kind: 'mention', text: `${actor.displayName} 在《${section.title}》的意见中提到了您：${excerpt(input.body)}` });
		const people = (await participants(trx, threadId)).filter((u) => !mentions.includes(u));
		const others = await notify(trx, people, { ...where, kind: 'reply', text: `${actor.displayName} 回复了《${section.title}》的意见：${excerpt(input.body)}` });
		return [...mentions, ...others];
	});
	afterwards(s, section, notified);
	return { id };
}

export async function setThreadResolved(s: Services, actor: SessionUser, threadId: string, resolved: boolean) {
	const { thread, section } = await threadAndSection(s, actor, threadId);
	if (!!thread.resolved_at === resolved) return { id: threadId, resolved };
	const notified = await s.db.transaction().execute(async (trx) => {
		await trx
			.updateTable('comment_threads')
			.set(resolved ? { resolved_at: Date.now(), resolved_by: actor.id } : { resolved_at: null, resolved_by: null })
			.where('id', '=', threadId)
			.execute();
		await appendEvent(trx, { sectionId: section.id, action: resolved ? 'resolve' : 'reopen', userId: actor.id, data: { threadId } });
		return notify(trx, await participants(trx, threadId), {
			kind: 'reply',
			text: `${actor.displayName} ${resolved ? '将意见标为已解决' : '重新打开了意见'}：《${section.title}》`,
			manualId: section.manual_id,
			sectionId: section.id,
			ref: threadId,
			actorId: actor.id
		});
	});
	afterwards(s, section, notified);
	return { id: threadId, resolved };
}
