import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../server/auth/login.ts';

describe('login throttle', () => {
	it('blocks an account after repeated failures within the window, and lets it go after', () => {
		const t = new LoginThrottle();
		const start = 1_000_000;
		for (let i = 0; i < 7; i++) t.fail('Shebei1', start + i);
		expect(t.blockedFor('shebei1', start + 10)).toBe(0);
		t.fail('shebei1', start + 8);
		expect(t.blockedFor('SHEBEI1', start + 10)).toBe(15);
		expect(t.blockedFor('shebei2', start + 10)).toBe(0);
		expect(t.blockedFor('shebei1', start + 15 * 60_000 + 10)).toBe(0);
	});

	it('forgets failures after a successful sign-in', () => {
		const t = new LoginThrottle();
		for (let i = 0; i < 8; i++) t.fail('kefa1', i);
		t.succeed('kefa1');
		expect(t.blockedFor('kefa1', 10)).toBe(0);
	});
});
