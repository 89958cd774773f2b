import type * as Y from 'yjs';
import type { Db } from '../db/connect.ts';
import { StoredAnchor, findQuote, quoteOf, resolveTextAnchor, sizeMapping } from '../../collab/schema/anchors.ts';
import { editorSchema, SECTION_FIELD, yDocToNode } from '../../collab/schema/index.ts';
import { errorFields, log } from '../log.ts';

/** Comment threads and replies as stored, and as read against the document now. */

export async function createThread(
	trx: Db,
	t: { sectionId: string; anchor: StoredAnchor; quote: string; body: string; authorId: string }
): Promise<{ id: string }> {
	const id = crypto.randomUUID();
	await trx
		.insertInto('comment_threads')
		.values({
			id,
			section_id: t.sectionId,
			anchor: JSON.stringify(t.anchor),
			quote: t.quote,
			body: t.body,
			author_id: t.authorId,
			created_at: Date.now(),
			resolved_at: null,
			resolved_by: null
		})
		.execute();
	return { id };
}

export async function threadById(db: Db, id: string) {
	return db.selectFrom('comment_threads').selectAll().where('id', '=', id).executeTakeFirst();
}

const author = ['users.id as authorId', 'users.username as authorUsername', 'users.display_name as authorName', 'users.role as authorRole'] as const;

export async function threadRows(db: Db, sectionId: string) {
	const threads = await db
		.selectFrom('comment_threads')
		.innerJoin('users', 'users.id', 'comment_threads.author_id')
		.select(['comment_threads.id', 'comment_threads.anchor', 'comment_threads.quote', 'comment_threads.body', 'comment_threads.created_at as createdAt', 'comment_threads.resolved_at as resolvedAt', ...author])
		.where('comment_threads.section_id', '=', sectionId)
		.orderBy('comment_threads.created_at')
		.execute();
	const replies = threads.length
		? await db
				.selectFrom('comment_replies')
				.innerJoin('users', 'users.id', 'comment_replies.author_id')
				.select(['comment_replies.id', 'comment_replies.thread_id as threadId', 'comment_replies.body', 'comment_replies.created_at as createdAt', ...author])
				.where(
					'comment_replies.thread_id',
					'in',
					threads.map((t) => t.id)
				)
				.orderBy('comment_replies.created_at')
				.execute()
		: [];
	return { threads, replies };
}
export type ThreadRow = Awaited<ReturnType<typeof threadRows>>['threads'][number];
export type ReplyRow = Awaited<ReturnType<typeof threadRows>>['replies'][number];

/** Where a thread points now. `detached`: its text was deleted; the thread keeps its last quote. */
export type PlacedAnchor =
	| { type: 'text'; from: number; to: number; start: string; end: string }
	| { type: 'row'; rowId: string }
	| { type: 'step'; flowchartId: string; stepId: string }
	| { type: 'section' };
export type Placement = { anchor: PlacedAnchor; quote: string; detached: boolean; position: number };

/**
 * Places every thread in the document as it is now: text anchors resolved to positions, quotes
 * read afresh, and an order (document order; section-wide notes first).
 */
export function placeThreads(doc: Y.Doc, threads: Pick<ThreadRow, 'id' | 'anchor' | 'quote'>[]): Map<string, Placement> {
	const out = new Map<string, Placement>();
	const fragment = doc.getXmlFragment(SECTION_FIELD);
	const mapping = sizeMapping(editorSchema());
	let node: ReturnType<typeof yDocToNode> | null = null;
	try {
		node = yDocToNode(doc);
	} catch (err) {
		log.warn('cannot read section for comment anchors', errorFields(err));
	}
	const rowPos = new Map<string, number>();
	const flowPos = new Map<string, number>();
	node?.descendants((n, pos) => {
		if (n.type.name === 'riskRow' && typeof n.attrs.id === 'string') rowPos.set(n.attrs.id, pos);
		if (n.type.name === 'flowchart' && typeof n.attrs.id === 'string') flowPos.set(n.attrs.id, pos);
		return n.type.name !== 'riskRow';
	});
	for (const t of threads) {
		const parsed = StoredAnchor.safeParse(safeJson(t.anchor));
		if (!parsed.success) {
			out.set(t.id, { anchor: { type: 'section' }, quote: t.quote, detached: true, position: -1 });
			continue;
		}
		const a = parsed.data;
		if (a.type === 'text') {
			const at = node ? (resolveTextAnchor(doc, fragment, mapping, a) ?? findQuote(node, t.quote)) : null;
			const quote = at && node ? quoteOf(node, at.from, at.to) : '';
			out.set(t.id, {
				anchor: { type: 'text', from: at?.from ?? 0, to: at?.to ?? 0, start: a.start, end: a.end },
				quote: quote || t.quote,
				detached: !quote,
				position: at?.from ?? Number.MAX_SAFE_INTEGER
			});
		} else if (a.type === 'row') {
			const pos = rowPos.get(a.rowId);
			out.set(t.id, { anchor: a, quote: t.quote, detached: pos === undefined, position: pos ?? Number.MAX_SAFE_INTEGER });
		} else if (a.type === 'step') {
			const pos = flowPos.get(a.flowchartId);
			const exists = doc.getMap<Y.Map<unknown>>('flowcharts').get(a.flowchartId)?.get('nodes') as Y.Map<unknown> | undefined;
			out.set(t.id, { anchor: a, quote: t.quote, detached: pos === undefined || !exists?.has(a.stepId), position: pos ?? Number.MAX_SAFE_INTEGER });
		} else out.set(t.id, { anchor: a, quote: t.quote, detached: false, position: -1 });
	}
	return out;
}

function safeJson(s: string): unknown {
	try {
		return JSON.parse(s);
	} catch {
		return null;
	}
}

/** `@username` mentions in a comment body. */
export function mentionedUsernames(body: string): string[] {
	return [...new Set([...body.matchAll(/@([A-Za-z0-9_.-]{2,40})/g)].map((m) => m[1]))];
}
