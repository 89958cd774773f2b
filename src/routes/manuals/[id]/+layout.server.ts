import type { LayoutServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { manualDependency } from '#lib/review/dependencies.ts';
import { m } from '#lib/paraglide/messages.js';

export const load: LayoutServerLoad = async ({ locals, params, depends }) => {
	depends(manualDependency(params.id));
	const user = locals.user!;
	const outline = await locals.services.manuals.outline(params.id);
	// The manual's other views, each shown to whoever may open it.
	const tools = [
		{ href: 'cockpit', label: m.cockpit_link(), show: policies.viewProgress(user) },
		{ href: 'records', label: m.records_link(), show: policies.viewRecords(user) },
		{ href: 'editions', label: m.edition_list(), show: policies.readEditions(user) },
		{ href: 'measures', label: m.measures_title(), show: policies.viewImprovement(user) },
		{ href: 'warnings', label: m.warnings_title(), show: policies.viewImprovement(user) },
		{ href: 'supervision', label: m.supervision_title(), show: policies.viewImprovement(user) }
	].filter((t) => t.show);
	return {
		tools: tools.map(({ href, label }) => ({ href, label })),
		manual: {
			...outline,
			units: outline.units.map((u) => ({
				...u,
				sections: u.sections
					.filter((s) => policies.readSection(user, { unit_id: u.id, state: s.state, edition_id: s.editionId }))
					.map((s) => ({ ...s, editable: policies.editSection(user, { unit_id: u.id, state: s.state }, outline) }))
			}))
		}
	};
};
