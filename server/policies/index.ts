import type { Manual, Phase, Role, Section, SectionState } from '../db/schema.ts';
import type { SessionUser } from '../auth/sessions.ts';

/**
 * Every permission decision in one place. Routes, the collaboration server and the UI ask
 * these functions; none of them re-derives a rule. Each returns a plain boolean so callers
 * decide how to refuse (403 JSON, read-only connection, a disabled button).
 */

type Actor = Pick<SessionUser, 'id' | 'role' | 'unitIds'>;
type SectionRef = Pick<Section, 'unit_id' | 'state'>;
type ManualRef = Pick<Manual, 'phase'>;

const WRITING_PHASES: readonly Phase[] = ['self_check', 'assessment', 'improvement'];
/** States in which the owning unit holds the pen; submitted/accepted/published are locked. */
const UNIT_WRITABLE_STATES: readonly SectionState[] = ['draft', 'returned'];
const UNIT_ROLES: readonly Role[] = ['editor', 'leader'];

export const policies = {
	manageUsers: (actor: Actor) => actor.role === 'admin',
	/** Units, manuals and the sections in them: the campaign's organiser and IT. */
	manageUnits: (actor: Actor) => actor.role === 'admin' || actor.role === 'coordinator',
	manageManuals: (actor: Actor) => actor.role === 'admin' || actor.role === 'coordinator',

	/** Everyone signed in sees the list of manuals; readers see only published content inside them. */
	listManuals: (_actor: Actor) => true,

	readSection(actor: Actor, section: SectionRef): boolean {
		if (actor.role === 'reader') return section.state === 'published';
		return true;
	},

	/** Writing the section's text: the unit's own editors and leader, while phase and state allow. */
	editSection(actor: Actor, section: SectionRef, manual: ManualRef): boolean {
		return (
			UNIT_ROLES.includes(actor.role) &&
			actor.unitIds.includes(section.unit_id) &&
			WRITING_PHASES.includes(manual.phase) &&
			UNIT_WRITABLE_STATES.includes(section.state)
		);
	}
};

export type Policies = typeof policies;
