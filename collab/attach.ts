import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hocuspocus, WebSocketLike } from '@hocuspocus/server';
import crossws from 'crossws/adapters/node';
import { errorBody, forbidden } from '../server/errors.ts';
import { hasSessionCookie, isOwnOrigin } from '../server/http/cross-site.ts';
import { errorFields, log } from '../server/log.ts';
import type { SocketState } from './extensions/connections.ts';

export const COLLAB_PATH = '/collab';

/**
 * Largest WebSocket frame accepted; a bigger one closes the socket (1009) before it is read
 * into memory (the `ws` default is 100 MiB). The largest honest frame is a sync carrying a whole
 * section (a client's offline copy of a document the server does not have yet): a long section
 * with its history is a few hundred KB, so 8 MiB leaves ample room while a hostile socket can
 * make the server buffer at most 8 MiB. Must stay above the schema guard's cap on document size.
 */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;

/**
 * A socket that has sent something is closed this long after its first message unless a
 * document has signed in on it by then: what it sent waits in memory until a document signs in.
 * A browser authenticates right after sending (the token goes first), so 10 s is ample. A silent
 * socket holds nothing; Hocuspocus itself closes a socket that never signed in after 60–120 s
 * (its `timeout`), which also covers a tab whose shared socket stays open between sections.
 */
export const AUTH_DEADLINE_MS = 10_000;

/** Close code for a socket that did not authenticate in time (4000–4999: application codes). */
export const AUTH_TIMEOUT = { code: 4408, reason: 'authentication-timeout' };

type Peer = {
	_fk?: ReturnType<Hocuspocus['handleConnection']>;
	_socket?: SocketState;
	_deadline?: ReturnType<typeof setTimeout>;
};

export type AttachOptions = { authDeadlineMs?: number };

/**
 * Serves the Hocuspocus protocol on `/collab` of an existing HTTP server, leaving every other
 * upgrade (Vite's HMR socket in dev) to its owner.
 */
export function attachCollab(server: Server, hocuspocus: Hocuspocus, options: AttachOptions = {}) {
	const authDeadlineMs = options.authDeadlineMs ?? AUTH_DEADLINE_MS;
	const ws = crossws({
		serverOptions: { maxPayload: MAX_FRAME_BYTES },
		hooks: {
			open(peer) {
				const p = peer as unknown as Peer;
				p._socket = { authenticated: false };
				// Every document opened on this socket gets `socket` in its context (shared, not copied).
				p._fk = hocuspocus.handleConnection(peer.websocket as unknown as WebSocketLike, peer.request as Request, { socket: p._socket });
			},
			message(peer, message) {
				const p = peer as unknown as Peer;
				if (!p._deadline && !p._socket?.authenticated) {
					p._deadline = setTimeout(() => {
						if (p._socket?.authenticated) return;
						log.debug('collab socket closed: no authentication in time', { peer: peer.id });
						peer.close(AUTH_TIMEOUT.code, AUTH_TIMEOUT.reason);
					}, authDeadlineMs);
				}
				try {
					p._fk?.handleMessage(message.uint8Array());
				} catch (err) {
					log.warn('collab message rejected', errorFields(err));
				}
			},
			close(peer, event) {
				const p = peer as unknown as Peer;
				clearTimeout(p._deadline);
				p._fk?.handleClose({ code: event.code ?? 1000, reason: event.reason ?? '' });
			},
			error(peer, err) {
				log.warn('collab socket error', { peer: peer.id, ...errorFields(err) });
			}
		}
	});
	const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		const path = (req.url ?? '').split('?')[0];
		if (path !== COLLAB_PATH && path !== COLLAB_PATH + '/') return;
		if (!upgradeAllowed(req)) {
			log.warn('collab upgrade refused: session cookie from another origin', { origin: req.headers.origin });
			refuseUpgrade(socket);
			return;
		}
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

/**
 * Cross-site WebSocket hijacking: browsers send the session cookie with a WebSocket opened by a
 * page of any origin on the same site, and WebSockets have no CORS. A socket that carries the
 * session cookie is therefore accepted only from the app's own origin. Clients without the
 * cookie (API and Node clients with a token) may come from anywhere: they bring their credential
 * themselves. Browsers always send Origin on a WebSocket; a client without it is no browser.
 */
export function upgradeAllowed(req: IncomingMessage): boolean {
	const origin = req.headers.origin;
	if (!origin || !hasSessionCookie(req)) return true;
	return isOwnOrigin(origin, req);
}

function refuseUpgrade(socket: Duplex) {
	const body = JSON.stringify(errorBody(forbidden('不允许从其他站点连接协同编辑服务。')));
	socket.end(
		`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}
