import type { RequestEvent } from '@sveltejs/kit';
import { requireAllowed } from './api.ts';
import { policies } from '#server/policies/index.ts';
import { editionById, parseSnapshot } from '#server/editions/read.ts';

/** The edition behind an export route, for whoever may read editions, and the file name it downloads as. */
export async function exportSource(event: RequestEvent, ext: 'docx' | 'xlsx') {
	const user = requireAllowed(event, policies.readEditions);
	const s = event.locals.services;
	const row = await editionById(s.db, event.params.id!);
	const snapshot = parseSnapshot(row.snapshot);
	const sample = !!(await s.db.selectFrom('manuals').select('is_sample').where('id', '=', row.manual_id).executeTakeFirst())?.is_sample;
	const base = `${snapshot.manual.title}（第${snapshot.number}版）${ext === 'xlsx' ? '廉政风险台账' : ''}`;
	return { user, snapshot, sample, filename: `${base}.${ext}` };
}

/** A file download whose name may be Chinese (RFC 6266 / 5987). */
export function download(body: Buffer, filename: string, type: string): Response {
	const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': type,
			'content-length': String(body.length),
			'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
			'cache-control': 'private, max-age=0'
		}
	});
}
