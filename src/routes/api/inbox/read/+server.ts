import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { markRead } from '#server/inbox/notifications.ts';

const ReadInput = z.object({ ids: z.union([z.literal('all'), z.array(z.string().min(1)).max(500)], { message: 'ids 应为 "all" 或编号列表。' }) });

export const POST = api(async (event) => {
	const user = requireUser(event);
	const { ids } = await readBody(event.request, ReadInput);
	await markRead(event.locals.services.db, user.id, ids);
	event.locals.services.bus.send([user.id], { type: 'inbox' });
	return json({ ok: true });
});
