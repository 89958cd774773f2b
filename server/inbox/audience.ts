import type { Db } from '../db/connect.ts';
import type { Role } from '../db/schema.ts';
import { SECTION_RULES, type SectionAction } from '../policies/index.ts';

/**
 * Who hears about what. Derived from the permission table, so the people told about a
 * submission are exactly those who may act on it next.
 */

/** Roles that may take `action` on some section (regardless of unit). */
export function rolesThatMay(action: SectionAction): Role[] {
	return [...new Set(SECTION_RULES[action].flatMap((r) => r.roles))];
}

/** Active users holding any of `roles`. */
export async function usersWithRoles(db: Db, roles: Role[]): Promise<string[]> {
	if (!roles.length) return [];
	const rows = await db.selectFrom('users').select('id').where('role', 'in', roles).where('disabled', '=', 0).execute();
	return rows.map((r) => r.id);
}

/** Active members of a unit who may take `action` on its sections (its editors and leader for `write`). */
export async function unitPeople(db: Db, unitId: string, action: SectionAction = 'write'): Promise<string[]> {
	const roles = rolesThatMay(action);
	const rows = await db
		.selectFrom('unit_members')
		.innerJoin('users', 'users.id', 'unit_members.user_id')
		.select('users.id')
		.where('unit_members.unit_id', '=', unitId)
		.where('users.role', 'in', roles)
		.where('users.disabled', '=', 0)
		.execute();
	return rows.map((r) => r.id);
}

/** Everyone who may take `action` on sections of any unit (coordinators for `accept`, experts for `grade` …). */
export async function reviewers(db: Db, action: SectionAction): Promise<string[]> {
	const roles = [...new Set(SECTION_RULES[action].filter((r) => r.unit === 'any').flatMap((r) => r.roles))];
	return usersWithRoles(db, roles);
}
