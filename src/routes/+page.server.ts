import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { NewManualInput } from '#server/services/manuals.ts';
import { formOf } from '#lib/server/forms.ts';

export const load: PageServerLoad = async ({ locals }) => {
	const manuals = await locals.services.manuals.list();
	const outlines = await Promise.all(manuals.map((mm) => locals.services.manuals.outline(mm.id)));
	return {
		canCreate: policies.manageManuals(locals.user!),
		manuals: outlines.map((o) => ({
			id: o.id,
			title: o.title,
			edition: o.edition,
			phase: o.phase,
			isSample: o.isSample,
			unitCount: o.units.length,
			sectionCount: o.units.reduce((n, u) => n + u.sections.length, 0)
		}))
	};
};

export const actions: Actions = {
	createManual: async ({ locals, request }) => {
		if (!locals.user || !policies.manageManuals(locals.user)) error(403, '只有纪检监察部门和系统管理员可以新建手册。');
		const f = await formOf(request);
		const parsed = NewManualInput.safeParse({ title: String(f.get('title') ?? ''), edition: String(f.get('edition') ?? '') });
		if (!parsed.success) return fail(400, { error: parsed.error.issues[0]?.message ?? '输入无效。', title: String(f.get('title') ?? '') });
		const { id } = await locals.services.manuals.create(parsed.data);
		redirect(303, `/manuals/${id}`);
	}
};
