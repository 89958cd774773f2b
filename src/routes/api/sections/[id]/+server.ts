import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { readableSection } from '#lib/server/sections.ts';
import { presentSection } from '#server/presenters/index.ts';
import { editionContent } from '#server/editions/read.ts';
import { deleteSection, SectionPatchInput } from '#server/services/sections.ts';

/** The section now; for readers, as its last published edition has it. */
export const GET = api(async (event) => {
	const { user, section } = await readableSection(event, event.params.id!);
	const s = event.locals.services;
	const content = policies.readsEdition(user) ? await editionContent(s.db, section) : await s.sections.content(section);
	return json({ ...presentSection(section), ...content });
});

/** Rename (`title`) or reorder within the unit (`move`: up/down). */
export const PATCH = api(async (event) => {
	requireAllowed(event, policies.manageManuals);
	const patch = await readBody(event.request, SectionPatchInput);
	const { sections } = event.locals.services;
	if (patch.title) await sections.rename(event.params.id!, patch.title);
	if (patch.move) await sections.move(event.params.id!, patch.move);
	const s = await sections.get(event.params.id!);
	return json(presentSection(s));
});

/** Moves the section to the recycle bin and closes its live connections. */
export const DELETE = api(async (event) => {
	requireAllowed(event, policies.manageManuals);
	await deleteSection(event.locals.services, event.params.id!);
	return new Response(null, { status: 204 });
});
