import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { disposeWarning, DisposeInput } from '#server/improvement/warnings.ts';

/** Move to a disposal stage with a date for the unit's answer (coordinator). */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, DisposeInput);
	return json(await disposeWarning(event.locals.services, user, event.params.id!, input), { status: 200 });
});
