import type { LayoutServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';

export const load: LayoutServerLoad = async ({ locals, params }) => {
	const user = locals.user!;
	const outline = await locals.services.manuals.outline(params.id);
	return {
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
