import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { NewManualInput } from '#server/services/manuals.ts';

export const GET = api(async (event) => {
	requireAllowed(event, policies.listManuals);
	return json(await event.locals.services.manuals.list());
});

export const POST = api(async (event) => {
	requireAllowed(event, policies.manageManuals);
	const body = await readBody(event.request, NewManualInput);
	return json(await event.locals.services.manuals.create(body), { status: 201 });
});
