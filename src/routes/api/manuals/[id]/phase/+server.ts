import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { PhaseInput } from '#server/workflow/inputs.ts';
import { setPhase } from '#server/commands/manual-phase.ts';

/** Opens a phase of the campaign (coordinator, admin). */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const { phase } = await readBody(event.request, PhaseInput);
	return json(await setPhase(event.locals.services, user, event.params.id!, phase));
});
