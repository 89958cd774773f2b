import { Redis } from 'ioredis';
import { errorFields, log } from '../log.ts';

/**
 * A connection to the Redis that several instances share (`REDIS_URL`). Commands wait while it
 * reconnects; errors are logged once per outage rather than thrown at every listener.
 */
export function connectRedis(url: string, role: string): Redis {
	const redis = new Redis(url, { connectionName: `fangkong-${role}`, maxRetriesPerRequest: null });
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
