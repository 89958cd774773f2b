import { PHASES, SECTION_STATES, type Phase, type Role, type SectionState } from '../db/schema.ts';
import type { SessionUser } from '../auth/sessions.ts';

/**
 * Every permission decision in one place. Routes, page actions, the collaboration server and
 * the UI ask these functions; none of them re-derives a rule.
 *
 * Section actions are one table: for each action, which roles may take it, whether only in
 * their own unit's sections, in which manual phases and in which section states. A pair
 * (action, role) that is not listed is never allowed. The table answers *why* not, too, so a
 * caller can choose the refusal (403 for role and unit, 409 for state) and the UI can say it.
 */

type Actor = Pick<SessionUser, 'id' | 'role' | 'unitIds'>;
/** `edition_id`: the last published edition the section appeared in, if any. */
type SectionRef = { unit_id: string; state: SectionState; edition_id?: string | null };
type ManualRef = { phase: Phase };

export const SECTION_ACTIONS = ['read', 'write', 'comment', 'grade', 'submit', 'return', 'accept'] as const;
export type SectionAction = (typeof SECTION_ACTIONS)[number];

const ALL_PHASES = PHASES;
const ALL_STATES = SECTION_STATES;
/** The unit holds the pen. */
const UNIT_HOLDS: SectionState[] = ['draft', 'returned'];
/** Assessed: anything but a published (frozen) section. */
const UNDER_REVIEW: SectionState[] = ['draft', 'submitted', 'returned', 'accepted'];
const EVERYONE_BUT_READERS: Role[] = ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party'];

/** `edition`: only sections that have been published (what such a person reads is that edition). */
type Rule = { roles: Role[]; unit: 'any' | 'own'; phases: readonly Phase[]; states: readonly SectionState[]; edition?: true };

// prettier-ignore
export const SECTION_RULES: Record<SectionAction, Rule[]> = {
	//          roles                             unit          phases                  states
	read:    [{ roles: EVERYONE_BUT_READERS,      unit: 'any', phases: ALL_PHASES,      states: ALL_STATES },
	          { roles: ['reader'],                unit: 'any', phases: ALL_PHASES,      states: ALL_STATES, edition: true }],
	write:   [{ roles: ['editor', 'leader'],      unit: 'own', phases: ALL_PHASES,      states: UNIT_HOLDS }],
	comment: [{ roles: EVERYONE_BUT_READERS,      unit: 'any', phases: ALL_PHASES,      states: ALL_STATES }],
	grade:   [{ roles: ['expert', 'coordinator'], unit: 'any', phases: ['assessment'],  states: UNDER_REVIEW }],
	submit:  [{ roles: ['leader'],                unit: 'own', phases: ALL_PHASES,      states: UNIT_HOLDS }],
	return:  [{ roles: ['coordinator'],           unit: 'any', phases: ALL_PHASES,      states: ['submitted', 'accepted'] }],
	accept:  [{ roles: ['coordinator'],           unit: 'any', phases: ALL_PHASES,      states: ['submitted'] }]
};

/** Why an action is refused, most fundamental first: the role never may, not this unit, not now, not in this state. */
export type Refusal = 'role' | 'unit' | 'phase' | 'state';
export type Decision = { allowed: true } | { allowed: false; reason: Refusal };

const ORDER: Refusal[] = ['role', 'unit', 'phase', 'state'];

/** The decision for one action on one section, with the reason when refused. */
export function decideSection(actor: Actor, action: SectionAction, section: SectionRef, manual: ManualRef): Decision {
	let nearest: Refusal = 'role';
	for (const rule of SECTION_RULES[action]) {
		let failed: Refusal | null = null;
		if (!rule.roles.includes(actor.role)) failed = 'role';
		else if (rule.unit === 'own' && !actor.unitIds.includes(section.unit_id)) failed = 'unit';
		else if (!rule.phases.includes(manual.phase)) failed = 'phase';
		else if (!rule.states.includes(section.state) || (rule.edition && !section.edition_id)) failed = 'state';
		if (!failed) return { allowed: true };
		if (ORDER.indexOf(failed) > ORDER.indexOf(nearest)) nearest = failed;
	}
	return { allowed: false, reason: nearest };
}

export const canSection = (actor: Actor, action: SectionAction, section: SectionRef, manual: ManualRef) =>
	decideSection(actor, action, section, manual).allowed;

/** Every section action at once, for pages and the UI. */
export function sectionPermissions(actor: Actor, section: SectionRef, manual: ManualRef): Record<SectionAction, Decision> {
	return Object.fromEntries(SECTION_ACTIONS.map((a) => [a, decideSection(actor, a, section, manual)])) as Record<SectionAction, Decision>;
}

