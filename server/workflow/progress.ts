import type { Services } from '../services.ts';
import { SECTION_STATES, type Phase, type SectionState } from '../db/schema.ts';
import { riskRowsOf } from '../../collab/schema/extract.ts';
import { RISK_CELLS } from '../../collab/schema/risk-table.ts';

/** Where each unit stands: sections by state, risks by level, open comments, and what is late. */

export type UnitProgress = {
	id: string;
	name: string;
	states: Record<SectionState, number>;
	risks: { high: number; medium: number; low: number; ungraded: number };
	openComments: number;
	/** Sections behind the current phase's deadline. */
	late: { id: string; title: string; state: SectionState }[];
	hasApproval: boolean;
};

/** Sections that still owe something in this phase. */
const OWING: Record<Phase, SectionState[]> = {
	self_check: ['draft', 'returned'],
	assessment: ['draft', 'submitted', 'returned'],
	improvement: ['draft', 'submitted', 'returned']
};

export function deadlinePassed(deadlines: Record<string, string>, phase: Phase, now = Date.now()): boolean {
	const d = deadlines[phase];
	// A deadline day ends at midnight Beijing time.
	return !!d && now > Date.parse(`${d}T23:59:59+08:00`);
}

export function parseDeadlines(raw: string | null | undefined): Partial<Record<Phase, string>> {
	try {
		const v = JSON.parse(raw ?? '{}');
		return v && typeof v === 'object' ? v : {};
	} catch {
		return {};
	}
}

export async function manualProgress(s: Services, manualId: string): Promise<{ units: UnitProgress[] }> {
	const manual = await s.manuals.get(manualId);
	const outline = await s.manuals.outline(manualId);
	const late = deadlinePassed(parseDeadlines(manual.deadlines), manual.phase);
	const open = await s.db
		.selectFrom('comment_threads')
		.innerJoin('sections', 'sections.id', 'comment_threads.section_id')
		.select(['sections.unit_id as unitId', (eb) => eb.fn.countAll<number>().as('n')])
		.where('sections.manual_id', '=', manualId)
		.where('sections.deleted_at', 'is', null)
		.where('comment_threads.resolved_at', 'is', null)
		.groupBy('sections.unit_id')
		.execute();
	const approved = await s.db.selectFrom('approvals').select('unit_id').where('manual_id', '=', manualId).execute();
	const units: UnitProgress[] = [];
	for (const u of outline.units) {
		const states = Object.fromEntries(SECTION_STATES.map((st) => [st, 0])) as Record<SectionState, number>;
		const risks = { high: 0, medium: 0, low: 0, ungraded: 0 };
		for (const sec of u.sections) {
			states[sec.state]++;
			const { content } = await s.sections.content(sec);
			for (const r of riskRowsOf(content)) {
				if (RISK_CELLS.every((c) => !r.cells[c.key]?.trim())) continue;
				risks[r.level ?? 'ungraded']++;
			}
		}
		units.push({
			id: u.id,
			name: u.name,
			states,
			risks,
			openComments: Number(open.find((o) => o.unitId === u.id)?.n ?? 0),
			late: late ? u.sections.filter((sec) => OWING[manual.phase].includes(sec.state)).map(({ id, title, state }) => ({ id, title, state })) : [],
			hasApproval: approved.some((a) => a.unit_id === u.id)
		});
	}
	return { units };
}
