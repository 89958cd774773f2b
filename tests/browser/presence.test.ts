import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSection, signIn, TestServer } from '../helpers/server.ts';
import { BrowserUser } from '../helpers/browser.ts';
import { CollabClient } from '../helpers/collab-client.ts';

const SOON = { timeout: 5_000, interval: 50 };

describe('presence in the editor page', () => {
	const server = new TestServer();
	let page: BrowserUser; // shebei1, editor of 设备监督管理司
	let expert: CollabClient;
	let expertName: string;
	let leaderId: string;
	let sectionPath: string;

	beforeAll(async () => {
		await server.start();
		const admin = await signIn(server, 'admin');
		const demo = await demoSection(admin, '设备监督管理司');
		sectionPath = `/manuals/${demo.manual.id}/sections/${demo.section.id}`;
		const expertApi = await signIn(server, 'zhuanjia');
		expertName = (await expertApi.get('/api/me')).body.displayName;
		leaderId = (await (await signIn(server, 'shebei_leader')).get('/api/me')).body.id;
		page = await new BrowserUser(server.url).launch();
		expert = new CollabClient(server.wsUrl, demo.section.doc, expertApi.token!);
		await expert.synced();
	});

	afterAll(async () => {
		expert?.destroy();
		await page?.close();
		await server.dispose();
	});

	it("shows a read-only expert under their own name whatever they claim, and the page keeps working", async () => {
		await page.open(sectionPath, 'shebei1');
		await page.editable();
		const at = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(expert.firstParagraphText(), 0));
		// Someone else's id, a name that is no text, a colour that is CSS, a field nobody knows.
		expert.provider.awareness!.setLocalState({
			user: { id: leaderId, name: 42, color: 'red;background:url(https://example.invalid/x)' },
			cursor: { anchor: at, head: at },
			extra: { nested: true }
		});
		await expect.poll(() => page.caretLabels.allTextContents(), SOON).toEqual([expertName]);
		await expect.poll(() => page.page.locator(`.presence [title="${expertName}"]`).count(), SOON).toBe(1);
		await page.typeInLastParagraph('专家在场时的输入');
		await expect.poll(() => page.docText(), SOON).toContain('专家在场时的输入');
		expect(page.pageErrors).toEqual([]);
	});
});
