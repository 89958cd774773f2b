import { isTransactionOrigin } from '@hocuspocus/server';

/**
 * Changes applied from another instance carry origin `redis` (Hocuspocus' Redis extension sets
 * it; our own recovery uses it too). They were stored, and published, by the instance that got
 * them from a client: persistence and publishing skip them.
 */
export const RELAYED = { source: 'redis' } as const;

export const isRelayed = (origin: unknown): boolean => isTransactionOrigin(origin) && origin.source === 'redis';
