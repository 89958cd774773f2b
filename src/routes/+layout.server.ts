import type { LayoutServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { unreadCount } from '#server/inbox/notifications.ts';
import { INBOX_DEPENDENCY } from '#lib/review/dependencies.ts';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
	depends(INBOX_DEPENDENCY);
	const user = locals.user;
	if (!user) return { user: null, nav: null, unread: 0 };
	return {
		user: { id: user.id, displayName: user.displayName, role: user.role, username: user.username },
		// The header's links, decided on the server: the UI never compares roles.
		nav: { admin: policies.manageUsers(user) },
		unread: await unreadCount(locals.services.db, user.id)
	};
};
