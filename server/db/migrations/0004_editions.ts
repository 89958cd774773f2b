import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Published editions: append-only, each holding the whole manual as canonical JSON and its
 * SHA-256, chained to the previous edition's hash. A section remembers the last edition it
 * appeared in, so readers keep reading that while a revision is under way.
 */
export const editions: Migration = {
	async up(db: Kysely<any>) {
		await db.schema
			.createTable('editions')
			.addColumn('id', 'text', (c) => c.primaryKey())
			.addColumn('manual_id', 'text', (c) => c.notNull().references('manuals.id'))
			.addColumn('number', 'integer', (c) => c.notNull())
			.addColumn('hash', 'text', (c) => c.notNull())
			.addColumn('prev_hash', 'text')
			// The canonical serialisation the hash is computed over, byte for byte.
			.addColumn('snapshot', 'text', (c) => c.notNull())
			.addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
			.addColumn('published_at', 'bigint', (c) => c.notNull())
			.addColumn('published_by', 'text', (c) => c.notNull().references('users.id'))
			.addUniqueConstraint('editions_manual_number', ['manual_id', 'number'])
			.execute();
		await db.schema.alterTable('sections').addColumn('edition_id', 'text').execute();
	}
};
