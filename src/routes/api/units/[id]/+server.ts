import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { UnitInput } from '#server/services/units.ts';

export const PATCH = api(async (event) => {
	requireAllowed(event, policies.manageUnits);
	const { name } = await readBody(event.request, UnitInput);
	await event.locals.services.units.rename(event.params.id!, name);
	return json({ ok: true });
});

export const DELETE = api(async (event) => {
	requireAllowed(event, policies.manageUnits);
	await event.locals.services.units.remove(event.params.id!);
	return new Response(null, { status: 204 });
});
