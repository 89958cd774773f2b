import type { Services } from '../services.ts';
import { listMeasures } from './measures.ts';
import { supervision } from './cases.ts';

/** Per unit, how daily supervision stands: measures done / in progress / overdue, open warnings, open cases and their cards. */
export type UnitImprovement = { measures: { total: number; done: number; inProgress: number; overdue: number }; warnings: number; cases: number; yellow: number; red: number };

export async function improvementByUnit(s: Services, manualId: string): Promise<Record<string, UnitImprovement>> {
	const out: Record<string, UnitImprovement> = {};
	const of = (unitId: string) => (out[unitId] ??= { measures: { total: 0, done: 0, inProgress: 0, overdue: 0 }, warnings: 0, cases: 0, yellow: 0, red: 0 });
	for (const m of await listMeasures(s, manualId)) {
		const u = of(m.unitId).measures;
		u.total++;
		if (m.status === 'done') u.done++;
		if (m.status === 'in_progress') u.inProgress++;
		if (m.overdue) u.overdue++;
	}
	const open = await s.db
		.selectFrom('warnings')
		.innerJoin('sections', 'sections.id', 'warnings.section_id')
		.select('sections.unit_id')
		.where('warnings.manual_id', '=', manualId)
		.where('warnings.stage', '!=', 'closed')
		.execute();
	for (const w of open) of(w.unit_id).warnings++;
	for (const u of (await supervision(s, manualId)).units) Object.assign(of(u.id), { cases: u.open, yellow: u.yellow, red: u.red });
	return out;
}
