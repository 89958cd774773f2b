import { Redis } from 'ioredis';
import { errorFields, log } from '../log.ts';

/**
 * A connection to the Redis that several instances share (`REDIS_URL`). Errors are logged once
 * per outage rather than thrown at every listener. By default commands wait while it reconnects
 * (a relay or a revocation goes out late rather than never); `waitForReconnect: false` fails
 * them after a few tries, for callers that answer a request and must not hang.
 */
export function connectRedis(url: string, role: string, options: { waitForReconnect?: boolean } = {}): Redis {
	const redis = new Redis(url, { connectionName: `fangkong-${role}`, maxRetriesPerRequest: options.waitForReconnect === false ? 2 : null });
	let down = false;
	redis.on('error', (err) => {
		if (down) return;
		down = true;
		log.error('redis unavailable', { role, ...errorFields(err) });
	});
	redis.on('ready', () => {
		if (down) log.info('redis available again', { role });
		down = false;
	});
	return redis;
}
