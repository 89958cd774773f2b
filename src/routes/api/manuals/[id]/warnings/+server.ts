import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed, requireUser } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { listWarnings, raiseWarning, RaiseInput } from '#server/improvement/warnings.ts';

/** 风险预警 register of a manual, newest first, each with its full history. */
export const GET = api(async (event) => {
	requireAllowed(event, policies.viewImprovement);
	return json(await listWarnings(event.locals.services, event.params.id!));
});

/** Raise a warning (coordinator): it starts at 风险提示. */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, RaiseInput);
	return json(await raiseWarning(event.locals.services, user, event.params.id!, input), { status: 201 });
});
