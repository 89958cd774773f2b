import { defineConfig } from 'vitest/config';

/** What also runs on PostgreSQL and Redis: everything that drives a server, the store, the throttle and the cluster channel. */
const ON_POSTGRES = ['tests/api/**/*.test.ts', 'tests/collab/**/*.test.ts', 'tests/unit/document-store*.test.ts', 'tests/unit/login-throttle.test.ts', 'tests/unit/cluster-channel.test.ts'];
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
				test: { name: 'sqlite', include: ['tests/**/*.test.ts'], exclude: ['tests/scale/**'], globalSetup: ['tests/helpers/global-setup.ts'] }
			},
			{
				// The same tests on PostgreSQL with Redis (each server its own database and Redis),
				// and the tests of several instances sharing one.
				extends: true,
				test: {
					name: 'postgres',
					include: [...ON_POSTGRES, 'tests/scale/**/*.test.ts'],
					exclude: SQLITE_ONLY,
					globalSetup: ['tests/helpers/global-setup.ts', 'tests/helpers/postgres-setup.ts']
				}
			}
		]
	}
});
