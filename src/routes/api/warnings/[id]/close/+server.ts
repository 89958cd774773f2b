import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { closeWarning, CloseInput } from '#server/improvement/warnings.ts';

/** Close the warning with a note (coordinator). */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, CloseInput);
	return json(await closeWarning(event.locals.services, user, event.params.id!, input), { status: 200 });
});
