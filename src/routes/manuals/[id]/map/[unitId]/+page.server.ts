import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { sectionRiskMap } from '#server/services/risk-map.ts';
import { riskStatuses } from '#server/improvement/risk-status.ts';

export const load: PageServerLoad = async ({ locals, params, parent }) => {
	const { manual } = await parent();
	const unit = manual.units.find((u) => u.id === params.unitId);
	if (!unit) error(404, '该单位不在本手册中。');
	const { sections } = locals.services;
	const maps = [];
	for (const s of unit.sections) {
		const section = await sections.get(s.id);
		if (policies.readSection(locals.user!, section)) maps.push(await sectionRiskMap(sections, section));
	}
	// In daily supervision the map also says how each risk point is being handled.
	const statuses = policies.viewImprovement(locals.user!) && manual.phase === 'improvement' ? await riskStatuses(locals.services, manual.id) : null;
	return { unit: { id: unit.id, name: unit.name }, maps, statuses };
};
