import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { recordStep, StepInput } from '#server/improvement/cases.ts';

/** Records that the case's current step was completed; the case moves on along the flowchart. */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, StepInput);
	return json(await recordStep(event.locals.services, user, event.params.id!, input));
});
