import { json } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { clearSessionCookie } from '#lib/server/cookies.ts';
import { logout } from '#server/auth/logout.ts';

export const POST = api(async (event) => {
	const { user, token, services } = event.locals;
	if (user && token) await logout(services, user.id, token);
	clearSessionCookie(event.cookies);
	return json({ ok: true });
});
