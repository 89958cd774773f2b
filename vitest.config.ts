import { defineConfig } from 'vitest/config';

// Tests drive real servers over HTTP and WebSocket; they need no SvelteKit plugin here.
export default defineConfig({
	test: {
		include: ['tests/**/*.test.ts'],
		globalSetup: ['tests/helpers/global-setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 180_000,
		fileParallelism: false,
		reporters: ['default', './tests/helpers/summary-reporter.ts']
	}
});
