import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed, requireUser } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { DeadlinesInput } from '#server/workflow/inputs.ts';
import { setDeadlines } from '#server/commands/manual-phase.ts';
import { presentSection } from '#server/presenters/index.ts';

export const GET = api(async (event) => {
	const user = requireAllowed(event, policies.listManuals);
	const outline = await event.locals.services.manuals.outline(event.params.id!);
	const units = outline.units.map((u) => ({
		id: u.id,
		name: u.name,
		sections: u.sections.filter((s) => policies.readSection(user, { unit_id: u.id, state: s.state, edition_id: s.editionId })).map(presentSection)
	}));
	return json({ id: outline.id, title: outline.title, phase: outline.phase, units });
});

/** The plan's deadlines for this manual (coordinator, admin). */
export const PATCH = api(async (event) => {
	const user = requireUser(event);
	const { deadlines } = await readBody(event.request, DeadlinesInput);
	const saved = await setDeadlines(event.locals.services, user, event.params.id!, deadlines);
	return json({ id: event.params.id, deadlines: saved });
});
