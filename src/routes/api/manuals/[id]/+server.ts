import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';

export const GET = api(async (event) => {
	const user = requireAllowed(event, policies.listManuals);
	const outline = await event.locals.services.manuals.outline(event.params.id!);
	const units = outline.units.map((u) => ({
		id: u.id,
		name: u.name,
		sections: u.sections.filter((s) => policies.readSection(user, { unit_id: u.id, state: s.state }))
	}));
	return json({ id: outline.id, title: outline.title, phase: outline.phase, units });
});
