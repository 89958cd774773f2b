import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hocuspocus, WebSocketLike } from '@hocuspocus/server';
import crossws from 'crossws/adapters/node';
import { errorFields, log } from '../server/log.ts';

export const COLLAB_PATH = '/collab';

type Peer = { _fk?: ReturnType<Hocuspocus['handleConnection']> };

/**
 * Serves the Hocuspocus protocol on `/collab` of an existing HTTP server, leaving every other
 * upgrade (Vite's HMR socket in dev) to its owner.
 */
export function attachCollab(server: Server, hocuspocus: Hocuspocus) {
	const ws = crossws({
		hooks: {
			open(peer) {
				(peer as unknown as Peer)._fk = hocuspocus.handleConnection(
					peer.websocket as unknown as WebSocketLike,
					peer.request as Request
				);
			},
			message(peer, message) {
				try {
					(peer as unknown as Peer)._fk?.handleMessage(message.uint8Array());
				} catch (err) {
					log.warn('collab message rejected', errorFields(err));
				}
			},
			close(peer, event) {
				(peer as unknown as Peer)._fk?.handleClose({ code: event.code ?? 1000, reason: event.reason ?? '' });
			},
			error(peer, err) {
				log.warn('collab socket error', { peer: peer.id, ...errorFields(err) });
			}
		}
	});
	const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		const path = (req.url ?? '').split('?')[0];
		if (path !== COLLAB_PATH && path !== COLLAB_PATH + '/') return;
		ws.handleUpgrade(req, socket, head).catch((err: unknown) => {
			log.warn('collab upgrade failed', errorFields(err));
			socket.destroy();
		});
	};
	server.on('upgrade', onUpgrade);
	return () => {
		server.off('upgrade', onUpgrade);
	};
}
