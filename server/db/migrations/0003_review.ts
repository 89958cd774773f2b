import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The review loop: phase deadlines, each section's timeline, comment threads, expert grades,
 * the two approval records, and the inbox.
 */
export const review: Migration = {
	async up(db: Kysely<any>) {
		// JSON {"self_check":"YYYY-MM-DD",…}: the plan's deadlines, editable per manual.
		await db.schema.alterTable('manuals').addColumn('deadlines', 'text', (c) => c.notNull().defaultTo('{}')).execute();
		await db.schema.alterTable('manuals').addColumn('phase_changed_at', 'bigint').execute();

		await db.schema
			.createTable('section_events')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('section_id', 'text', (c) => c.notNull().references('sections.id').onDelete('cascade'))
			.addColumn('action', 'text', (c) => c.notNull())
			.addColumn('from_state', 'text')
			.addColumn('to_state', 'text')
			.addColumn('note', 'text')
			// Extra facts of the event (grade level, comment id …), JSON.
			.addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
			.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
			.addColumn('at', 'bigint', (c) => c.notNull())
			.addColumn('seq', 'integer', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('section_events_section').on('section_events').columns(['section_id', 'seq']).execute();

		await db.schema
			.createTable('comment_threads')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('section_id', 'text', (c) => c.notNull().references('sections.id').onDelete('cascade'))
			// JSON: {type:"text",start,end} (base64 Yjs relative positions) | {type:"row",rowId} | {type:"step",flowchartId,stepId} | {type:"section"}
			.addColumn('anchor', 'text', (c) => c.notNull())
			// The text the anchor covered when it was last seen whole.
			.addColumn('quote', 'text', (c) => c.notNull().defaultTo(''))
			.addColumn('body', 'text', (c) => c.notNull())
			.addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.addColumn('resolved_at', 'bigint')
			.addColumn('resolved_by', 'text', (c) => c.references('users.id'))
			.execute();
		await db.schema.createIndex('comment_threads_section').on('comment_threads').columns(['section_id', 'created_at']).execute();
		await db.schema
			.createTable('comment_replies')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('thread_id', 'text', (c) => c.notNull().references('comment_threads.id').onDelete('cascade'))
			.addColumn('body', 'text', (c) => c.notNull())
			.addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('comment_replies_thread').on('comment_replies').columns(['thread_id', 'created_at']).execute();

		await db.schema
			.createTable('risk_grades')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('section_id', 'text', (c) => c.notNull().references('sections.id').onDelete('cascade'))
			.addColumn('row_id', 'text', (c) => c.notNull())
			.addColumn('level', 'text', (c) => c.notNull())
			// The level the row held before this grade (the unit's proposal for the first one).
			.addColumn('previous_level', 'text')
			.addColumn('reason', 'text', (c) => c.notNull())
			.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
			.addColumn('at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('risk_grades_row').on('risk_grades').columns(['section_id', 'row_id', 'at']).execute();

		await db.schema
			.createTable('approvals')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('manual_id', 'text', (c) => c.notNull().references('manuals.id').onDelete('cascade'))
			.addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
			.addColumn('meeting_date', 'text', (c) => c.notNull())
			.addColumn('attendees', 'text', (c) => c.notNull())
			.addColumn('decision', 'text', (c) => c.notNull())
			.addColumn('attachment', 'text')
			.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
			.addColumn('at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('approvals_manual').on('approvals').columns(['manual_id', 'unit_id']).execute();
		await db.schema
			.createTable('decisions')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('manual_id', 'text', (c) => c.notNull().references('manuals.id').onDelete('cascade'))
			.addColumn('meeting_date', 'text', (c) => c.notNull())
			.addColumn('decision', 'text', (c) => c.notNull())
			.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
			.addColumn('at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('decisions_manual').on('decisions').column('manual_id').execute();

		await db.schema
			.createTable('notifications')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
			.addColumn('kind', 'text', (c) => c.notNull())
			.addColumn('manual_id', 'text', (c) => c.references('manuals.id').onDelete('cascade'))
			.addColumn('section_id', 'text', (c) => c.references('sections.id').onDelete('cascade'))
			// What to open: a comment thread id, a row id …
			.addColumn('ref', 'text')
			.addColumn('text', 'text', (c) => c.notNull())
			.addColumn('actor_id', 'text', (c) => c.references('users.id'))
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.addColumn('read_at', 'bigint')
			.execute();
		await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();
	}
};
