import type { LayoutServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { manualDependency } from '#lib/review/dependencies.ts';

export const load: LayoutServerLoad = async ({ locals, params, depends }) => {
	depends(manualDependency(params.id));
	const user = locals.user!;
	const outline = await locals.services.manuals.outline(params.id);
	return {
		manual: {
			...outline,
			units: outline.units.map((u) => ({
				...u,
				sections: u.sections
					.filter((s) => policies.readSection(user, { unit_id: u.id, state: s.state }))
					.map((s) => ({ ...s, editable: policies.editSection(user, { unit_id: u.id, state: s.state }, outline) }))
			}))
		}
	};
};
