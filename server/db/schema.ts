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
}

export interface DocSnapshotsTable {
	doc: string;
	state: Uint8Array;
	/** Highest doc_updates.id folded into `state`. */
	through_id: number;
	updated_at: number;
}

export interface DocUpdatesTable {
	id: Generated<number>;
	doc: string;
	data: Uint8Array;
	created_at: number;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Unit = Selectable<UnitsTable>;
export type Manual = Selectable<ManualsTable>;
export type Section = Selectable<SectionsTable>;
