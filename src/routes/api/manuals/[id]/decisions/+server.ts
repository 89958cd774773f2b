import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { DecisionInput } from '#server/workflow/inputs.ts';
import { recordDecision } from '#server/commands/records.ts';

/** 党组研究: the party group's decision on the manual. */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, DecisionInput);
	return json(await recordDecision(event.locals.services, user, event.params.id!, input), { status: 201 });
});
