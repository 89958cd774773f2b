import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';

/** Deleted sections of the manual, newest first; each can be restored. */
export const GET = api(async (event) => {
	requireAllowed(event, policies.manageManuals);
	await event.locals.services.manuals.get(event.params.id!);
	return json(await event.locals.services.sections.deleted(event.params.id!));
});
