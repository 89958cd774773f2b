import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { GradeInput } from '#server/workflow/inputs.ts';
import { gradeRisk } from '#server/commands/grade-risk.ts';

/** An expert's (or the coordinator's) grade of one risk, written into the live document. */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, GradeInput);
	return json(await gradeRisk(event.locals.services, user, event.params.id!, event.params.rowId!, input));
});
