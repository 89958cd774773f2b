import { defineConfig } from 'vitest/config';

/** What also runs on PostgreSQL and Redis: everything that drives a server, the store, the values, the throttle. */
const ON_POSTGRES = [
	'tests/api/**/*.test.ts',
	'tests/collab/**/*.test.ts',
	'tests/unit/database-types.test.ts',
	'tests/unit/document-store*.test.ts',
	'tests/unit/login-throttle.test.ts'
];
/** Only meaningful with several instances, PostgreSQL's concurrency or Redis. */
const POSTGRES_ONLY = ['tests/scale/**/*.test.ts', 'tests/unit/document-store-writers.test.ts', 'tests/unit/cluster-channel.test.ts'];
/** About the SQLite file itself (online backup, the data directory's lock): SQLite only. */
const SQLITE_ONLY = ['tests/api/backup.test.ts', 'tests/api/start-stop.test.ts'];

// Tests drive real servers over HTTP and WebSocket; they need no SvelteKit plugin here.
export default defineConfig({
	test: {
		testTimeout: 60_000,
		hookTimeout: 180_000,
		fileParallelism: false,
		reporters: ['default', './tests/helpers/summary-reporter.ts'],
		projects: [
			{
				extends: true,
				test: { name: 'sqlite', include: ['tests/**/*.test.ts'], exclude: POSTGRES_ONLY, globalSetup: ['tests/helpers/global-setup.ts'] }
			},
			{
				// The same tests on PostgreSQL with Redis (each server its own database and Redis),
				// and the tests of several instances sharing one.
				extends: true,
				test: {
					name: 'postgres',
					include: [...ON_POSTGRES, ...POSTGRES_ONLY],
					exclude: SQLITE_ONLY,
					globalSetup: ['tests/helpers/global-setup.ts', 'tests/helpers/postgres-setup.ts']
				}
			}
		]
	}
});
