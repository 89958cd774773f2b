import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { artifact, BrowserUser } from '../helpers/browser.ts';

const SOON = { timeout: 10_000, interval: 100 };

/**
 * Each role at its own job, in a real browser, with a screenshot of what it sees: the unit's
 * editor writing, its leader before submitting, the expert grading, the coordinator's cockpit,
 * the party group's records, the reader's home, the admin's accounts. No page may throw.
 */
describe('every role at work', () => {
	const server = new TestServer();
	let coordinator: ApiClient;
	let manualId: string;
	let section: { id: string };

	beforeAll(async () => {
		await server.start();
		coordinator = await signIn(server, 'jijian');
		const d = await demoSection(coordinator, '设备监督管理司');
		manualId = d.manual.id;
		section = d.section;
		await coordinator.post(`/api/manuals/${manualId}/phase`, { phase: 'assessment' });
	});
	afterAll(() => server.dispose());

	async function as(username: string, path: string, check: (u: BrowserUser) => Promise<void>) {
		const u = await new BrowserUser(server.url).launch();
		try {
			await u.open(path, username);
			await check(u);
			await u.page.screenshot({ path: artifact(`role-${username}.png`) });
			expect(u.pageErrors).toEqual([]);
		} finally {
			await u.close();
		}
	}

	it('editor: writes in the own unit’s section, with the self-review beside it', async () => {
		await as('shebei1', `/manuals/${manualId}/sections/${section.id}`, async (u) => {
			await u.editable();
			await expect.poll(() => u.page.getByRole('button', { name: /自我复查/ }).isVisible(), SOON).toBe(true);
		});
	});

	it('leader: may submit the unit’s section', async () => {
		await as('shebei_leader', `/manuals/${manualId}/sections/${section.id}`, async (u) => {
			await u.editable();
			await expect.poll(() => u.page.getByText('正在载入章节内容…').count(), SOON).toBe(0);
			await expect.poll(() => u.page.getByRole('button', { name: '报送' }).isVisible(), SOON).toBe(true);
		});
	});

	it('expert: reads, comments and grades, never writes', async () => {
		await as('zhuanjia', `/manuals/${manualId}/sections/${section.id}`, async (u) => {
			await expect.poll(() => u.page.locator('.ProseMirror.doc-body[contenteditable=false]').count(), SOON).toBe(1);
			await expect.poll(() => u.page.getByRole('button', { name: /评定/ }).first().isVisible(), SOON).toBe(true);
		});
	});

	it('coordinator: sees every unit’s progress in the cockpit', async () => {
		await as('jijian', `/manuals/${manualId}/cockpit`, async (u) => {
			await expect.poll(() => u.page.locator('section.unit').count(), SOON).toBe(3);
		});
	});

	it('party group: records its decision on the manual', async () => {
		await as('dangzu', `/manuals/${manualId}/records`, async (u) => {
			await expect.poll(() => u.page.getByText('党组研究').first().isVisible(), SOON).toBe(true);
		});
	});

	it('reader: sees that nothing is published yet', async () => {
		await as('duzhe', '/', async (u) => {
			await expect.poll(() => u.page.getByText('尚未发布任何版本').isVisible(), SOON).toBe(true);
			expect(await u.page.getByText('3 个单位 · 0 个职权事项').count()).toBe(1);
		});
	});

	it('admin: manages accounts and units', async () => {
		await as('admin', '/admin', async (u) => {
			await expect.poll(() => u.page.getByText('jijian').first().isVisible(), SOON).toBe(true);
		});
	});
});
