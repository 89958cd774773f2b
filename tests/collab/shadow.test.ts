import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { InProcessCollab } from './in-process.ts';
import { SchemaGuard } from '../../collab/extensions/schema-guard.ts';

/** The schema guard's second copy of a document exists only while someone may write it. */
describe('the schema guard’s copy of a document', () => {
	const harness = new InProcessCollab();
	let guard: SchemaGuard;
	let doc: string;
	let reader: string;
	let writer: string;

	beforeAll(async () => {
		await harness.start();
		guard = harness.collab.hocuspocus.configuration.extensions.find((e) => e instanceof SchemaGuard) as SchemaGuard;
		doc = (await harness.sectionsOf('设备监督管理司')).sections[0].doc;
		reader = (await harness.tokenFor('zhuanjia')).token;
		writer = (await harness.tokenFor('shebei1')).token;
	});

	afterAll(async () => {
		await harness.stop();
	});

	it('is not made for readers, is made for a writer’s first update, and goes when the last writer leaves', async () => {
		const watching = await new CollabClient(harness.wsUrl, doc, reader).synced();
		const live = () => harness.collab.hocuspocus.documents.get(doc)!;
		try {
			expect(guard.holdsCopyOf(live())).toBe(false);
			const typing = await new CollabClient(harness.wsUrl, doc, writer).synced();
			typing.appendParagraph('写入时才有副本');
			await typing.confirmed();
			expect(guard.holdsCopyOf(live())).toBe(true);
			typing.destroy();
			await until(() => !guard.holdsCopyOf(live()), 'the copy is dropped');
			// Checking still works when someone writes again (the copy is made anew).
			const again = await new CollabClient(harness.wsUrl, doc, writer).synced();
			again.appendParagraph('再次写入');
			await again.confirmed();
			expect(guard.holdsCopyOf(live())).toBe(true);
			again.destroy();
		} finally {
			watching.destroy();
		}
	});
});
