import { Hocuspocus } from '@hocuspocus/server';
import type { CollabDeps } from './deps.ts';
import { Authenticate } from './extensions/authenticate.ts';
import { Connections } from './extensions/connections.ts';
import { Persistence } from './extensions/persistence.ts';
import { Logging } from './extensions/logging.ts';
import { SchemaGuard } from './extensions/schema-guard.ts';

export type Collab = { hocuspocus: Hocuspocus; connections: Connections };

export function createCollab(deps: CollabDeps): Collab {
	const connections = new Connections();
	const hocuspocus = new Hocuspocus({
		name: 'fangkong',
		quiet: true,
		// Compaction after a pause in typing; durability does not wait for it.
		debounce: 5000,
		maxDebounce: 30000,
		extensions: [new SchemaGuard(deps.store), new Persistence(deps.store), new Authenticate(deps), connections, new Logging()]
	});
	return { hocuspocus, connections };
}
