import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import { foundation } from './0001_foundation.ts';
import { lookupIndexes } from './0002_lookup_indexes.ts';
import { review } from './0003_review.ts';
import { editions } from './0004_editions.ts';
import { improvement } from './0005_improvement.ts';
import { editionPictures } from './0006_edition_pictures.ts';

/**
 * Schema changes, in order, one file each. Never edit a migration that has shipped: add the
 * next one. Types are written so the same statements run on SQLite and PostgreSQL.
 */
const migrations: Record<string, Migration> = {
	'0001_foundation': foundation,
	'0002_lookup_indexes': lookupIndexes,
	'0003_review': review,
	'0004_editions': editions,
	'0005_improvement': improvement,
	'0006_edition_pictures': editionPictures
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Kysely<any>): Promise<void> {
	const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
	for (const r of results ?? []) {
		if (r.status === 'Error') throw new Error(`migration ${r.migrationName} failed`);
	}
	if (error) throw error;
}
