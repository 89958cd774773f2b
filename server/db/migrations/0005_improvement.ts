import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * 完善提高: progress reports on each risk's measures, the early-warning register with its
 * history, licensing cases followed through the flowcharts, and settings (the holiday list).
 */
export const improvement: Migration = {
	async up(db: Kysely<any>) {
		await db.schema
			.createTable('measures')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('manual_id', 'text', (c) => c.notNull().references('manuals.id').onDelete('cascade'))
			.addColumn('section_id', 'text', (c) => c.notNull().references('sections.id').onDelete('cascade'))
			.addColumn('row_id', 'text', (c) => c.notNull())
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.addUniqueConstraint('measures_row', ['section_id', 'row_id'])
			.execute();
		await db.schema
			.createTable('measure_updates')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('measure_id', 'text', (c) => c.notNull().references('measures.id').onDelete('cascade'))
			.addColumn('status', 'text', (c) => c.notNull())
			.addColumn('note', 'text', (c) => c.notNull())
			.addColumn('attachment', 'text')
			.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
			.addColumn('at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('measure_updates_measure').on('measure_updates').columns(['measure_id', 'at']).execute();

		await db.schema
			.createTable('warnings')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('manual_id', 'text', (c) => c.notNull().references('manuals.id').onDelete('cascade'))
			.addColumn('section_id', 'text', (c) => c.notNull().references('sections.id'))
			.addColumn('row_id', 'text')
			.addColumn('case_id', 'text')
			.addColumn('source', 'text', (c) => c.notNull())
			.addColumn('subject', 'text', (c) => c.notNull())
			.addColumn('description', 'text', (c) => c.notNull())
			.addColumn('stage', 'text', (c) => c.notNull())
			.addColumn('due_at', 'bigint')
			// The due date an automatic escalation already acted on (each due escalates once).
			.addColumn('escalated_due', 'bigint')
			.addColumn('escalated', 'integer', (c) => c.notNull().defaultTo(0))
			.addColumn('responded_at', 'bigint')
			.addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.addColumn('closed_at', 'bigint')
			.execute();
		await db.schema.createIndex('warnings_manual').on('warnings').columns(['manual_id', 'created_at']).execute();
		await db.schema.createIndex('warnings_due').on('warnings').columns(['stage', 'due_at']).execute();
		await db.schema
			.createTable('warning_events')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('warning_id', 'text', (c) => c.notNull().references('warnings.id').onDelete('cascade'))
			.addColumn('kind', 'text', (c) => c.notNull())
			.addColumn('stage', 'text', (c) => c.notNull())
			.addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
			.addColumn('due_at', 'bigint')
			// Null for what the system did by itself (an escalation).
			.addColumn('user_id', 'text', (c) => c.references('users.id'))
			.addColumn('at', 'bigint', (c) => c.notNull())
			.addColumn('seq', 'integer', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('warning_events_warning').on('warning_events').columns(['warning_id', 'seq']).execute();

		await db.schema
			.createTable('cases')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('manual_id', 'text', (c) => c.notNull().references('manuals.id').onDelete('cascade'))
			.addColumn('section_id', 'text', (c) => c.notNull().references('sections.id'))
			.addColumn('flowchart_id', 'text', (c) => c.notNull())
			.addColumn('applicant', 'text', (c) => c.notNull())
			.addColumn('received_at', 'bigint', (c) => c.notNull())
			.addColumn('current_step', 'text')
			.addColumn('current_since', 'bigint', (c) => c.notNull())
			.addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.addColumn('closed_at', 'bigint')
			.execute();
		await db.schema.createIndex('cases_manual').on('cases').columns(['manual_id', 'section_id']).execute();
		await db.schema
			.createTable('case_steps')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
			.addColumn('step_id', 'text', (c) => c.notNull())
			.addColumn('started_at', 'bigint', (c) => c.notNull())
			.addColumn('done_at', 'bigint', (c) => c.notNull())
			.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
			.addColumn('at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('case_steps_case').on('case_steps').columns(['case_id', 'done_at']).execute();

		await db.schema
			.createTable('settings')
			.addColumn('key', 'text', (c) => c.primaryKey())
			.addColumn('value', 'text', (c) => c.notNull())
			.addColumn('updated_at', 'bigint', (c) => c.notNull())
			.execute();
	}
};
