import * as Y from 'yjs';
import { BrowserUser } from '../../tests/helpers/browser.ts';
import { CollabClient, until } from '../../tests/helpers/collab-client.ts';
import { demoSection, signIn, TestServer } from '../../tests/helpers/server.ts';
import { newRiskRow, riskTable } from '../../tests/helpers/yblocks.ts';
import { FLOWCHARTS_MAP } from '../../collab/schema/flowchart.ts';
import { percentile } from './in-process.ts';

export type KeystrokeResult = { rows: number; busy: number; cpu: number; median: number; p95: number; max: number };

/**
 * What one keystroke in a flowchart step's name costs in Chromium with `rows` risk rows on the
 * page: the main thread's work for it (all its tasks while typing — script, style, layout, paint —
 * less as long a quiet spell, divided by the keys), the page process's CPU for it (likewise), and the time from the key event to the end
 * of the frame that shows it (a message posted from the next animation frame runs after that
 * frame is painted; this includes waiting for the frame). Keys are typed far enough apart that
 * each is measured alone. One section per size, on one server.
 */
export async function keystrokeCosts(sizes: number[], keys = 30): Promise<KeystrokeResult[]> {
	const server = new TestServer({ LOG_LEVEL: 'error' });
	await server.start();
	const user = await new BrowserUser(server.url).launch();
	try {
		const admin = await signIn(server, 'admin');
		const { manual, unit } = await demoSection(admin, '设备监督管理司');
		const colleagueToken = (await signIn(server, 'shebei2')).token!;
		const out: KeystrokeResult[] = [];
		for (const [i, rows] of sizes.entries()) {
			const section = unit.sections[i % unit.sections.length];
			const c = new CollabClient(server.wsUrl, section.doc, colleagueToken);
			await c.synced();
			const table = riskTable(c.doc);
			const missing = rows - table.length;
			if (missing > 0) c.doc.transact(() => table.push(Array.from({ length: missing }, (_, k) => newRiskRow(`bench-${rows}-${k}`))));
			await c.confirmed();
			const count = table.length;
			const chart = [...c.doc.getMap<Y.Map<unknown>>(FLOWCHARTS_MAP).values()][0];
			const stepId = [...(chart.get('nodes') as Y.Map<unknown>).keys()][0];
			c.destroy();

			const page = user.page;
			await user.open(`/manuals/${manual.id}/sections/${section.id}`, 'shebei1');
			await user.editable();
			await until(async () => (await page.locator('.risk-row').count()) >= rows, `${rows} rows drawn`, 60_000);
			await page.locator(`.svelte-flow__node[data-id="${stepId}"]`).click();
			const label = page.getByRole('region', { name: '权力运行流程图编辑器' }).getByLabel('名称', { exact: true });
			await label.click();
			await page.keyboard.press('End');
			await page.evaluate(() => {
				const w = window as unknown as { __costs: number[] };
				w.__costs = [];
				document.addEventListener(
					'keydown',
					(e) => {
						const start = e.timeStamp;
						requestAnimationFrame(() => {
							const ch = new MessageChannel();
							ch.port1.onmessage = () => w.__costs.push(performance.now() - start);
							ch.port2.postMessage(0);
						});
					},
					true
				);
			});
			const cdp = await page.context().newCDPSession(page);
			await cdp.send('Performance.enable');
			// TaskDuration: the main thread's tasks, wall clock; ProcessTime: the page process's CPU
			// (all its threads), which a busy machine does not inflate.
			const metrics = async () => {
				const m = (await cdp.send('Performance.getMetrics')).metrics;
				const get = (name: string) => (m.find((x) => x.name === name)?.value ?? NaN) * 1000;
				return { busy: get('TaskDuration'), cpu: get('ProcessTime') };
			};
			const spell = async (work: () => Promise<void>) => {
				const from = await metrics();
				await work();
				const to = await metrics();
				return { busy: to.busy - from.busy, cpu: to.cpu - from.cpu };
			};
			await page.waitForTimeout(500);
			const quiet = await spell(() => page.waitForTimeout(keys * 120));
			const typing = await spell(async () => {
				for (let k = 0; k < keys; k++) {
					await page.keyboard.press(String.fromCharCode(97 + (k % 26)));
					await page.waitForTimeout(120);
				}
			});
			await cdp.detach();
			const costs = await page.evaluate(() => (window as unknown as { __costs: number[] }).__costs);
			out.push({
				rows: count,
				busy: (typing.busy - quiet.busy) / keys,
				cpu: (typing.cpu - quiet.cpu) / keys,
				median: percentile(costs, 50),
				p95: percentile(costs, 95),
				max: Math.max(...costs)
			});
		}
		return out;
	} finally {
		await user.close();
		await server.dispose();
	}
}
