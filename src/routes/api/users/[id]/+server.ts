import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { UserPatchInput } from '#server/services/users.ts';
import { changeUser } from '#server/services/user-admin.ts';

export const GET = api(async (event) => {
	requireAllowed(event, policies.manageUsers);
	return json(await event.locals.services.users.get(event.params.id!));
});

export const PATCH = api(async (event) => {
	const actor = requireAllowed(event, policies.manageUsers);
	const patch = await readBody(event.request, UserPatchInput);
	return json(await changeUser(event.locals.services, actor.id, event.params.id!, patch));
});
