import { json } from '@sveltejs/kit';
import { api, requireUser } from '#lib/server/api.ts';
import { todoFor } from '#server/inbox/todo.ts';
import { listNotifications } from '#server/inbox/notifications.ts';
import { presentNotification } from '#server/presenters/index.ts';

/** 待办 (what waits for me) and my notifications, newest first. */
export const GET = api(async (event) => {
	const user = requireUser(event);
	const s = event.locals.services;
	const notifications = (await listNotifications(s.db, user.id)).map(presentNotification);
	return json({ todo: await todoFor(s, user), notifications, unread: notifications.filter((n) => !n.read).length });
});
