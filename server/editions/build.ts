import type { Services } from '../services.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { EditionSnapshot } from './snapshot.ts';
import { manualRecords } from '../commands/records.ts';
import { presentApproval, presentDecision } from '../presenters/index.ts';

/**
 * Collects what an edition freezes: every live section's text and flowcharts (from the live
 * documents when loaded, else storage), the units in manual order, and the two records.
 */
export async function buildSnapshot(
	s: Services,
	actor: SessionUser,
	manualId: string,
	meta: { number: number; prevHash: string | null; note: string; publishedAt: number; /** Records of this cycle only: after the previous edition. */ since: number }
): Promise<EditionSnapshot> {
	const manual = await s.manuals.get(manualId);
	const outline = await s.manuals.outline(manualId);
	const units: EditionSnapshot['units'] = [];
	for (const u of outline.units) {
		const sections: EditionSnapshot['units'][number]['sections'] = [];
		for (const sec of u.sections) {
			const { content, flowcharts } = await s.sections.content(sec);
			sections.push({ id: sec.id, title: sec.title, content, flowcharts });
		}
		if (sections.length) units.push({ id: u.id, name: u.name, sections });
	}
	const all = await manualRecords(s, manualId);
	const records = { approvals: all.approvals.filter((a) => Number(a.at) > meta.since), decisions: all.decisions.filter((d) => Number(d.at) > meta.since) };
	const who = (p: { by: { id: string; username: string; displayName: string }; at: number }) => ({ recordedBy: p.by, recordedAt: p.at });
	return {
		manual: { id: manual.id, title: manual.title, edition: manual.edition },
		number: meta.number,
		publishedAt: meta.publishedAt,
		publishedBy: { id: actor.id, username: actor.username, displayName: actor.displayName },
		note: meta.note,
		prevHash: meta.prevHash,
		units,
		records: {
			approvals: records.approvals.map(presentApproval).map((a) => ({
				id: a.id,
				unitId: a.unitId,
				unitName: a.unitName,
				meetingDate: a.meetingDate,
				attendees: a.attendees,
				decision: a.decision,
				attachment: a.attachment,
				...who(a)
			})),
			decisions: records.decisions.map(presentDecision).map((d) => ({ id: d.id, meetingDate: d.meetingDate, decision: d.decision, ...who(d) }))
		}
	};
}
