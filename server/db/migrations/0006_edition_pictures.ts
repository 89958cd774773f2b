import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Flowchart pictures of published editions, drawn once after publishing and reused by every Word export. */
export const editionPictures: Migration = {
	async up(db: Kysely<any>) {
		const blob = sql.raw(db.getExecutor().adapter.constructor.name.includes('Postgres') ? 'bytea' : 'blob');
		await db.schema
			.createTable('edition_pictures')
			// SHA-256 of the SVG and the drawing options: the same picture is drawn once.
			.addColumn('key', 'text', (c) => c.primaryKey())
			.addColumn('png', blob, (c) => c.notNull())
			.addColumn('width', 'integer', (c) => c.notNull())
			.addColumn('height', 'integer', (c) => c.notNull())
			.addColumn('display_width', 'double precision', (c) => c.notNull())
			.addColumn('display_height', 'double precision', (c) => c.notNull())
			.addColumn('created_at', 'bigint', (c) => c.notNull())
			.execute();
	}
};
