import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { manualProgress } from '#server/workflow/progress.ts';

/** Each unit's sections by state, risks by level, open comments, and what is late. */
export const GET = api(async (event) => {
	requireAllowed(event, policies.viewProgress);
	return json(await manualProgress(event.locals.services, event.params.id!));
});
