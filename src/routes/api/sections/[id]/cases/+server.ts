import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed, requireUser } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { caseView, NewCaseInput, openCase } from '#server/improvement/cases.ts';

/** The section's licensing cases, newest first. */
export const GET = api(async (event) => {
	requireAllowed(event, policies.viewImprovement);
	const s = event.locals.services;
	const section = await s.sections.get(event.params.id!);
	const rows = await s.db.selectFrom('cases').selectAll().where('section_id', '=', section.id).orderBy('created_at', 'desc').execute();
	const out = [];
	for (const c of rows) out.push(await caseView(s, c));
	return json(out);
});

/** Registers a licensing case (电子监察); it starts at the flowchart's start step. */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, NewCaseInput);
	return json(await openCase(event.locals.services, user, event.params.id!, input), { status: 201 });
});
