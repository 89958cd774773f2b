import type { TestProject } from 'vitest/node';
import { startPostgres } from './backing.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Superuser URL of the run's PostgreSQL cluster; unset when tests run on SQLite. */
		postgres?: string;
	}
}

/** One PostgreSQL cluster for the whole run of the `postgres` project; each test server gets its own database. */
export default async function setup(project: TestProject) {
	const cluster = await startPostgres();
	project.provide('postgres', cluster.adminUrl);
	return () => cluster.stop();
}
