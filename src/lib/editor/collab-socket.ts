import { HocuspocusProviderWebsocket } from '@hocuspocus/provider';

/** One WebSocket per tab, shared by every section document the tab opens (DESIGN.md §2). */
let socket: HocuspocusProviderWebsocket | null = null;

export function collabSocket(): HocuspocusProviderWebsocket {
	if (!socket) {
		const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
		const s = new HocuspocusProviderWebsocket({ url: `${scheme}://${location.host}/collab`, minDelay: 500, maxDelay: 5000 });
		followBrowserConnectivity(s);
		socket = s;
	}
	return socket;
}

/**
 * The browser knows about a lost network before the socket does: an open WebSocket whose
 * network went away is not closed until TCP or the provider's 30-second silence check gives up,
 * and meanwhile the badge would keep saying "saved"/"saving" while nothing reaches the server.
 * On `offline` the socket is treated as closed at once (the provider's own forced-close path),
 * so the badge says "offline" and edits wait in IndexedDB; on `online` it reconnects now
 * instead of waiting out the retry back-off.
 */
function followBrowserConnectivity(s: HocuspocusProviderWebsocket) {
	window.addEventListener('offline', () => {
		s.onClose({ event: new CloseEvent('close', { code: 4000, reason: 'offline' }) });
	});
	window.addEventListener('online', () => {
		void s.connect();
	});
}
