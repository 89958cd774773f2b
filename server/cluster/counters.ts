import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { CounterStore, Entry } from '../auth/throttle.ts';

const EntrySchema = z.object({ score: z.number(), idleSince: z.number(), lockedUntil: z.number() });

// Writes the new value only if the key still holds what was read (compare-and-set), with expiry.
const CAS = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/**
 * Sign-in counters in Redis, shared by every instance. An entry expires once it no longer
 * matters; concurrent failures on several instances each count (compare-and-set, retried).
 */
export class RedisCounters implements CounterStore {
	private redis: Redis;
	private prefix: string;
	constructor(redis: Redis, prefix = 'fangkong:throttle:') {
		this.redis = redis;
		this.prefix = prefix;
	}

	async get(key: string): Promise<Entry | undefined> {
		return parse(await this.redis.get(this.prefix + key));
	}

	async update(key: string, next: (e: Entry | undefined) => { entry: Entry; ttlMs: number }): Promise<Entry> {
		for (let attempt = 0; attempt < 50; attempt++) {
			const raw = await this.redis.get(this.prefix + key);
			const { entry, ttlMs } = next(parse(raw));
			const ttl = String(Math.max(1, Math.ceil(ttlMs)));
			const stored = await this.redis.eval(CAS, 1, this.prefix + key, raw ?? '', JSON.stringify(entry), ttl);
			if (stored === 1) return entry;
		}
		throw new Error(`sign-in counter ${key} kept changing under concurrent updates`);
	}

	async delete(key: string): Promise<void> {
		await this.redis.del(this.prefix + key);
	}
}

function parse(raw: string | null): Entry | undefined {
	if (!raw) return undefined;
	try {
		const r = EntrySchema.safeParse(JSON.parse(raw));
		return r.success ? r.data : undefined;
	} catch {
		return undefined; // unreadable: start afresh rather than refuse every sign-in
	}
}
