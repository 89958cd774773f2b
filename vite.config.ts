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
			adapter: adapter({ out: 'build' })
		}),
		collabDevPlugin()
	],
	server: { port: Number(process.env.PORT ?? 3000) }
});
