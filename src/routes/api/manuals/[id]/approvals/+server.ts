import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { ApprovalInput } from '#server/workflow/inputs.ts';
import { recordApproval } from '#server/commands/records.ts';

/** 集体审定 of one unit, recorded by its leader. */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, ApprovalInput);
	return json(await recordApproval(event.locals.services, user, event.params.id!, input), { status: 201 });
});
