import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE } from '#server/auth/sessions.ts';

export function setSessionCookie(event: RequestEvent, token: string, expiresAt: number) {
	event.cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		expires: new Date(expiresAt)
	});
}

export function clearSessionCookie(cookies: Cookies) {
	cookies.delete(SESSION_COOKIE, { path: '/' });
}
