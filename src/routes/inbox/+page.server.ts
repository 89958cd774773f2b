import type { PageServerLoad } from './$types';
import { todoFor } from '#server/inbox/todo.ts';
import { listNotifications } from '#server/inbox/notifications.ts';
import { presentNotification } from '#server/presenters/index.ts';
import { INBOX_DEPENDENCY, manualDependency } from '#lib/review/dependencies.ts';

/** 待办 and notifications; reloaded live on the inbox signal and on any manual's change (what waits on me may change). */
export const load: PageServerLoad = async ({ locals, depends }) => {
	const user = locals.user!;
	const s = locals.services;
	depends(INBOX_DEPENDENCY, ...(await s.manuals.list()).map((mm) => manualDependency(mm.id)));
	return { todo: await todoFor(s, user), notifications: (await listNotifications(s.db, user.id)).map(presentNotification) };
};
