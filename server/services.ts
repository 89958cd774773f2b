import type { Config } from './config.ts';
import { loadConfig } from './config.ts';
import { openDatabase, type Db } from './db/connect.ts';
import { migrate } from './db/migrations/index.ts';
import { SessionService } from './auth/sessions.ts';
import { LoginThrottle } from './auth/throttle.ts';
import { ClusterChannel } from './cluster/channel.ts';
import { RedisCounters } from './cluster/counters.ts';
import { DocumentStore } from './documents/store.ts';
import { SqliteBackend } from './documents/sqlite-backend.ts';
import { DatabaseBackend } from './documents/database-backend.ts';
import type { DocumentBackend } from './documents/backend.ts';
import { UserService } from './services/users.ts';
import { UnitService } from './services/units.ts';
import { ManualService } from './services/manuals.ts';
import { SectionService } from './services/sections.ts';
import { createCollab, type Collab } from '../collab/server.ts';
import { bootstrap } from './seed/bootstrap.ts';
import { log, setLogLevel } from './log.ts';
import { SignalBus } from './inbox/bus.ts';
import { HOLIDAYS_2026, WorkCalendar } from './improvement/calendar.ts';
import { startEscalation } from './improvement/warnings.ts';

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
	/** Live signals to signed-in people (inbox changed, progress changed), on every instance. */
	bus: SignalBus;
	/** The other instances sharing this database, when `REDIS_URL` is set. */
	cluster: ClusterChannel | null;
	/** Working days for time limits, with the effective holiday list. */
	calendar(): Promise<WorkCalendar>;
	/** The holiday list in force and where it comes from. */
	holidays(): Promise<{ dates: string[]; source: 'env' | 'admin' | 'builtin' }>;
	close(): Promise<void>;
};

/** What a caller may put around the defaults (tests stand between the store and its database). */
export type ServiceOptions = { documents?: (backend: DocumentBackend) => DocumentBackend };

/** SQLite: the file through the document threads; PostgreSQL: the app's pool, shared by the instances. */
const defaultBackend = (config: Config, db: Db): DocumentBackend =>
	config.databaseUrl ? new DatabaseBackend(db) : new SqliteBackend(config.databaseFile);

export async function createServices(config: Config, options: ServiceOptions = {}): Promise<Services> {
	setLogLevel(config.logLevel);
	const db = openDatabase(config);
	await migrate(db);
	const cluster = config.redisUrl ? await ClusterChannel.connect(config.redisUrl) : null;
	const sessions = new SessionService(db, config.sessionDays);
	const stopSweeping = sessions.sweepEvery(60 * 60 * 1000);
	const backend = (options.documents ?? ((b) => b))(defaultBackend(config, db));
	const store = new DocumentStore(backend, config.compactAfter);
	const sections = new SectionService(db, store);
	const collab = createCollab({ sessions, sections, store, cluster });
	sections.liveDoc = (name) => collab.hocuspocus.documents.get(name);
	const services: Services = {
		config,
		db,
		sessions,
		throttle: new LoginThrottle(cluster ? new RedisCounters(cluster.redis('throttle', { waitForReconnect: false })) : undefined),
		store,
		users: new UserService(db),
		units: new UnitService(db),
		manuals: new ManualService(db),
		sections,
		collab,
		bus: cluster ? cluster.fanOut('signals', new SignalBus(), ['send']) : new SignalBus(),
		cluster,
		async holidays() {
			if (config.holidays) return { dates: config.holidays, source: 'env' as const };
			const saved = await db.selectFrom('settings').select('value').where('key', '=', 'holidays').executeTakeFirst();
			if (saved) return { dates: JSON.parse(saved.value) as string[], source: 'admin' as const };
			return { dates: [...HOLIDAYS_2026], source: 'builtin' as const };
		},
		async calendar() {
			return new WorkCalendar((await services.holidays()).dates);
		},
		async close() {
			stopSweeping();
			stopEscalation();
			services.collab.hocuspocus.closeConnections();
			services.collab.hocuspocus.flushPendingStores();
			if (cluster) {
				// The Redis extension's connections; then the channel, which says goodbye to the peers.
				await services.collab.hocuspocus.hooks('onDestroy', { instance: services.collab.hocuspocus }).catch(() => {});
				await cluster.close();
			}
			await store.close();
			await db.destroy();
		}
	};
	const stopEscalation = startEscalation(services, config.escalationCheckMs);
	await bootstrap(services);
	log.info('services ready', config.databaseUrl ? { database: 'postgres', cluster: cluster?.instanceId ?? null } : { dataDir: config.dataDir });
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
