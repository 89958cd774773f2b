import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { NewUserInput } from '#server/services/users.ts';

export const GET = api(async (event) => {
	requireAllowed(event, policies.manageUsers);
	return json(await event.locals.services.users.list());
});

export const POST = api(async (event) => {
	requireAllowed(event, policies.manageUsers);
	const body = await readBody(event.request, NewUserInput);
	const { id } = await event.locals.services.users.create(body);
	return json({ id }, { status: 201 });
});
