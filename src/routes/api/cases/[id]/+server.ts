import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { getCase } from '#server/improvement/cases.ts';

export const GET = api(async (event) => {
	requireAllowed(event, policies.viewImprovement);
	return json(await getCase(event.locals.services, event.params.id!));
});
