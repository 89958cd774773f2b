import type { Db } from '../db/connect.ts';
import type { SectionState } from '../db/schema.ts';

/** Writes into a section's timeline, inside the command's transaction. */
export type SectionEvent = {
	sectionId: string;
	action: string;
	userId: string;
	from?: SectionState | null;
	to?: SectionState | null;
	note?: string | null;
	data?: Record<string, unknown>;
	at?: number;
};

export async function appendEvent(trx: Db, e: SectionEvent): Promise<void> {
	const last = await trx
		.selectFrom('section_events')
		.select((eb) => eb.fn.max('seq').as('seq'))
		.where('section_id', '=', e.sectionId)
		.executeTakeFirst();
	await trx
		.insertInto('section_events')
		.values({
			id: crypto.randomUUID(),
			section_id: e.sectionId,
			action: e.action,
			from_state: e.from ?? null,
			to_state: e.to ?? null,
			note: e.note ?? null,
			data: JSON.stringify(e.data ?? {}),
			user_id: e.userId,
			at: e.at ?? Date.now(),
			seq: Number(last?.seq ?? 0) + 1
		})
		.execute();
}

/** The timeline, oldest first, with who did each thing. */
export async function sectionHistory(db: Db, sectionId: string) {
	return db
		.selectFrom('section_events')
		.innerJoin('users', 'users.id', 'section_events.user_id')
		.select([
			'section_events.action',
			'section_events.from_state',
			'section_events.to_state',
			'section_events.note',
			'section_events.data',
			'section_events.at',
			'users.id as userId',
			'users.username',
			'users.display_name as displayName'
		])
		.where('section_events.section_id', '=', sectionId)
		.orderBy('section_events.seq')
		.execute();
}
export type HistoryRow = Awaited<ReturnType<typeof sectionHistory>>[number];
