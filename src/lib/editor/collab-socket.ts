import { HocuspocusProviderWebsocket } from '@hocuspocus/provider';

/** One WebSocket per tab, shared by every section document the tab opens (DESIGN.md §2). */
let socket: HocuspocusProviderWebsocket | null = null;

export function collabSocket(): HocuspocusProviderWebsocket {
	if (!socket) {
		const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
		socket = new HocuspocusProviderWebsocket({ url: `${scheme}://${location.host}/collab`, minDelay: 500, maxDelay: 5000 });
	}
	return socket;
}
