import { sveltekit } from '@sveltejs/kit/vite';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';
import { collabDevPlugin } from './server/dev-plugin.ts';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'baseLocale']
		}),
		sveltekit({
			preprocess: vitePreprocess(),
			adapter: adapter({ out: 'build' }),
			// Every page's Content-Security-Policy. SvelteKit adds a fresh nonce to script-src for its
			// own inline scripts, so no other inline script runs. Styles allow inline: Tiptap and Svelte
			// Flow place things with style attributes, and a style cannot run code. 'self' in
			// connect-src covers ws:/wss: to the page's own host, where /collab is. The other headers,
			// and the policy of everything that is not a page: server/http/security-headers.ts.
			csp: {
				mode: 'nonce',
				directives: {
					'default-src': ['self'],
					'script-src': ['self'],
					'style-src': ['self', 'unsafe-inline'],
					'img-src': ['self', 'data:', 'blob:'],
					'font-src': ['self', 'data:'],
					'connect-src': ['self'],
					'object-src': ['none'],
					'base-uri': ['self'],
					'form-action': ['self'],
					'frame-ancestors': ['none']
				}
			}
		}),
		collabDevPlugin()
	],
	server: { port: Number(process.env.PORT ?? 3000) }
});
