import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { manualRecords } from '#server/commands/records.ts';
import { presentApproval, presentDecision } from '#server/presenters/index.ts';

export const GET = api(async (event) => {
	requireAllowed(event, policies.viewRecords);
	const { services } = event.locals;
	await services.manuals.get(event.params.id!);
	const r = await manualRecords(services, event.params.id!);
	return json({ approvals: r.approvals.map(presentApproval), decisions: r.decisions.map(presentDecision) });
});
