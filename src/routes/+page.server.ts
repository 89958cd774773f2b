import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const manuals = await locals.services.manuals.list();
	const outlines = await Promise.all(manuals.map((mm) => locals.services.manuals.outline(mm.id)));
	return {
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
