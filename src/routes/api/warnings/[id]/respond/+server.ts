import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { respondWarning, RespondInput } from '#server/improvement/warnings.ts';

/** The unit leader's written answer. */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, RespondInput);
	return json(await respondWarning(event.locals.services, user, event.params.id!, input), { status: 201 });
});
