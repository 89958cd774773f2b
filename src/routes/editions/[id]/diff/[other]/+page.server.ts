import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { isAppError } from '#server/errors.ts';
import { editionById, parseSnapshot } from '#server/editions/read.ts';
import { diffEditions } from '#server/editions/diff.ts';

/** `/editions/:a/diff/:b`: what changed from edition a to edition b. */
export const load: PageServerLoad = async ({ locals, params }) => {
	if (!policies.readEditions(locals.user!)) error(403, '您暂无权查看已发布的版本。');
	const get = (id: string) =>
		editionById(locals.services.db, id).catch((err) => {
			if (isAppError(err) && err.status === 404) error(404, '版本不存在。');
			throw err;
		});
	const [a, b] = await Promise.all([get(params.id), get(params.other)]);
	if (a.manual_id !== b.manual_id) error(400, '只能比较同一手册的两个版本。');
	const sa = parseSnapshot(a.snapshot);
	const sb = parseSnapshot(b.snapshot);
	const units = Object.fromEntries([...sa.units, ...sb.units].flatMap((u) => u.sections.map((s) => [s.id, u.name])));
	return {
		manual: sb.manual,
		a: { id: a.id, number: Number(a.number), publishedAt: sa.publishedAt },
		b: { id: b.id, number: Number(b.number), publishedAt: sb.publishedAt },
		diff: diffEditions(sa, sb),
		units
	};
};
