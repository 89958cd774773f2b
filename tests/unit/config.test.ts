import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';

describe('loadConfig', () => {
	it('has the documented defaults on an empty environment', () => {
		const c = loadConfig({});
		expect(c).toEqual({
			port: 3000,
			host: '0.0.0.0',
			dataDir: path.resolve('./data'),
			databaseFile: path.join(path.resolve('./data'), 'fangkong.sqlite'),
			adminPassword: undefined,
			seedDemo: true,
			sessionDays: 30,
			compactAfter: 200,
			logLevel: 'info',
			holidays: undefined,
			escalationCheckMs: 15_000,
			trustProxy: 0,
			databaseUrl: undefined,
			redisUrl: undefined
		});
	});

	it('treats empty strings as unset', () => {
		const c = loadConfig({ PORT: '', DATA_DIR: '', ADMIN_PASSWORD: '', SEED_DEMO: '', LOG_LEVEL: '' });
		expect(c.port).toBe(3000);
		expect(c.dataDir).toBe(path.resolve('./data'));
		expect(c.adminPassword).toBeUndefined();
		expect(c.seedDemo).toBe(true);
		expect(c.logLevel).toBe('info');
	});

	it('reads every setting from the environment', () => {
		const c = loadConfig({
			PORT: '8080',
			HOST: '127.0.0.1',
			DATA_DIR: '/tmp/fk-data',
			ADMIN_PASSWORD: 'long-enough',
			SEED_DEMO: '0',
			SESSION_DAYS: '7',
			COMPACT_AFTER: '5',
			LOG_LEVEL: 'silent',
			HOLIDAYS: '2026-10-01, 2026-10-02',
			ESCALATION_CHECK_MS: '500',
			TRUST_PROXY: '1',
			DATABASE_URL: 'postgres://fk:secret@db.internal:5432/fangkong',
			REDIS_URL: 'redis://cache.internal:6379',
			UNRELATED: 'ignored'
		});
		expect(c).toEqual({
			port: 8080,
			host: '127.0.0.1',
			dataDir: '/tmp/fk-data',
			databaseFile: '/tmp/fk-data/fangkong.sqlite',
			adminPassword: 'long-enough',
			seedDemo: false,
			sessionDays: 7,
			compactAfter: 5,
			logLevel: 'silent',
			holidays: ['2026-10-01', '2026-10-02'],
			escalationCheckMs: 500,
			trustProxy: 1,
			databaseUrl: 'postgres://fk:secret@db.internal:5432/fangkong',
			redisUrl: 'redis://cache.internal:6379'
		});
	});

	it('resolves a relative DATA_DIR to an absolute path', () => {
		const c = loadConfig({ DATA_DIR: 'some/dir' });
		expect(path.isAbsolute(c.dataDir)).toBe(true);
		expect(c.dataDir).toBe(path.resolve('some/dir'));
		expect(c.databaseFile).toBe(path.join(c.dataDir, 'fangkong.sqlite'));
	});

	it.each([
		['PORT', 'abc'],
		['PORT', '70000'],
		['PORT', '-1'],
		['PORT', '80.5'],
		['SEED_DEMO', 'yes'],
		['SESSION_DAYS', '0'],
		['SESSION_DAYS', '366'],
		['COMPACT_AFTER', '0'],
		['LOG_LEVEL', 'verbose'],
		['TRUST_PROXY', 'yes'],
		['ADMIN_PASSWORD', 'short'],
		['DATABASE_URL', 'mysql://fk@db/fangkong'],
		['REDIS_URL', 'cache.internal:6379']
	])('rejects %s=%s and names the setting', (key, value) => {
		expect(() => loadConfig({ [key]: value })).toThrow(new RegExp(`Invalid configuration: .*${key}`));
	});

	it('reports every invalid setting at once', () => {
		let message = '';
		try {
			loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' });
		} catch (err) {
			message = (err as Error).message;
		}
		expect(message).toContain('PORT');
		expect(message).toContain('LOG_LEVEL');
	});
});
