/**
 * API shapes, one function per resource. Routes and pages return what these build, so a
 * resource looks the same wherever it appears (DESIGN.md §3 fixes several of them).
 */
import type { Section } from '../db/schema.ts';
import type { HistoryRow } from '../workflow/history.ts';
import type { Placement, ReplyRow, ThreadRow } from '../comments/threads.ts';
import type { gradesOf } from '../commands/grade-risk.ts';
import type { manualRecords } from '../commands/records.ts';
import type { listNotifications } from '../inbox/notifications.ts';

import type { Phase } from '../db/schema.ts';
import { policies, SECTION_ACTIONS, sectionPermissions, type Refusal, type SectionAction } from '../policies/index.ts';
import { readOnlyReason, refusalMessage } from '../policies/refuse.ts';

type Person = { userId: string; username: string; displayName: string };

/**
 * What one person may do with one section and, where not, why (code and Chinese words), so
 * the section page shows only the actions allowed and the reasons, never deciding by role.
 */
export function presentSectionAccess(
	actor: Parameters<typeof sectionPermissions>[0],
	section: Pick<Section, 'unit_id' | 'state'>,
	manual: { phase: Phase }
) {
	const decisions = sectionPermissions(actor, section, manual);
	const can = {} as Record<SectionAction, boolean>;
	const refused: Partial<Record<SectionAction, Refusal>> = {};
	const why: Partial<Record<SectionAction, string>> = {};
	for (const action of SECTION_ACTIONS) {
		const d = decisions[action];
		can[action] = d.allowed;
		if (!d.allowed) {
			refused[action] = d.reason;
			why[action] = refusalMessage(action, d.reason, section.state, manual.phase);
		}
	}
	return { can, refused, why, readOnly: readOnlyReason(decisions.write, section.state, manual.phase), selfReview: policies.selfReview(actor, section) };
}
export type SectionAccess = ReturnType<typeof presentSectionAccess>;

export const presentUserRef = (p: Person) => ({ id: p.userId, username: p.username, displayName: p.displayName });

export const presentSection = (s: Pick<Section, 'id' | 'title' | 'doc' | 'state'>) => ({ id: s.id, title: s.title, doc: s.doc, state: s.state });

function parseData(raw: string): Record<string, unknown> {
	try {
		const v = JSON.parse(raw);
		return v && typeof v === 'object' ? v : {};
	} catch {
		return {};
	}
}

export const presentHistoryEntry = (e: HistoryRow) => ({
	action: e.action,
	from: e.from_state,
	to: e.to_state,
	note: e.note,
	by: presentUserRef(e),
	at: Number(e.at),
	data: parseData(e.data)
});

type AuthorCols = { authorId: string; authorUsername: string; authorName: string; authorRole: string };
const presentAuthor = (a: AuthorCols) => ({ id: a.authorId, username: a.authorUsername, displayName: a.authorName, role: a.authorRole });

export function presentThread(t: ThreadRow, replies: ReplyRow[], placed: Placement | undefined) {
	return {
		id: t.id,
		anchor: placed?.anchor ?? { type: 'section' as const },
		quote: placed?.quote ?? t.quote,
		detached: placed?.detached ?? false,
		body: t.body,
		author: presentAuthor(t),
		createdAt: Number(t.createdAt),
		resolved: t.resolvedAt !== null,
		replies: replies.map((r) => ({ id: r.id, body: r.body, author: presentAuthor(r), createdAt: Number(r.createdAt) }))
	};
}
export type ThreadView = ReturnType<typeof presentThread>;

type GradeRow = Awaited<ReturnType<typeof gradesOf>>[number];
export const presentGrade = (g: GradeRow) => ({
	rowId: g.rowId,
	level: g.level,
	previousLevel: g.previousLevel,
	reason: g.reason,
	by: { ...presentUserRef(g), role: g.role },
	at: Number(g.at)
});

type Records = Awaited<ReturnType<typeof manualRecords>>;
export const presentApproval = (a: Records['approvals'][number]) => ({
	id: a.id,
	unitId: a.unitId,
	unitName: a.unitName,
	meetingDate: a.meetingDate,
	attendees: parseList(a.attendees),
	decision: a.decision,
	attachment: a.attachment,
	by: presentUserRef(a),
	at: Number(a.at)
});
export const presentDecision = (d: Records['decisions'][number]) => ({
	id: d.id,
	meetingDate: d.meetingDate,
	decision: d.decision,
	by: presentUserRef(d),
	at: Number(d.at)
});

function parseList(raw: string): string[] {
	try {
		const v = JSON.parse(raw);
		return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
	} catch {
		return [];
	}
}

type NotificationRow = Awaited<ReturnType<typeof listNotifications>>[number];
export const presentNotification = (n: NotificationRow) => ({
	id: n.id,
	kind: n.kind,
	text: n.text,
	manualId: n.manualId,
	sectionId: n.sectionId,
	ref: n.ref,
	actorName: n.actorName,
	createdAt: Number(n.createdAt),
	read: n.readAt !== null
});

import type { EditionSnapshot } from '../editions/snapshot.ts';
import type { EditionsTable } from '../db/schema.ts';

type EditionRow = Pick<EditionsTable, 'id' | 'manual_id' | 'number' | 'hash' | 'note' | 'published_at'>;

export const presentEditionSummary = (e: EditionRow, publishedBy: { id: string; username: string; displayName: string }) => ({
	id: e.id,
	number: Number(e.number),
	hash: e.hash,
	note: e.note,
	publishedAt: Number(e.published_at),
	publishedBy
});

/** An edition as DESIGN.md §3.2 gives it, built only from the stored snapshot, so it reads the same forever. */
export const presentEdition = (e: EditionRow, snap: EditionSnapshot) => ({
	id: e.id,
	manualId: e.manual_id,
	number: Number(e.number),
	hash: e.hash,
	publishedAt: snap.publishedAt,
	publishedBy: snap.publishedBy,
	note: snap.note,
	prevHash: snap.prevHash,
	manual: snap.manual,
	sections: snap.units.flatMap((u) => u.sections.map((s) => ({ id: s.id, unit: u.name, unitId: u.id, title: s.title, content: s.content, flowcharts: s.flowcharts }))),
	records: snap.records
});
