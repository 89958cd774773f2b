import type { Services } from '../services.ts';
import { STATE_LABEL } from '../workflow/states.ts';
import { latestEdition } from './read.ts';

/**
 * Whether a manual can be published now, and what the publish dialog should point out: sections
 * not yet accepted (these block), units without a 集体审定 record and a missing 党组 decision in
 * this cycle (these the coordinator should see before compiling the book).
 */
export async function publishReadiness(s: Services, manualId: string) {
	const outline = await s.manuals.outline(manualId);
	const last = await latestEdition(s.db, manualId);
	const since = Number(last?.published_at ?? 0);
	const approved = new Set(
		(await s.db.selectFrom('approvals').select(['unit_id', 'at']).where('manual_id', '=', manualId).execute()).filter((a) => Number(a.at) > since).map((a) => a.unit_id)
	);
	const decided = (await s.db.selectFrom('decisions').select('at').where('manual_id', '=', manualId).execute()).some((d) => Number(d.at) > since);
	const sections = outline.units.flatMap((u) => u.sections.map((sec) => ({ id: sec.id, title: sec.title, unit: u.name, state: sec.state, stateLabel: STATE_LABEL[sec.state] })));
	const notReady = sections.filter((sec) => sec.state !== 'accepted');
	const revising = !!last && sections.some((sec) => sec.state !== 'published');
	return {
		ready: sections.length > 0 && notReady.length === 0,
		sections: sections.length,
		notReady,
		unitsWithoutApproval: outline.units.filter((u) => u.sections.length && !approved.has(u.id)).map((u) => ({ id: u.id, name: u.name })),
		decisionRecorded: decided,
		nextNumber: Number(last?.number ?? 0) + 1,
		/** A revision may be opened when the latest edition stands and nothing is under revision. */
		canOpenRevision: !!last && !revising && sections.some((sec) => sec.state === 'published')
	};
}
