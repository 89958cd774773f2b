import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Accounts, sessions, units, manuals, sections, and the durable Yjs log. */
export const foundation: Migration = {
	async up(db: Kysely<any>) {
		await db.schema
			.createTable('users')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('username', 'text', (c) => c.notNull().unique())
			.addColumn('display_name', 'text', (c) => c.notNull())
			.addColumn('password_hash', 'text', (c) => c.notNull())
			.addColumn('role', 'text', (c) => c.notNull())
			.addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema
			.createTable('sessions')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
			.addColumn('expires_at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
		await db.schema
			.createTable('units')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('name', 'text', (c) => c.notNull().unique())
			.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema
			.createTable('unit_members')
			.addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
			.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
			.addPrimaryKeyConstraint('unit_members_pk', ['unit_id', 'user_id'])
			.execute();
		await db.schema
			.createTable('manuals')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('title', 'text', (c) => c.notNull())
			.addColumn('edition', 'text', (c) => c.notNull().defaultTo(''))
			.addColumn('phase', 'text', (c) => c.notNull().defaultTo('self_check'))
			.addColumn('is_sample', 'integer', (c) => c.notNull().defaultTo(0))
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema
			.createTable('manual_units')
			.addColumn('manual_id', 'text', (c) => c.notNull().references('manuals.id').onDelete('cascade'))
			.addColumn('unit_id', 'text', (c) => c.notNull().references('units.id').onDelete('cascade'))
			.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
			.addPrimaryKeyConstraint('manual_units_pk', ['manual_id', 'unit_id'])
			.execute();
		await db.schema
			.createTable('sections')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('manual_id', 'text', (c) => c.notNull().references('manuals.id').onDelete('cascade'))
			.addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
			.addColumn('title', 'text', (c) => c.notNull())
			.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
			.addColumn('state', 'text', (c) => c.notNull().defaultTo('draft'))
			.addColumn('doc', 'text', (c) => c.notNull().unique())
			.addColumn('deleted_at', 'bigint')
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('sections_manual').on('sections').columns(['manual_id', 'unit_id']).execute();
		const blob = sql.raw(db.getExecutor().adapter.constructor.name.includes('Postgres') ? 'bytea' : 'blob');
		await db.schema
			.createTable('doc_snapshots')
			.addColumn('doc', 'text', (c) => c.primaryKey())
			.addColumn('state', blob, (c) => c.notNull())
			.addColumn('through_id', 'bigint', (c) => c.notNull().defaultTo(0))
			.addColumn('updated_at', 'bigint', (c) => c.notNull())
			.execute();
		const isPg = db.getExecutor().adapter.constructor.name.includes('Postgres');
		await db.schema
			.createTable('doc_updates')
			.addColumn('id', isPg ? 'bigserial' : 'integer', (c) =>
				isPg ? c.primaryKey() : c.primaryKey().autoIncrement()
			)
			.addColumn('doc', 'text', (c) => c.notNull())
			.addColumn('data', blob, (c) => c.notNull())
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.execute();
		await db.schema.createIndex('doc_updates_doc').on('doc_updates').columns(['doc', 'id']).execute();
	}
};
