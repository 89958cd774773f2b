import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { canInUnit, policies } from '#server/policies/index.ts';
import { listMeasures, MeasureUpdateInput, reportMeasure } from '#server/improvement/measures.ts';
import { formOf, validatedAction } from '#lib/server/forms.ts';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = locals.user!;
	if (!policies.viewImprovement(user)) error(403, '您暂无权查看防控措施落实情况。');
	const measures = await listMeasures(locals.services, params.id);
	return { measures: measures.map((m) => ({ ...m, canReport: canInUnit(user, 'updateMeasure', m.unitId) })) };
};

export const actions: Actions = {
	report: async ({ locals, request }) => {
		const f = await formOf(request);
		const id = String(f.get('id') ?? '');
		const raw = { status: f.get('status'), note: String(f.get('note') ?? ''), attachment: String(f.get('attachment') ?? '') || null };
		return validatedAction(`report:${id}`, MeasureUpdateInput, raw, (input) => reportMeasure(locals.services, locals.user!, id, input));
	}
};
