import { api } from '#lib/server/api.ts';
import { download, exportSource } from '#lib/server/exports.ts';
import { renderDocx } from '#server/export/docx.ts';
import { pictureStore } from '#server/editions/pictures.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * The edition as a Word book (GB/T 9704). A long export reports its progress to the person who
 * asked, on their live signal stream, under the `job` they named (`?job=…`).
 */
export const GET = api(async (event) => {
	const { user, snapshot, sample, filename } = await exportSource(event, 'docx');
	const job = event.url.searchParams.get('job')?.slice(0, 64) ?? null;
	const { bus } = event.locals.services;
	const body = await renderDocx(snapshot, job ? (p) => bus.send([user.id], { type: 'export', job, ...p }) : undefined, {
		sample,
		pictures: pictureStore(event.locals.services.db)
	});
	return download(body, filename, DOCX);
});