/** Actions on a manual or on the system, by role. */
// prettier-ignore
export const MANUAL_RULES = {
	manageUsers:    ['admin'],
	/** Units, manuals and the sections in them (create, rename, reorder, delete, restore). */
	manageUnits:    ['admin', 'coordinator'],
	manageManuals:  ['admin', 'coordinator'],
	/** Open the next phase, edit the plan's deadlines. */
	setPhase:       ['admin', 'coordinator'],
	/** Every unit's progress, what is late (the coordinator's cockpit). */
	viewProgress:   ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party'],
	/** The approval and decision records of a manual. */
	viewRecords:    ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party'],
	/** 汇编成册: publish an edition; open a revision from the latest one. */
	publish:        ['coordinator'],
	/** 党组研究: the party group records its decision on the manual. */
	recordDecision: ['party'],
	/** 集体审定: a unit leader, for their own unit (see recordApproval). */
	recordApproval: ['leader'],
	/** Who may be @mentioned and looked up by name: the people who take part in the review. */
	listPeople:     ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party'],
	listManuals:    ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party', 'reader'],
	/** Published editions are for everyone signed in. */
	readEditions:   ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party', 'reader'],
	/** 完善提高: measures, warnings, cases and their statistics. */
	viewImprovement: ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party'],
	/** 风险预警: raise, dispose and close warnings. */
	manageWarnings: ['coordinator'],
	/** The holiday list behind working-day limits. */
	manageCalendar: ['admin']
} as const satisfies Record<string, readonly Role[]>;

/**
 * Actions on something that belongs to one unit (a measure, a warning, a case): some roles in
 * any unit, some only in their own.
 */
// prettier-ignore
export const UNIT_RULES = {
	//               any unit           own unit only
	updateMeasure:  { any: ['coordinator'], own: ['editor', 'leader'] },
	respondWarning: { any: [],              own: ['leader'] },
	openCase:       { any: ['coordinator'], own: ['editor', 'leader'] },
	recordCaseStep: { any: ['coordinator'], own: ['editor', 'leader'] }
} as const satisfies Record<string, { any: readonly Role[]; own: readonly Role[] }>;
export type UnitAction = keyof typeof UNIT_RULES;

export function canInUnit(actor: Actor, action: UnitAction, unitId: string): boolean {
	const rule = UNIT_RULES[action];
	return (rule.any as readonly Role[]).includes(actor.role) || ((rule.own as readonly Role[]).includes(actor.role) && actor.unitIds.includes(unitId));
}
export type ManualAction = keyof typeof MANUAL_RULES;

export const can = (actor: Pick<Actor, 'role'>, action: ManualAction) => (MANUAL_RULES[action] as readonly Role[]).includes(actor.role);

export const policies = {
	manageUsers: (actor: Pick<Actor, 'role'>) => can(actor, 'manageUsers'),
	manageUnits: (actor: Pick<Actor, 'role'>) => can(actor, 'manageUnits'),
	manageManuals: (actor: Pick<Actor, 'role'>) => can(actor, 'manageManuals'),
	setPhase: (actor: Pick<Actor, 'role'>) => can(actor, 'setPhase'),
	viewProgress: (actor: Pick<Actor, 'role'>) => can(actor, 'viewProgress'),
	viewRecords: (actor: Pick<Actor, 'role'>) => can(actor, 'viewRecords'),
	recordDecision: (actor: Pick<Actor, 'role'>) => can(actor, 'recordDecision'),
	publish: (actor: Pick<Actor, 'role'>) => can(actor, 'publish'),
	readEditions: (actor: Pick<Actor, 'role'>) => can(actor, 'readEditions'),
	viewImprovement: (actor: Pick<Actor, 'role'>) => can(actor, 'viewImprovement'),
	manageWarnings: (actor: Pick<Actor, 'role'>) => can(actor, 'manageWarnings'),
	manageCalendar: (actor: Pick<Actor, 'role'>) => can(actor, 'manageCalendar'),
	/** Everyone signed in sees the list of manuals; readers see only published content inside them. */
	listManuals: (actor: Pick<Actor, 'role'>) => can(actor, 'listManuals'),
	listPeople: (actor: Pick<Actor, 'role'>) => can(actor, 'listPeople'),
	/** Who appears in that list: the same people who take part (readers never do), while their account is active. */
	listedAsPerson: (person: Pick<Actor, 'role'> & { disabled: boolean }) => !person.disabled && can(person, 'listPeople'),
	/** 集体审定 is recorded by a leader of that unit. */
	recordApproval: (actor: Actor, unitId: string) => can(actor, 'recordApproval') && actor.unitIds.includes(unitId),

	/** Reading depends on neither phase nor unit (the read rules hold in every phase, for any unit). */
	readSection: (actor: Actor, section: SectionRef) =>
		SECTION_RULES.read.some((r) => r.roles.includes(actor.role) && r.states.includes(section.state) && (!r.edition || !!section.edition_id)),
	/** Whether this person reads the section's last published edition rather than its live text. */
	readsEdition: (actor: Actor) => SECTION_RULES.read.some((r) => r.roles.includes(actor.role) && r.edition),
	/** The live collaborative document: readers only when it is the published text itself. */
	openLiveDocument: (actor: Actor, section: SectionRef) =>
		policies.readSection(actor, section) && (!policies.readsEdition(actor) || section.state === 'published'),
	/** Writing the section's text: the unit's own editors and leader, while phase and state allow. */
	editSection: (actor: Actor, section: SectionRef, manual: ManualRef) => canSection(actor, 'write', section, manual),
	commentSection: (actor: Actor, section: SectionRef, manual: ManualRef) => canSection(actor, 'comment', section, manual),
	/**
	 * 自我复查 is the unit's own work: its people (those the write rule names for this unit) see the
	 * live checklist in every state, also while the section is locked for review.
	 */
	selfReview: (actor: Actor, section: Pick<SectionRef, 'unit_id'>) =>
		SECTION_RULES.write.some((r) => r.roles.includes(actor.role) && (r.unit === 'any' || actor.unitIds.includes(section.unit_id)))
};

export type Policies = typeof policies;
