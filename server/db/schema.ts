import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Table shapes as stored. Timestamps are epoch milliseconds; booleans are 0/1. */
export interface Database {
	users: UsersTable;
	sessions: SessionsTable;
	units: UnitsTable;
	unit_members: UnitMembersTable;
	manuals: ManualsTable;
	manual_units: ManualUnitsTable;
	sections: SectionsTable;
	doc_snapshots: DocSnapshotsTable;
	doc_updates: DocUpdatesTable;
	section_events: SectionEventsTable;
	comment_threads: CommentThreadsTable;
	comment_replies: CommentRepliesTable;
	risk_grades: RiskGradesTable;
	approvals: ApprovalsTable;
	decisions: DecisionsTable;
	notifications: NotificationsTable;
	editions: EditionsTable;
	measures: MeasuresTable;
	measure_updates: MeasureUpdatesTable;
	warnings: WarningsTable;
	warning_events: WarningEventsTable;
	cases: CasesTable;
	case_steps: CaseStepsTable;
	settings: SettingsTable;
	edition_pictures: EditionPicturesTable;
}

export const ROLES = ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party', 'reader'] as const;
export type Role = (typeof ROLES)[number];

export const PHASES = ['self_check', 'assessment', 'improvement'] as const;
export type Phase = (typeof PHASES)[number];

export const SECTION_STATES = ['draft', 'submitted', 'returned', 'accepted', 'published'] as const;
export type SectionState = (typeof SECTION_STATES)[number];

export interface UsersTable {
	id: string;
	username: string;
	display_name: string;
	password_hash: string;
	role: Role;
	disabled: number;
	created_at: number;
}

export interface SessionsTable {
	/** SHA-256 of the token, hex: a leaked database cannot be replayed as sessions. */
	id: string;
	user_id: string;
	expires_at: number;
}

export interface UnitsTable {
	id: string;
	name: string;
	position: number;
	created_at: number;
}

export interface UnitMembersTable {
	unit_id: string;
	user_id: string;
}

export interface ManualsTable {
	id: string;
	title: string;
	edition: string;
	phase: Phase;
	is_sample: number;
	created_at: number;
	/** JSON object phase → YYYY-MM-DD (the plan's deadlines for this manual). */
	deadlines: Generated<string>;
	phase_changed_at: number | null;
}

export interface ManualUnitsTable {
	manual_id: string;
	unit_id: string;
	position: number;
}

export interface SectionsTable {
	id: string;
	manual_id: string;
	unit_id: string;
	title: string;
	position: number;
	state: SectionState;
	/** Name of the section's Y.Doc on /collab: `section:<id>`. */
	doc: string;
	deleted_at: number | null;
	created_at: number;
	/** The last published edition this section appeared in (what readers read), or null. */
	edition_id: Generated<string | null>;
}

export interface DocSnapshotsTable {
	doc: string;
	state: Uint8Array;
	/** Highest doc_updates.id folded into `state`; a lower id committed later may still be in the log. */
	through_id: number;
	updated_at: number;
}

export interface DocUpdatesTable {
	id: Generated<number>;
	doc: string;
	data: Uint8Array;
	created_at: number;
}

/** One entry of a section's timeline: a transition, a grade, a comment event. */
export interface SectionEventsTable {
	id: string;
	section_id: string;
	action: string;
	from_state: SectionState | null;
	to_state: SectionState | null;
	note: string | null;
	/** JSON object with the event's extra facts. */
	data: string;
	user_id: string;
	at: number;
	/** Order within the section (ties in `at` happen). */
	seq: number;
}

export interface CommentThreadsTable {
	id: string;
	section_id: string;
	/** JSON, see collab/schema/anchors.ts. */
	anchor: string;
	quote: string;
	body: string;
	author_id: string;
	created_at: number;
	resolved_at: number | null;
	resolved_by: string | null;
}

export interface CommentRepliesTable {
	id: string;
	thread_id: string;
	body: string;
	author_id: string;
	created_at: number;
}

export interface RiskGradesTable {
	id: string;
	section_id: string;
	row_id: string;
	level: string;
	previous_level: string | null;
	reason: string;
	user_id: string;
	at: number;
}

export interface ApprovalsTable {
	id: string;
	manual_id: string;
	unit_id: string;
	meeting_date: string;
	/** JSON array of names. */
	attendees: string;
	decision: string;
	attachment: string | null;
	user_id: string;
	at: number;
}

export interface DecisionsTable {
	id: string;
	manual_id: string;
	meeting_date: string;
	decision: string;
	user_id: string;
	at: number;
}

export interface NotificationsTable {
	id: string;
	user_id: string;
	kind: string;
	manual_id: string | null;
	section_id: string | null;
	ref: string | null;
	text: string;
	actor_id: string | null;
	created_at: number;
	read_at: number | null;
}

export interface EditionsTable {
	id: string;
	manual_id: string;
	number: number;
	hash: string;
	prev_hash: string | null;
	/** Canonical JSON of an EditionSnapshot (server/editions/snapshot.ts); the hash is over these bytes. */
	snapshot: string;
	note: string;
	published_at: number;
	published_by: string;
}

/** A risk row's measures as a tracked item (落实防控措施). */
export interface MeasuresTable {
	id: string;
	manual_id: string;
	section_id: string;
	row_id: string;
	created_at: number;
}

export const MEASURE_STATUSES = ['pending', 'in_progress', 'done'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

export interface MeasureUpdatesTable {
	id: string;
	measure_id: string;
	status: MeasureStatus;
	note: string;
	attachment: string | null;
	user_id: string;
	at: number;
}

/** 风险预警: the disposal ladder, in order. */
export const WARNING_STAGES = ['notice', 'talk', 'rectify', 'closed'] as const;
export type WarningStage = (typeof WARNING_STAGES)[number];

export interface WarningsTable {
	id: string;
	manual_id: string;
	section_id: string;
	row_id: string | null;
	case_id: string | null;
	source: string;
	subject: string;
	description: string;
	stage: WarningStage;
	due_at: number | null;
	escalated_due: number | null;
	escalated: number;
	responded_at: number | null;
	created_by: string;
	created_at: number;
	closed_at: number | null;
}

export interface WarningEventsTable {
	id: string;
	warning_id: string;
	kind: 'raise' | 'dispose' | 'respond' | 'escalate' | 'close';
	stage: WarningStage;
	text: string;
	due_at: number | null;
	user_id: string | null;
	at: number;
	seq: number;
}

/** A licensing case followed through a section's flowchart (电子监察). */
export interface CasesTable {
	id: string;
	manual_id: string;
	section_id: string;
	flowchart_id: string;
	applicant: string;
	received_at: number;
	/** The step the case is at; null once it has passed the end step. */
	current_step: string | null;
	/** When the current step began (epoch ms). */
	current_since: number;
	created_by: string;
	created_at: number;
	closed_at: number | null;
}

export interface CaseStepsTable {
	id: string;
	case_id: string;
	step_id: string;
	started_at: number;
	done_at: number;
	user_id: string;
	at: number;
}

export interface SettingsTable {
	key: string;
	/** JSON. */
	value: string;
	updated_at: number;
}

export interface EditionPicturesTable {
	key: string;
	png: Uint8Array;
	width: number;
	height: number;
	display_width: number;
	display_height: number;
	created_at: number;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Unit = Selectable<UnitsTable>;
export type Manual = Selectable<ManualsTable>;
export type Section = Selectable<SectionsTable>;
