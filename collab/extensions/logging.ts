import type { connectedPayload, Extension, onDisconnectPayload } from '@hocuspocus/server';
import { log } from '../../server/log.ts';
import type { CollabContext } from './authenticate.ts';

/** One log line per document connection, for operators. */
export class Logging implements Extension {
	extensionName = 'fangkong-logging';
	async connected({ documentName, context, connectionConfig }: connectedPayload<CollabContext>) {
		log.info('collab connected', { doc: documentName, user: context.user.username, readOnly: connectionConfig.readOnly });
	}
	async onDisconnect({ documentName, context }: onDisconnectPayload<CollabContext>) {
		log.debug('collab disconnected', { doc: documentName, user: context?.user?.username });
	}
}
