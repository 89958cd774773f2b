import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain line, `N passed, N failed` (and skipped), which CI and any
 * log reader can parse without knowing Vitest's own output.
 */
export default class SummaryReporter implements Reporter {
	onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
		const count = { passed: 0, failed: 0, skipped: 0 };
		for (const m of testModules) {
			for (const t of m.children.allTests()) {
				const state = t.result().state;
				if (state === 'passed') count.passed++;
				else if (state === 'failed') count.failed++;
				else count.skipped++;
			}
			if (m.state() === 'failed' && ![...m.children.allTests()].length) count.failed++;
		}
		process.stdout.write(`\n${count.passed} passed, ${count.failed} failed${count.skipped ? `, ${count.skipped} skipped` : ''}\n`);
	}
}
