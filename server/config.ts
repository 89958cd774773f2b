import path from 'node:path';
import { z } from 'zod';
import { holidaysFromEnv } from './improvement/calendar.ts';

/** Every setting the server reads from the environment, validated once at start. */
const Env = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	HOST: z.string().default('0.0.0.0'),
	DATA_DIR: z.string().default('./data'),
	ADMIN_PASSWORD: z.string().min(8, 'ADMIN_PASSWORD must have at least 8 characters').optional(),
	SEED_DEMO: z.enum(['0', '1']).default('1'),
	SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
	COMPACT_AFTER: z.coerce.number().int().min(1).default(200),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
	HOLIDAYS: z.string().optional(),
	ESCALATION_CHECK_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
	TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
	DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL').optional(),
	REDIS_URL: z.string().regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// or rediss:// URL').optional()
});

export type Config = {
	port: number;
	host: string;
	dataDir: string;
	databaseFile: string;
	adminPassword?: string;
	seedDemo: boolean;
	sessionDays: number;
	/** Compact a document's update log into its snapshot once it holds this many updates. */
	compactAfter: number;
	logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
	/** Days off for working-day limits; undefined: the built-in list (or the admin's). */
	holidays?: string[];
	/** How often overdue warnings are looked for (each escalates within a minute of its date). */
	escalationCheckMs: number;
	/** How many reverse proxies in front append to X-Forwarded-For; 0 trusts none of it. */
	trustProxy: number;
	/** PostgreSQL instead of the SQLite file; instances sharing it serve the same manual. */
	databaseUrl?: string;
	/** Redis through which several instances relay edits, carets, revocations and signals. */
	redisUrl?: string;
};

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	// An empty variable counts as unset, except HOLIDAYS, where empty means "no holidays".
	const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== '' || k === 'HOLIDAYS')));
	if (!parsed.success) {
		const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
		throw new Error(`Invalid configuration: ${issues}`);
	}
	const e = parsed.data;
	const dataDir = path.resolve(e.DATA_DIR);
	return {
		port: e.PORT,
		host: e.HOST,
		dataDir,
		databaseFile: path.join(dataDir, 'fangkong.sqlite'),
		adminPassword: e.ADMIN_PASSWORD,
		seedDemo: e.SEED_DEMO === '1',
		sessionDays: e.SESSION_DAYS,
		compactAfter: e.COMPACT_AFTER,
		logLevel: e.LOG_LEVEL,
		holidays: holidaysFromEnv(e.HOLIDAYS),
		escalationCheckMs: e.ESCALATION_CHECK_MS,
		trustProxy: e.TRUST_PROXY,
		databaseUrl: e.DATABASE_URL,
		redisUrl: e.REDIS_URL
	};
}
