import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { addressKey, LoginThrottle, MemoryCounters } from '../../server/auth/throttle.ts';
import { RedisCounters } from '../../server/cluster/counters.ts';
import { startRedis, type RedisServer } from '../helpers/backing.ts';
import { testPostgres } from '../helpers/database.ts';

/*
 * In memory (one instance, the default), and in Redis (several instances, project `postgres`):
 * the same rules, each test on fresh counters.
 */
let redisServer: RedisServer | null = null;
let redis: Redis | null = null;
let run = 0;
beforeAll(async () => {
	if (!testPostgres()) return;
	redisServer = await startRedis();
	redis = new Redis(redisServer.url);
});
afterAll(async () => {
	redis?.disconnect();
	await redisServer?.stop();
});
const newThrottle = () => new LoginThrottle(redis ? new RedisCounters(redis, `test${++run}:`) : undefined);

/** Two instances' throttles over one store (each with its own Redis connection). */
function twoInstances(): [LoginThrottle, LoginThrottle, () => void] {
	if (!redisServer) {
		const shared = new MemoryCounters();
		return [new LoginThrottle(shared), new LoginThrottle(shared), () => {}];
	}
	const prefix = `test${++run}:`;
	const [a, b] = [new Redis(redisServer.url), new Redis(redisServer.url)];
	return [new LoginThrottle(new RedisCounters(a, prefix)), new LoginThrottle(new RedisCounters(b, prefix)), () => (a.disconnect(), b.disconnect())];
}

const MIN = 60_000;
const A = '192.0.2.10';
const B = '192.0.2.11';

/** Fails `n` times at `at`, one millisecond apart; returns the time after the last. */
async function failTimes(t: LoginThrottle, n: number, username: string, address: string, at: number) {
	for (let i = 0; i < n; i++) await t.fail(username, address, at + i);
	return at + n;
}

/** The operator log lines written meanwhile (warnings go to stderr), kept off the test output. */
let logged: string[] = [];
beforeEach(() => {
	logged = [];
	vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (logged.push(String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('login throttle, per account and address', () => {

	it('locks after five failures, for that address only, whatever the case of the name', async () => {
		const t = newThrottle();
		let now = await failTimes(t, 4, 'Shebei1', A, 0);
		expect(await t.blockedFor('shebei1', A, now)).toBe(0);
		now = await failTimes(t, 1, 'shebei1', A, now);
		expect(await t.blockedFor('SHEBEI1', A, now)).toBe(1);
		expect(await t.blockedFor('shebei1', B, now)).toBe(0);
		expect(await t.blockedFor('shebei2', A, now)).toBe(0);
		expect(await t.blockedFor('shebei1', A, now + MIN)).toBe(0);
	});

	it('doubles the lock with each further failure, up to an hour', async () => {
		const t = newThrottle();
		let now = await failTimes(t, 5, 'kefa1', A, 0);
		const locks: number[] = [];
		for (let i = 0; i < 9; i++) {
			const minutes = await t.blockedFor('kefa1', A, now);
			locks.push(minutes);
			now += minutes * MIN; // the guesser comes back the moment the lock ends
			expect(await t.blockedFor('kefa1', A, now)).toBe(0);
			await t.fail('kefa1', A, now);
		}
		expect(locks).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
	});

	it('forgets failures that are far apart', async () => {
		const t = newThrottle();
		// One mistake a day never adds up to a lock.
		for (let day = 0; day < 30; day++) await t.fail('kefa1', A, day * 24 * 60 * MIN);
		expect(await t.blockedFor('kefa1', A, 30 * 24 * 60 * MIN)).toBe(0);
	});

	it('forgets failures after a successful sign-in from that address', async () => {
		const t = newThrottle();
		const now = await failTimes(t, 4, 'kefa1', A, 0);
		await t.succeed('kefa1', A);
		await t.fail('kefa1', A, now);
		expect(await t.blockedFor('kefa1', A, now)).toBe(0);
	});

	it('counts failures made on several instances at the same moment, each once', async () => {
		const [a, b, close] = twoInstances();
		// Ten guesses at once, half on each instance: none of them may overwrite another's count.
		await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).fail('kefa1', A, 0)));
		// Ten failures: the first lock after five, doubled with each of the five after it.
		expect(await a.blockedFor('kefa1', A, 10)).toBe(32);
		expect(await b.blockedFor('kefa1', A, 10)).toBe(32);
		close();
	});

	it('logs every lock as one JSON line', async () => {
		const t = newThrottle();
		await failTimes(t, 5, 'kefa1', A, 0);
		const locks = logged.map((l) => JSON.parse(l)).filter((l) => l.msg === 'sign-in locked');
		expect(locks).toEqual([expect.objectContaining({ level: 'warn', scope: 'account', username: 'kefa1', address: A, lockedSeconds: 60 })]);
	});
});

describe('login throttle, per address across accounts', () => {
	it('locks an address that fails with many accounts, for every account, and not others', async () => {
		const t = newThrottle();
		for (let i = 0; i < 29; i++) await t.fail(`user${i}`, A, i);
		expect(await t.blockedFor('admin', A, 29)).toBe(0);
		await t.fail('user29', A, 29);
		expect(await t.blockedFor('admin', A, 30)).toBe(1);
		expect(await t.blockedFor('admin', B, 30)).toBe(0);
	});

	it('leaves an office behind one address alone at a failure a minute', async () => {
		const t = newThrottle();
		for (let i = 0; i < 500; i++) await t.fail(`staff${i}`, A, i * MIN);
		expect(await t.blockedFor('admin', A, 500 * MIN)).toBe(0);
	});

	it('counts one IPv6 /64 as one address', async () => {
		expect(addressKey('2001:db8:1:2::1')).toBe(addressKey('2001:db8:1:2:ffff:0:0:9'));
		expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
		expect(addressKey('::1')).toBe('0:0:0:0::/64');
		expect(addressKey(A)).toBe(A);
		const t = newThrottle();
		await failTimes(t, 5, 'kefa1', '2001:db8:1:2::1', 0);
		expect(await t.blockedFor('kefa1', '2001:db8:1:2::abcd', 10)).toBe(1);
	});
});
