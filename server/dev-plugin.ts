import type { Plugin } from 'vite';
import { attachCollab } from '../collab/attach.ts';
import { getServices } from './services.ts';

/**
 * Under `vite dev`, serves /collab on Vite's own HTTP server with the same services the
 * SvelteKit routes use, so dev and production are one process, one port, alike.
 */
export function collabDevPlugin(): Plugin {
	return {
		name: 'fangkong-collab',
		apply: 'serve',
		async configureServer(server) {
			if (!server.httpServer) return;
			const services = await getServices();
			attachCollab(server.httpServer as import('node:http').Server, services.collab.hocuspocus);
		}
	};
}
