import { m } from '#lib/paraglide/messages.js';

/** Display names of stored enum values, in the current language. */
export function roleLabel(role: string): string {
	const map: Record<string, () => string> = {
		admin: m.role_admin,
		coordinator: m.role_coordinator,
		editor: m.role_editor,
		leader: m.role_leader,
		expert: m.role_expert,
		party: m.role_party,
		reader: m.role_reader
	};
	return map[role]?.() ?? role;
}

export function phaseLabel(phase: string): string {
	const map: Record<string, () => string> = {
		self_check: m.phase_self_check,
		assessment: m.phase_assessment,
		improvement: m.phase_improvement
	};
	return map[phase]?.() ?? phase;
}

export function stateLabel(state: string): string {
	const map: Record<string, () => string> = {
		draft: m.state_draft,
		submitted: m.state_submitted,
		returned: m.state_returned,
		accepted: m.state_accepted,
		published: m.state_published
	};
	return map[state]?.() ?? state;
}

export const ROLE_OPTIONS = ['admin', 'coordinator', 'editor', 'leader', 'expert', 'party', 'reader'] as const;
