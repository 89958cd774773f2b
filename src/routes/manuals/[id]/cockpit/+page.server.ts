import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { manualProgress } from '#server/workflow/progress.ts';
import { manualDependency } from '#lib/review/dependencies.ts';
import { improvementByUnit } from '#server/improvement/summary.ts';

/** 工作台: every unit's progress (GET /api/manuals/:id/progress), live on the manual's signal. */
export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends(manualDependency(params.id));
	const user = locals.user!;
	if (!policies.viewProgress(user)) error(403, '您暂无权查看工作进度。');
	const manual = await locals.services.manuals.get(params.id);
	// In 完善提高 the cockpit also counts measures, warnings and supervision cards.
	const improvement = manual.phase === 'improvement' && policies.viewImprovement(user) ? await improvementByUnit(locals.services, params.id) : null;
	return { progress: await manualProgress(locals.services, params.id), improvement };
};
