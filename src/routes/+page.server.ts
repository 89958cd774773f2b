import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { NewManualInput } from '#server/services/manuals.ts';
import { formOf } from '#lib/server/forms.ts';
import { latestEdition } from '#server/editions/read.ts';

export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	const manuals = await locals.services.manuals.list();
	const outlines = await Promise.all(manuals.map((mm) => locals.services.manuals.outline(mm.id)));
	const latest = await Promise.all(manuals.map((mm) => latestEdition(locals.services.db, mm.id)));
	return {
		canCreate: policies.manageManuals(user),
		manuals: outlines.map((o, i) => ({
			id: o.id,
			title: o.title,
			edition: o.edition,
			phase: o.phase,
			isSample: o.isSample,
			unitCount: o.units.length,
			// What this person can open: readers only what has been published.
			sectionCount: o.units.reduce((n, u) => n + u.sections.filter((s) => policies.readSection(user, { unit_id: u.id, state: s.state, edition_id: s.editionId })).length, 0),
			latest: latest[i] && policies.readEditions(user) ? { id: latest[i]!.id, number: Number(latest[i]!.number), publishedAt: Number(latest[i]!.published_at) } : null
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
