import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { NewSectionInput } from '#server/services/sections.ts';
import { presentSection } from '#server/presenters/index.ts';

/** A new section (power item) in one of the manual's units, from the section template. */
export const POST = api(async (event) => {
	requireAllowed(event, policies.manageManuals);
	const body = await readBody(event.request, NewSectionInput);
	const { services } = event.locals;
	await services.manuals.get(event.params.id!);
	const s = await services.sections.createFromTemplate(event.params.id!, body);
	return json(presentSection(s), { status: 201 });
});
