import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { listMeasures } from '#server/improvement/measures.ts';

/** 落实防控措施: one tracked item per risk row, with its reports and whether it is overdue. */
export const GET = api(async (event) => {
	requireAllowed(event, policies.viewImprovement);
	return json(await listMeasures(event.locals.services, event.params.id!));
});
