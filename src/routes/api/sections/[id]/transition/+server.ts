import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { TransitionInput } from '#server/workflow/inputs.ts';
import { transitionSection } from '#server/commands/transition-section.ts';

/** 报送 / 退回 / 通过 (DESIGN.md §3.1). */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, TransitionInput);
	return json(await transitionSection(event.locals.services, user, event.params.id!, input));
});
