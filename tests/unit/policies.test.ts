import { describe, expect, it } from 'vitest';
import { policies } from '../../server/policies/index.ts';
import { PHASES, ROLES, SECTION_STATES, type Role, type SectionState } from '../../server/db/schema.ts';

const OWN = 'unit-own';
const OTHER = 'unit-other';

const actor = (role: Role, unitIds: string[] = [OWN]) => ({ id: `u-${role}`, role, unitIds });
const section = (state: SectionState, unit_id = OWN) => ({ unit_id, state });

const UNIT_WRITABLE: SectionState[] = ['draft', 'returned'];
const LOCKED: SectionState[] = ['submitted', 'accepted', 'published'];

describe('policies.editSection', () => {
	it('lets the unit’s own editors and leader write a draft or returned section in every phase', () => {
		for (const role of ['editor', 'leader'] as const)
			for (const phase of PHASES)
				for (const state of UNIT_WRITABLE)
					expect(policies.editSection(actor(role), section(state), { phase }), `${role}/${phase}/${state}`).toBe(true);
	});

	it('locks submitted, accepted and published sections for the unit in every phase', () => {
		for (const role of ['editor', 'leader'] as const)
			for (const phase of PHASES)
				for (const state of LOCKED)
					expect(policies.editSection(actor(role), section(state), { phase }), `${role}/${phase}/${state}`).toBe(false);
	});

	it('keeps editors and leaders out of other units’ sections (unit boundary)', () => {
		for (const role of ['editor', 'leader'] as const)
			for (const phase of PHASES)
				for (const state of SECTION_STATES)
					expect(policies.editSection(actor(role), section(state, OTHER), { phase }), `${role}/${phase}/${state}`).toBe(false);
	});

	it('lets a member of several units write in each of them, and a member of none in none', () => {
		const multi = actor('editor', [OTHER, OWN]);
		expect(policies.editSection(multi, section('draft', OWN), { phase: 'self_check' })).toBe(true);
		expect(policies.editSection(multi, section('draft', OTHER), { phase: 'self_check' })).toBe(true);
		expect(policies.editSection(multi, section('draft', 'unit-third'), { phase: 'self_check' })).toBe(false);
		expect(policies.editSection(actor('editor', []), section('draft'), { phase: 'self_check' })).toBe(false);
	});

	it('never lets admin, coordinator, expert, party or reader write section text, even as unit members', () => {
		for (const role of ['admin', 'coordinator', 'expert', 'party', 'reader'] as const)
			for (const phase of PHASES)
				for (const state of SECTION_STATES)
					expect(policies.editSection(actor(role, [OWN]), section(state), { phase }), `${role}/${phase}/${state}`).toBe(false);
	});

	it('covers every role of the schema (a new role must be decided here)', () => {
		expect([...ROLES].sort()).toEqual(['admin', 'coordinator', 'editor', 'expert', 'leader', 'party', 'reader']);
	});
});

describe('policies.readSection', () => {
	it('lets every role except reader read sections in any state', () => {
		for (const role of ROLES.filter((r) => r !== 'reader'))
			for (const state of SECTION_STATES) {
				expect(policies.readSection(actor(role, []), section(state, OTHER)), `${role}/${state}`).toBe(true);
				expect(policies.readSection(actor(role), section(state)), `${role}/${state}`).toBe(true);
			}
	});

	it('lets a reader read only published sections', () => {
		for (const state of SECTION_STATES)
			expect(policies.readSection(actor('reader'), section(state)), state).toBe(state === 'published');
		expect(policies.readSection(actor('reader', []), section('published', OTHER))).toBe(true);
	});
});

describe('administrative policies', () => {
	it('reserves accounts to admins, units and manuals to admins and the coordinator, and lets everyone list manuals', () => {
		for (const role of ROLES) {
			expect(policies.manageUsers(actor(role)), role).toBe(role === 'admin');
			expect(policies.manageUnits(actor(role)), role).toBe(role === 'admin' || role === 'coordinator');
			expect(policies.manageManuals(actor(role)), role).toBe(role === 'admin' || role === 'coordinator');
			expect(policies.listManuals(actor(role)), role).toBe(true);
		}
	});
});
