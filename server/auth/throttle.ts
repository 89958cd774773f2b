import net from 'node:net';
import { log } from '../log.ts';

/**
 * Slows password guessing without letting a guesser lock others out. Two counters:
 *
 * - per account *and* address: a few free failures, then locks that double with each further
 *   failure (1 min, 2, 4 … up to 1 h). The right password from another address still works,
 *   and a success clears it.
 * - per address, across accounts: a coarser limit for one address trying many accounts. Set
 *   high, because an office behind one NAT address shares it.
 *
 * A counter's score decays while nothing happens (and not while it is locked), so rare
 * mistakes never add up. In memory, per process, with a bounded number of entries.
 */
type Rule = { scope: 'account' | 'address'; free: number; decayMs: number; firstLockMs: number; maxLockMs: number };

const MINUTE = 60_000;
const ACCOUNT: Rule = { scope: 'account', free: 5, decayMs: 10 * MINUTE, firstLockMs: MINUTE, maxLockMs: 60 * MINUTE };
const ADDRESS: Rule = { scope: 'address', free: 30, decayMs: MINUTE, firstLockMs: MINUTE, maxLockMs: 60 * MINUTE };
const MAX_ENTRIES = 100_000;

type Entry = { score: number; idleSince: number; lockedUntil: number };

class Counter {
	private entries = new Map<string, Entry>();
	private rule: Rule;
	constructor(rule: Rule) {
		this.rule = rule;
	}

	lockedUntil(key: string, now: number): number {
		const e = this.entries.get(key);
		return e && e.lockedUntil > now ? e.lockedUntil : 0;
	}

	/** Counts a failure; returns the new lock's length in ms, or 0 when it does not lock. */
	fail(key: string, now: number): number {
		const e = this.entries.get(key);
		const decayed = e ? Math.max(0, e.score - Math.max(0, now - e.idleSince) / this.rule.decayMs) : 0;
		const score = decayed + 1;
		// Rounded: failures a moment apart are whole failures, not 4.9999 of them.
		const failures = Math.round(score);
		let lockMs = 0;
		if (failures >= this.rule.free) {
			const steps = failures - this.rule.free;
			lockMs = Math.min(this.rule.firstLockMs * 2 ** Math.min(steps, 30), this.rule.maxLockMs);
		}
		// Re-inserted so the map's order is least recently failed first, which is what goes when full.
		this.entries.delete(key);
		this.entries.set(key, { score, idleSince: now + lockMs, lockedUntil: lockMs ? now + lockMs : 0 });
		if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
		return lockMs;
	}

	clear(key: string) {
		this.entries.delete(key);
	}
}

export class LoginThrottle {
	private account = new Counter(ACCOUNT);
	private address = new Counter(ADDRESS);

	/** Minutes until this account may try again from this address, or 0. */
	blockedFor(username: string, address: string, now = Date.now()): number {
		const until = Math.max(this.account.lockedUntil(accountKey(username, address), now), this.address.lockedUntil(addressKey(address), now));
		return until ? Math.ceil((until - now) / MINUTE) : 0;
	}

	fail(username: string, address: string, now = Date.now()) {
		const forAccount = this.account.fail(accountKey(username, address), now);
		if (forAccount) lockLog('account', address, forAccount, username);
		const forAddress = this.address.fail(addressKey(address), now);
		if (forAddress) lockLog('address', address, forAddress);
	}

	succeed(username: string, address: string) {
		this.account.clear(accountKey(username, address));
	}
}

function lockLog(scope: Rule['scope'], address: string, lockMs: number, username?: string) {
	log.warn('sign-in locked', { scope, ...(username === undefined ? {} : { username }), address, lockedSeconds: lockMs / 1000 });
}

const accountKey = (username: string, address: string) => `${addressKey(address)} ${username.toLowerCase().slice(0, 200)}`;

/** One IPv6 subscriber usually holds a whole /64: its addresses count as one. */
export function addressKey(address: string): string {
	if (net.isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
	return address;
}

function expandIPv6(address: string): string[] {
	const [head, tail] = address.split('%')[0].split('::');
	const left = head ? head.split(':') : [];
	const right = tail === undefined ? [] : tail ? tail.split(':') : [];
	// An embedded IPv4 tail (::ffff:1.2.3.4) takes two groups; only the first four matter here.
	const width = [...left, ...right].reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
	const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - width)).fill('0');
	return [...left, ...zeros, ...right].map((g) => (g.includes('.') ? g : (parseInt(g, 16) || 0).toString(16)));
}
