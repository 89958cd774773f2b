import type { LayoutServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { unreadCount } from '#server/inbox/notifications.ts';
import { INBOX_DEPENDENCY } from '#lib/review/dependencies.ts';

export const load: LayoutServerLoad = async ({ locals, depends, url }) => {
	depends(INBOX_DEPENDENCY);
	// Read on every navigation (reading `url` makes SvelteKit rerun this load each time): a
	// session that ended elsewhere must not leave the previous user in the header, nor in
	// what the page believes about who owns this browser's local copies.
	void url.pathname;
	const user = locals.user;
	if (!user) return { user: null, nav: null, unread: 0 };
	return {
		user: { id: user.id, displayName: user.displayName, role: user.role, username: user.username },
		// The header's links, decided on the server: the UI never compares roles.
		nav: { admin: policies.manageUsers(user) },
		unread: await unreadCount(locals.services.db, user.id)
	};
};
