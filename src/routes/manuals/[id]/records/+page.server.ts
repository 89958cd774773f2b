import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { manualRecords } from '#server/commands/records.ts';
import { presentApproval, presentDecision } from '#server/presenters/index.ts';
import { manualDependency } from '#lib/review/dependencies.ts';

/** 集体审定 per unit and 党组研究 for the manual, with the forms this person may fill in. */
export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends(manualDependency(params.id));
	const user = locals.user!;
	if (!policies.viewRecords(user)) error(403, '您暂无权查看审定记录。');
	const outline = await locals.services.manuals.outline(params.id);
	const records = await manualRecords(locals.services, params.id);
	return {
		units: outline.units.map((u) => ({ id: u.id, name: u.name, canRecord: policies.recordApproval(user, u.id) })),
		approvals: records.approvals.map(presentApproval),
		decisions: records.decisions.map(presentDecision),
		canDecide: policies.recordDecision(user)
	};
};
