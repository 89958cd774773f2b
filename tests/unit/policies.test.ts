import { describe, expect, it } from 'vitest';
import { MANUAL_RULES, SECTION_ACTIONS, UNIT_RULES, can, canInUnit, decideSection, policies, sectionPermissions } from '../../server/policies/index.ts';
import { PHASES, ROLES, SECTION_STATES, type Role, type SectionState } from '../../server/db/schema.ts';

/**
 * The permission table, cell by cell. Each line: action, role, whether the section belongs to the
 * actor's unit, then for each phase (自排自查, 考核评估, 完善提高) the section states in which the
 * action is allowed — D draft, S submitted, R returned, A accepted, P published, '.' refused.
 * Changing any rule in server/policies changes a cell here: decide it, then update this table.
 * (A published section has an edition; the cells assume sections never published before.)
 */
const EXPECTED = `
read    admin       own   DSRAP       DSRAP       DSRAP
read    admin       other DSRAP       DSRAP       DSRAP
read    coordinator own   DSRAP       DSRAP       DSRAP
read    coordinator other DSRAP       DSRAP       DSRAP
read    editor      own   DSRAP       DSRAP       DSRAP
read    editor      other DSRAP       DSRAP       DSRAP
read    leader      own   DSRAP       DSRAP       DSRAP
read    leader      other DSRAP       DSRAP       DSRAP
read    expert      own   DSRAP       DSRAP       DSRAP
read    expert      other DSRAP       DSRAP       DSRAP
read    party       own   DSRAP       DSRAP       DSRAP
read    party       other DSRAP       DSRAP       DSRAP
read    reader      own   ....P       ....P       ....P
read    reader      other ....P       ....P       ....P
write   admin       own   .....       .....       .....
write   admin       other .....       .....       .....
write   coordinator own   .....       .....       .....
write   coordinator other .....       .....       .....
write   editor      own   D.R..       D.R..       D.R..
write   editor      other .....       .....       .....
write   leader      own   D.R..       D.R..       D.R..
write   leader      other .....       .....       .....
write   expert      own   .....       .....       .....
write   expert      other .....       .....       .....
write   party       own   .....       .....       .....
write   party       other .....       .....       .....
write   reader      own   .....       .....       .....
write   reader      other .....       .....       .....
comment admin       own   DSRAP       DSRAP       DSRAP
comment admin       other DSRAP       DSRAP       DSRAP
comment coordinator own   DSRAP       DSRAP       DSRAP
comment coordinator other DSRAP       DSRAP       DSRAP
comment editor      own   DSRAP       DSRAP       DSRAP
comment editor      other DSRAP       DSRAP       DSRAP
comment leader      own   DSRAP       DSRAP       DSRAP
comment leader      other DSRAP       DSRAP       DSRAP
comment expert      own   DSRAP       DSRAP       DSRAP
comment expert      other DSRAP       DSRAP       DSRAP
comment party       own   DSRAP       DSRAP       DSRAP
comment party       other DSRAP       DSRAP       DSRAP
comment reader      own   .....       .....       .....
comment reader      other .....       .....       .....
grade   admin       own   .....       .....       .....
grade   admin       other .....       .....       .....
grade   coordinator own   .....       DSRA.       .....
grade   coordinator other .....       DSRA.       .....
grade   editor      own   .....       .....       .....
grade   editor      other .....       .....       .....
grade   leader      own   .....       .....       .....
grade   leader      other .....       .....       .....
grade   expert      own   .....       DSRA.       .....
grade   expert      other .....       DSRA.       .....
grade   party       own   .....       .....       .....
grade   party       other .....       .....       .....
grade   reader      own   .....       .....       .....
grade   reader      other .....       .....       .....
submit  admin       own   .....       .....       .....
submit  admin       other .....       .....       .....
submit  coordinator own   .....       .....       .....
submit  coordinator other .....       .....       .....
submit  editor      own   .....       .....       .....
submit  editor      other .....       .....       .....
submit  leader      own   D.R..       D.R..       D.R..
submit  leader      other .....       .....       .....
submit  expert      own   .....       .....       .....
submit  expert      other .....       .....       .....
submit  party       own   .....       .....       .....
submit  party       other .....       .....       .....
submit  reader      own   .....       .....       .....
submit  reader      other .....       .....       .....
return  admin       own   .....       .....       .....
return  admin       other .....       .....       .....
return  coordinator own   .S.A.       .S.A.       .S.A.
return  coordinator other .S.A.       .S.A.       .S.A.
return  editor      own   .....       .....       .....
return  editor      other .....       .....       .....
return  leader      own   .....       .....       .....
return  leader      other .....       .....       .....
return  expert      own   .....       .....       .....
return  expert      other .....       .....       .....
return  party       own   .....       .....       .....
return  party       other .....       .....       .....
return  reader      own   .....       .....       .....
return  reader      other .....       .....       .....
accept  admin       own   .....       .....       .....
accept  admin       other .....       .....       .....
accept  coordinator own   .S...       .S...       .S...
accept  coordinator other .S...       .S...       .S...
accept  editor      own   .....       .....       .....
accept  editor      other .....       .....       .....
accept  leader      own   .....       .....       .....
accept  leader      other .....       .....       .....
accept  expert      own   .....       .....       .....
accept  expert      other .....       .....       .....
accept  party       own   .....       .....       .....
accept  party       other .....       .....       .....
accept  reader      own   .....       .....       .....
accept  reader      other .....       .....       .....
`;

