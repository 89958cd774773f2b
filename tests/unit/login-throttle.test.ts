import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addressKey, LoginThrottle } from '../../server/auth/throttle.ts';

const MIN = 60_000;
const A = '192.0.2.10';
const B = '192.0.2.11';

/** Fails `n` times at `at`, one millisecond apart; returns the time after the last. */
function failTimes(t: LoginThrottle, n: number, username: string, address: string, at: number) {
	for (let i = 0; i < n; i++) t.fail(username, address, at + i);
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

	it('locks after five failures, for that address only, whatever the case of the name', () => {
		const t = new LoginThrottle();
		let now = failTimes(t, 4, 'Shebei1', A, 0);
		expect(t.blockedFor('shebei1', A, now)).toBe(0);
		now = failTimes(t, 1, 'shebei1', A, now);
		expect(t.blockedFor('SHEBEI1', A, now)).toBe(1);
		expect(t.blockedFor('shebei1', B, now)).toBe(0);
		expect(t.blockedFor('shebei2', A, now)).toBe(0);
		expect(t.blockedFor('shebei1', A, now + MIN)).toBe(0);
	});

	it('doubles the lock with each further failure, up to an hour', () => {
		const t = new LoginThrottle();
		let now = failTimes(t, 5, 'kefa1', A, 0);
		const locks: number[] = [];
		for (let i = 0; i < 9; i++) {
			const minutes = t.blockedFor('kefa1', A, now);
			locks.push(minutes);
			now += minutes * MIN; // the guesser comes back the moment the lock ends
			expect(t.blockedFor('kefa1', A, now)).toBe(0);
			t.fail('kefa1', A, now);
		}
		expect(locks).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
	});

	it('forgets failures that are far apart', () => {
		const t = new LoginThrottle();
		// One mistake a day never adds up to a lock.
		for (let day = 0; day < 30; day++) t.fail('kefa1', A, day * 24 * 60 * MIN);
		expect(t.blockedFor('kefa1', A, 30 * 24 * 60 * MIN)).toBe(0);
	});

	it('forgets failures after a successful sign-in from that address', () => {
		const t = new LoginThrottle();
		const now = failTimes(t, 4, 'kefa1', A, 0);
		t.succeed('kefa1', A);
		t.fail('kefa1', A, now);
		expect(t.blockedFor('kefa1', A, now)).toBe(0);
	});

	it('logs every lock as one JSON line', () => {
		const t = new LoginThrottle();
		failTimes(t, 5, 'kefa1', A, 0);
		const locks = logged.map((l) => JSON.parse(l)).filter((l) => l.msg === 'sign-in locked');
		expect(locks).toEqual([expect.objectContaining({ level: 'warn', scope: 'account', username: 'kefa1', address: A, lockedSeconds: 60 })]);
	});
});

describe('login throttle, per address across accounts', () => {
	it('locks an address that fails with many accounts, for every account, and not others', () => {
		const t = new LoginThrottle();
		for (let i = 0; i < 29; i++) t.fail(`user${i}`, A, i);
		expect(t.blockedFor('admin', A, 29)).toBe(0);
		t.fail('user29', A, 29);
		expect(t.blockedFor('admin', A, 30)).toBe(1);
		expect(t.blockedFor('admin', B, 30)).toBe(0);
	});

	it('leaves an office behind one address alone at a failure a minute', () => {
		const t = new LoginThrottle();
		for (let i = 0; i < 500; i++) t.fail(`staff${i}`, A, i * MIN);
		expect(t.blockedFor('admin', A, 500 * MIN)).toBe(0);
	});

	it('counts one IPv6 /64 as one address', () => {
		expect(addressKey('2001:db8:1:2::1')).toBe(addressKey('2001:db8:1:2:ffff:0:0:9'));
		expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
		expect(addressKey('::1')).toBe('0:0:0:0::/64');
		expect(addressKey(A)).toBe(A);
		const t = new LoginThrottle();
		failTimes(t, 5, 'kefa1', '2001:db8:1:2::1', 0);
		expect(t.blockedFor('kefa1', '2001:db8:1:2::abcd', 10)).toBe(1);
	});
});
