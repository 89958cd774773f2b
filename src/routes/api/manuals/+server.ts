import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';

export const GET = api(async (event) => {
	requireAllowed(event, policies.listManuals);
	return json(await event.locals.services.manuals.list());
});
