import type { Services } from '../services.ts';
import type { MeasureStatus } from '../db/schema.ts';
import { listMeasures } from './measures.ts';
import { supervision } from './cases.ts';

/**
 * Where each risk point of a manual stands in daily supervision: its measure's status, its open
 * warnings, and the cards of cases waiting at its step — so the distribution map shows the risk
 * the manual predicted next to what is happening about it.
 */
export type RiskStatus = { measure: MeasureStatus | null; overdue: boolean; warnings: number; yellow: number; red: number };

export async function riskStatuses(s: Services, manualId: string): Promise<Record<string, RiskStatus>> {
	const out: Record<string, RiskStatus> = {};
	const at = (sectionId: string, rowId: string) => (out[`${sectionId}/${rowId}`] ??= { measure: null, overdue: false, warnings: 0, yellow: 0, red: 0 });
	for (const m of await listMeasures(s, manualId)) Object.assign(at(m.sectionId, m.rowId), { measure: m.status, overdue: m.overdue });
	const open = await s.db.selectFrom('warnings').select(['section_id', 'row_id']).where('manual_id', '=', manualId).where('stage', '!=', 'closed').where('row_id', 'is not', null).execute();
	for (const w of open) at(w.section_id, w.row_id!).warnings++;
	for (const c of (await supervision(s, manualId)).cases)
		for (const r of c.risks) {
			if (!r.rowId) continue;
			if (c.card === 'yellow') at(c.sectionId, r.rowId).yellow++;
			if (c.card === 'red') at(c.sectionId, r.rowId).red++;
		}
	return out;
}