const LETTER: Record<SectionState, string> = { draft: 'D', submitted: 'S', returned: 'R', accepted: 'A', published: 'P' };
const OWN = 'unit-own';
const OTHER = 'unit-other';
const actor = (role: Role, unitIds: string[] = [OWN]) => ({ id: `u-${role}`, role, unitIds });

describe('the section permission table', () => {
	const lines = EXPECTED.trim().split('\n').map((l) => l.trim().split(/\s+/));

	it('lists every action × role × unit once', () => {
		expect(lines.length).toBe(SECTION_ACTIONS.length * ROLES.length * 2);
		const keys = new Set(lines.map(([a, r, u]) => `${a}/${r}/${u}`));
		for (const a of SECTION_ACTIONS) for (const r of ROLES) for (const u of ['own', 'other']) expect(keys.has(`${a}/${r}/${u}`), `${a}/${r}/${u}`).toBe(true);
	});

	it('decides every cell as the table says', () => {
		const wrong: string[] = [];
		for (const [action, role, unit, ...phases] of lines)
			PHASES.forEach((phase, p) =>
				SECTION_STATES.forEach((state, i) => {
					const expected = phases[p][i] === LETTER[state];
					const got = decideSection(actor(role as Role), action as (typeof SECTION_ACTIONS)[number], { unit_id: unit === 'own' ? OWN : OTHER, state, edition_id: state === 'published' ? 'e1' : null }, { phase }).allowed;
					if (got !== expected) wrong.push(`${action} ${role} ${unit} ${phase} ${state}: expected ${expected}, got ${got}`);
				})
			);
		expect(wrong).toEqual([]);
	});

	it('says why an action is refused, most fundamental reason first', () => {
		const d = (role: Role, action: (typeof SECTION_ACTIONS)[number], state: SectionState, phase: (typeof PHASES)[number], unit = OWN) =>
			decideSection(actor(role), action, { unit_id: unit, state }, { phase });
		expect(d('expert', 'write', 'draft', 'self_check')).toEqual({ allowed: false, reason: 'role' });
		expect(d('editor', 'write', 'draft', 'self_check', OTHER)).toEqual({ allowed: false, reason: 'unit' });
		expect(d('editor', 'write', 'submitted', 'self_check', OTHER)).toEqual({ allowed: false, reason: 'unit' });
		expect(d('expert', 'grade', 'submitted', 'self_check')).toEqual({ allowed: false, reason: 'phase' });
		expect(d('expert', 'grade', 'published', 'assessment')).toEqual({ allowed: false, reason: 'state' });
		expect(d('leader', 'submit', 'submitted', 'assessment')).toEqual({ allowed: false, reason: 'state' });
		expect(d('coordinator', 'accept', 'draft', 'assessment')).toEqual({ allowed: false, reason: 'state' });
		expect(d('reader', 'read', 'draft', 'assessment')).toEqual({ allowed: false, reason: 'state' });
	});

	it('lets readers read the last published edition of a section under revision, and nothing never published', () => {
		const reader = actor('reader');
		expect(policies.readSection(reader, { unit_id: OWN, state: 'draft', edition_id: 'e1' })).toBe(true);
		expect(policies.readSection(reader, { unit_id: OWN, state: 'draft', edition_id: null })).toBe(false);
		expect(policies.readsEdition(reader)).toBe(true);
		for (const role of ROLES.filter((r) => r !== 'reader')) expect(policies.readsEdition(actor(role)), role).toBe(false);
	});

	it('gives pages the same answers at once', () => {
		const all = sectionPermissions(actor('leader'), { unit_id: OWN, state: 'returned' }, { phase: 'assessment' });
		expect(Object.keys(all).sort()).toEqual([...SECTION_ACTIONS].sort());
		expect(all.write.allowed && all.submit.allowed && !all.accept.allowed).toBe(true);
	});

	it('keeps readSection and editSection in step with the table', () => {
		for (const role of ROLES)
			for (const state of SECTION_STATES)
				for (const phase of PHASES)
					for (const unit of [OWN, OTHER]) {
						const s = { unit_id: unit, state, edition_id: state === 'published' ? 'e1' : null };
						expect(policies.readSection(actor(role), s)).toBe(decideSection(actor(role), 'read', s, { phase }).allowed);
						expect(policies.editSection(actor(role), s, { phase })).toBe(decideSection(actor(role), 'write', s, { phase }).allowed);
					}
	});

	it('lets a member of several units write in each of them, and a member of none in none', () => {
		const multi = actor('editor', [OTHER, OWN]);
		expect(policies.editSection(multi, { unit_id: OWN, state: 'draft' }, { phase: 'self_check' })).toBe(true);
		expect(policies.editSection(multi, { unit_id: OTHER, state: 'draft' }, { phase: 'self_check' })).toBe(true);
		expect(policies.editSection(multi, { unit_id: 'unit-third', state: 'draft' }, { phase: 'self_check' })).toBe(false);
		expect(policies.editSection(actor('editor', []), { unit_id: OWN, state: 'draft' }, { phase: 'self_check' })).toBe(false);
	});
});

