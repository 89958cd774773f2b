import type { Db } from '../db/connect.ts';

/** An entry in someone's inbox, written in the same transaction as what caused it. */
export type Notice = {
	kind: 'submitted' | 'returned' | 'accepted' | 'graded' | 'comment' | 'reply' | 'mention' | 'phase' | 'published' | 'approval' | 'decision' | 'measure' | 'warning' | 'case';
	text: string;
	manualId?: string | null;
	sectionId?: string | null;
	ref?: string | null;
	/** Null for what the system did by itself (an automatic escalation). */
	actorId: string | null;
};

/** Notifies each user once (never the actor themself). Returns who was notified. */
export async function notify(trx: Db, userIds: Iterable<string>, notice: Notice): Promise<string[]> {
	const to = [...new Set(userIds)].filter((id) => id !== notice.actorId);
	const now = Date.now();
	if (to.length)
		await trx
			.insertInto('notifications')
			.values(
				to.map((user_id) => ({
					id: crypto.randomUUID(),
					user_id,
					kind: notice.kind,
					manual_id: notice.manualId ?? null,
					section_id: notice.sectionId ?? null,
					ref: notice.ref ?? null,
					text: notice.text,
					actor_id: notice.actorId,
					created_at: now,
					read_at: null
				}))
			)
			.execute();
	return to;
}

export async function listNotifications(db: Db, userId: string, limit = 100) {
	return db
		.selectFrom('notifications')
		.leftJoin('users', 'users.id', 'notifications.actor_id')
		.select([
			'notifications.id',
			'notifications.kind',
			'notifications.manual_id as manualId',
			'notifications.section_id as sectionId',
			'notifications.ref',
			'notifications.text',
			'notifications.created_at as createdAt',
			'notifications.read_at as readAt',
			'users.display_name as actorName'
		])
		.where('notifications.user_id', '=', userId)
		.orderBy('notifications.created_at', 'desc')
		.limit(limit)
		.execute();
}

/** The header's badge: how many notifications this person has not read. */
export async function unreadCount(db: Db, userId: string): Promise<number> {
	const row = await db
		.selectFrom('notifications')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('user_id', '=', userId)
		.where('read_at', 'is', null)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

export async function markRead(db: Db, userId: string, ids: string[] | 'all') {
	let q = db.updateTable('notifications').set({ read_at: Date.now() }).where('user_id', '=', userId).where('read_at', 'is', null);
	if (ids !== 'all') {
		if (!ids.length) return;
		q = q.where('id', 'in', ids);
	}
	await q.execute();
}
