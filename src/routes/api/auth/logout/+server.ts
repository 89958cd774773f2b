import { json } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { clearSessionCookie } from '#lib/server/cookies.ts';

export const POST = api(async (event) => {
	if (event.locals.token) await event.locals.services.sessions.invalidate(event.locals.token);
	clearSessionCookie(event.cookies);
	return json({ ok: true });
});
