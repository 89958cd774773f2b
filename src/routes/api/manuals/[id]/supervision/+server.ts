import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { supervision } from '#server/improvement/cases.ts';

/** 电子监察 overview: cases and cards by unit, item, step and post. */
export const GET = api(async (event) => {
	requireAllowed(event, policies.viewImprovement);
	return json(await supervision(event.locals.services, event.params.id!));
});
