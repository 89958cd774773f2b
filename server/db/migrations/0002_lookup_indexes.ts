import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Indexes for lookups made on every request: a user's units (each session check and each
 * collaboration sign-in), a unit's sections, and the sweep of expired sessions.
 */
export const lookupIndexes: Migration = {
	async up(db: Kysely<any>) {
		await db.schema.createIndex('unit_members_user').on('unit_members').column('user_id').execute();
		await db.schema.createIndex('sections_unit').on('sections').column('unit_id').execute();
		await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
	}
};
