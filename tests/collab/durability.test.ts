import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollabClient, collabSocket, until } from '../helpers/collab-client.ts';
import { InProcessCollab } from './in-process.ts';

/** What the update log receives, seen from inside the real collaboration server. */
describe('the update log', () => {
	const harness = new InProcessCollab();
	let token: string;
	let docs: string[];
	const clients: CollabClient[] = [];

	beforeAll(async () => {
		await harness.start();
		token = (await harness.tokenFor('shebei1')).token;
		docs = (await harness.sectionsOf('设备监督管理司')).sections.map((s) => s.doc);
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await harness.stop();
	});

	it('no edit is confirmed before its append has committed', async () => {
		const socket = collabSocket(harness.wsUrl);
		const a = new CollabClient(harness.wsUrl, docs[0], token, { socket });
		const b = new CollabClient(harness.wsUrl, docs[1], token, { socket });
		clients.push(a, b);
		await Promise.all([a.synced(), b.synced()]);
		const before = harness.appends(docs[0]);
		harness.appendGate.close(docs[0]);
		try {
			a.appendParagraph('落盘之前不得确认');
			await until(() => harness.appendGate.entered > 0, 'the append has started');
			// An edit to the other document, sent later on the same socket, is confirmed: the server
			// has had every chance to confirm the first one too.
			b.appendParagraph('另一章节的修改');
			await b.confirmed();
			expect(a.provider.unsyncedChanges).toBeGreaterThan(0);
			expect(harness.appends(docs[0])).toBe(before);

			harness.appendGate.open();
			await a.confirmed();
			expect(harness.appends(docs[0])).toBe(before + 1);
		} finally {
			harness.appendGate.open();
		}
	});

	it('a tab reopening the document with its local history adds nothing when nothing changed', async () => {
		// The tab's copy: edits and deletions, confirmed by the server.
		const local = new Y.Doc();
		const first = new CollabClient(harness.wsUrl, docs[1], token, { doc: local });
		await first.synced();
		for (let i = 0; i < 10; i++) first.appendParagraph(`本地历史第${i}段`);
		first.fragment.delete(first.fragment.length - 5, 3);
		first.firstParagraphText().delete(0, 1);
		await first.confirmed();
		first.destroy();

		const before = harness.appends(docs[1]);
		for (let i = 0; i < 5; i++) {
			const again = new CollabClient(harness.wsUrl, docs[1], token, { doc: local });
			await again.synced();
			await again.confirmed();
			again.destroy();
		}
		expect(harness.appends(docs[1])).toBe(before);

		// A real change after reopening is stored as before.
		const last = new CollabClient(harness.wsUrl, docs[1], token, { doc: local });
		clients.push(last);
		await last.synced();
		last.appendParagraph('重新打开之后的修改');
		await last.confirmed();
		expect(harness.appends(docs[1])).toBe(before + 1);
	});
});
