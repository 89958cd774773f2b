import type { Config } from './config.ts';
import { loadConfig } from './config.ts';
import { openSqlite, type Db } from './db/connect.ts';
import { migrate } from './db/migrations/index.ts';
import { SessionService } from './auth/sessions.ts';
import { LoginThrottle } from './auth/throttle.ts';
import { DocumentStore } from './documents/store.ts';
import { UserService } from './services/users.ts';
import { UnitService } from './services/units.ts';
import { ManualService } from './services/manuals.ts';
import { SectionService } from './services/sections.ts';
import { createCollab, type Collab } from '../collab/server.ts';
import { bootstrap } from './seed/bootstrap.ts';
import { log, setLogLevel } from './log.ts';

/** The one set of domain services behind both the web app and the collaboration server. */
export type Services = {
	config: Config;
	db: Db;
	sessions: SessionService;
	throttle: LoginThrottle;
	store: DocumentStore;
	users: UserService;
	units: UnitService;
	manuals: ManualService;
	sections: SectionService;
	collab: Collab;
	close(): Promise<void>;
};

export async function createServices(config: Config): Promise<Services> {
	setLogLevel(config.logLevel);
	const db = openSqlite(config.databaseFile);
	await migrate(db);
	const sessions = new SessionService(db, config.sessionDays);
	const stopSweeping = sessions.sweepEvery(60 * 60 * 1000);
	const store = new DocumentStore(db, config.compactAfter);
	const sections = new SectionService(db, store);
	const services: Services = {
		config,
		db,
		sessions,
		throttle: new LoginThrottle(),
		store,
		users: new UserService(db),
		units: new UnitService(db),
		manuals: new ManualService(db),
		sections,
		collab: createCollab({ sessions, sections, store }),
		async close() {
			stopSweeping();
			services.collab.hocuspocus.closeConnections();
			services.collab.hocuspocus.flushPendingStores();
			await db.destroy();
		}
	};
	await bootstrap(services);
	log.info('services ready', { dataDir: config.dataDir });
	return services;
}

/*
 * One instance per process. SvelteKit's bundled server code and the unbundled entry
 * (server/main.ts, or the Vite plugin in dev) each import their own copy of this module,
 * so the instance lives on globalThis under a registered symbol.
 */
const KEY = Symbol.for('fangkong.services');
type Holder = { [KEY]?: Promise<Services> };

export function getServices(): Promise<Services> {
	const g = globalThis as Holder;
	g[KEY] ??= createServices(loadConfig()).catch((err) => {
		delete g[KEY];
		throw err;
	});
	return g[KEY];
}