describe('manual and system actions', () => {
	const EXPECTED_ROLES: Record<keyof typeof MANUAL_RULES, Role[]> = {
		manageUsers: ['admin'],
		manageUnits: ['admin', 'coordinator'],
		manageManuals: ['admin', 'coordinator'],
		setPhase: ['admin', 'coordinator'],
		viewProgress: ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party'],
		viewRecords: ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party'],
		publish: ['coordinator'],
		recordDecision: ['party'],
		recordApproval: ['leader'],
		listPeople: ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party'],
		listManuals: ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party', 'reader'],
		readEditions: ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party', 'reader'],
		viewImprovement: ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party'],
		manageWarnings: ['coordinator'],
		manageCalendar: ['admin']
	};

	it('allows each action to exactly its roles', () => {
		expect(Object.keys(MANUAL_RULES).sort()).toEqual(Object.keys(EXPECTED_ROLES).sort());
		for (const [action, roles] of Object.entries(EXPECTED_ROLES))
			for (const role of ROLES) expect(can({ role }, action as keyof typeof MANUAL_RULES), `${action}/${role}`).toBe(roles.includes(role));
	});

	it('lets a leader record the collective approval of their own unit only', () => {
		expect(policies.recordApproval(actor('leader'), OWN)).toBe(true);
		expect(policies.recordApproval(actor('leader'), OTHER)).toBe(false);
		expect(policies.recordApproval(actor('editor'), OWN)).toBe(false);
	});

	it('lets unit things be acted on by some roles anywhere and others only in their own unit', () => {
		const table = Object.fromEntries(
			(Object.keys(UNIT_RULES) as (keyof typeof UNIT_RULES)[]).map((a) => [
				a,
				ROLES.map((r) => `${r}:${canInUnit(actor(r), a, OWN) ? 'own' : '-'}/${canInUnit(actor(r), a, OTHER) ? 'other' : '-'}`).filter((x) => !x.endsWith('-/-'))
			])
		);
		expect(table).toEqual({
			updateMeasure: ['coordinator:own/other', 'editor:own/-', 'leader:own/-'],
			respondWarning: ['leader:own/-'],
			openCase: ['coordinator:own/other', 'editor:own/-', 'leader:own/-'],
			recordCaseStep: ['coordinator:own/other', 'editor:own/-', 'leader:own/-']
		});
	});

	it('shows the self-review checklist to the unit’s own editors and leader only, in every state', () => {
		for (const role of ROLES) {
			const unitPerson = role === 'editor' || role === 'leader';
			expect(policies.selfReview(actor(role), { unit_id: OWN }), `${role}/own`).toBe(unitPerson);
			expect(policies.selfReview(actor(role), { unit_id: OTHER }), `${role}/other`).toBe(false);
		}
	});

	it('covers every role of the schema (a new role must be decided here)', () => {
		expect([...ROLES].sort()).toEqual(['admin', 'coordinator', 'editor', 'expert', 'leader', 'party', 'reader']);
	});
});
