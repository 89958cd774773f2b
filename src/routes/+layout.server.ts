import type { LayoutServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';

export const load: LayoutServerLoad = async ({ locals, url }) => {
	// Read on every navigation (reading `url` makes SvelteKit rerun this load each time): a
	// session that ended elsewhere must not leave the previous user in the header, nor in
	// what the page believes about who owns this browser's local copies.
	void url.pathname;
	return {
		user: locals.user
			? {
					id: locals.user.id,
					displayName: locals.user.displayName,
					role: locals.user.role,
					username: locals.user.username,
					canAdmin: policies.manageUsers(locals.user)
				}
			: null
	};
};
