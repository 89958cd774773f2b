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
 * mistakes never add up. The counters live where every instance sees them: in Redis when
 * several instances share one (`REDIS_URL`), else in this process's memory (bounded).
 */
type Rule = { scope: 'account' | 'address'; free: number; decayMs: number; firstLockMs: number; maxLockMs: number };

const MINUTE = 60_000;
const ACCOUNT: Rule = { scope: 'account', free: 5, decayMs: 10 * MINUTE, firstLockMs: MINUTE, maxLockMs: 60 * MINUTE };
const ADDRESS: Rule = { scope: 'address', free: 30, decayMs: MINUTE, firstLockMs: MINUTE, maxLockMs: 60 * MINUTE };
const MAX_ENTRIES = 100_000;

export type Entry = { score: number; idleSince: number; lockedUntil: number };

/** One failure more on `e`: the new entry and its lock's length in ms (0 when it does not lock). */
function failed(rule: Rule, e: Entry | undefined, now: number): { entry: Entry; lockMs: number } {
	const decayed = e ? Math.max(0, e.score - Math.max(0, now - e.idleSince) / rule.decayMs) : 0;
	const score = decayed + 1;
	// Rounded: failures a moment apart are whole failures, not 4.9999 of them.
	const failures = Math.round(score);
	let lockMs = 0;
	if (failures >= rule.free) {
		const steps = failures - rule.free;
		lockMs = Math.min(rule.firstLockMs * 2 ** Math.min(steps, 30), rule.maxLockMs);
	}
	return { entry: { score, idleSince: now + lockMs, lockedUntil: lockMs ? now + lockMs : 0 }, lockMs };
}

/** How long an entry matters: until its lock is over and its score has decayed to nothing. */
const lifetimeMs = (rule: Rule, e: Entry, now: number) => Math.max(0, e.idleSince - now) + Math.ceil(e.score * rule.decayMs);

/**
 * Where counters are kept. `update` reads an entry, computes its successor and writes it as one
 * step, even when other instances update the same entry at the same moment.
 */
export interface CounterStore {
	get(key: string): Promise<Entry | undefined>;
	update(key: string, next: (e: Entry | undefined) => { entry: Entry; ttlMs: number }): Promise<Entry>;
	delete(key: string): Promise<void>;
}

/** In this process only; least recently failed entries go first when full. */
export class MemoryCounters implements CounterStore {
	private entries = new Map<string, Entry>();
	async get(key: string) {
		return this.entries.get(key);
	}
	async update(key: string, next: (e: Entry | undefined) => { entry: Entry; ttlMs: number }) {
		const { entry } = next(this.entries.get(key));
		// Re-inserted so the map's order is least recently failed first, which is what goes when full.
		this.entries.delete(key);
		this.entries.set(key, entry);
		if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
		return entry;
	}
	async delete(key: string) {
		this.entries.delete(key);
	}
}

export class LoginThrottle {
	private store: CounterStore;
	constructor(store: CounterStore = new MemoryCounters()) {
		this.store = store;
	}

	/** Minutes until this account may try again from this address, or 0. */
	async blockedFor(username: string, address: string, now = Date.now()): Promise<number> {
		const [account, perAddress] = await Promise.all([this.store.get(accountKey(username, address)), this.store.get(addressKey(address))]);
		const until = Math.max(lockedUntil(account, now), lockedUntil(perAddress, now));
		return until ? Math.ceil((until - now) / MINUTE) : 0;
	}

	async fail(username: string, address: string, now = Date.now()) {
		const forAccount = await this.count(ACCOUNT, accountKey(username, address), now);
		if (forAccount) lockLog('account', address, forAccount, username);
		const forAddress = await this.count(ADDRESS, addressKey(address), now);
		if (forAddress) lockLog('address', address, forAddress);
	}

	async succeed(username: string, address: string) {
		await this.store.delete(accountKey(username, address));
	}

	private async count(rule: Rule, key: string, now: number): Promise<number> {
		let lockMs = 0;
		await this.store.update(key, (e) => {
			const r = failed(rule, e, now);
			lockMs = r.lockMs;
			return { entry: r.entry, ttlMs: lifetimeMs(rule, r.entry, now) };
		});
		return lockMs;
	}
}

const lockedUntil = (e: Entry | undefined, now: number) => (e && e.lockedUntil > now ? e.lockedUntil : 0);

function lockLog(scope: Rule['scope'], address: string, lockMs: number, username?: string) {
	log.warn('sign-in locked', { scope, ...(username === undefined ? {} : { username }), address, lockedSeconds: lockMs / 1000 });
}

// The account key holds the address key, and an address key never holds a space: they never collide.
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
