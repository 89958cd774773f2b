import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { listWarnings } from '#server/improvement/warnings.ts';

/** A warning's notice as a printable document (提示通知书 / 提醒谈话通知书 / 整改通知书). */
export const load: PageServerLoad = async ({ locals, params }) => {
	if (!policies.viewImprovement(locals.user!)) error(403, '您暂无权查看风险预警。');
	const row = await locals.services.db.selectFrom('warnings').select(['manual_id']).where('id', '=', params.id).executeTakeFirst();
	if (!row) error(404, '预警不存在。');
	const all = await listWarnings(locals.services, row.manual_id);
	const warning = all.find((w) => w.id === params.id)!;
	// The notice is numbered by its place in the year's register.
	const year = new Date(warning.createdAt + 8 * 3_600_000).getUTCFullYear();
	const number = all.filter((w) => new Date(w.createdAt + 8 * 3_600_000).getUTCFullYear() === year && w.createdAt <= warning.createdAt).length;
	return { warning, year, number };
};
