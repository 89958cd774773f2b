import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed, requireUser } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { UnitInput } from '#server/services/units.ts';

export const GET = api(async (event) => {
	requireUser(event);
	return json(await event.locals.services.units.list());
});

export const POST = api(async (event) => {
	requireAllowed(event, policies.manageUnits);
	const { name } = await readBody(event.request, UnitInput);
	return json(await event.locals.services.units.create(name), { status: 201 });
});
