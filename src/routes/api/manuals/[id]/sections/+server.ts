import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { NewSectionInput } from '#server/services/sections.ts';

/** A new section (power item) in one of the manual's units, from the section template. */
export const POST = api(async (event) => {
	requireAllowed(event, policies.manageManuals);
	const body = await readBody(event.request, NewSectionInput);
	const { services } = event.locals;
	await services.manuals.get(event.params.id!);
	const s = await services.sections.createFromTemplate(event.params.id!, body);
	return json({ id: s.id, title: s.title, doc: s.doc, state: s.state }, { status: 201 });
});
