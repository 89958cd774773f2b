import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';

export const POST = api(async (event) => {
	requireAllowed(event, policies.manageManuals);
	await event.locals.services.sections.restore(event.params.id!);
	return json({ ok: true });
});
