import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => ({
	user: locals.user ? { id: locals.user.id, displayName: locals.user.displayName, role: locals.user.role, username: locals.user.username } : null
});
