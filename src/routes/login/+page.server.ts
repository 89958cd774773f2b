import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { setSessionCookie } from '#lib/server/cookies.ts';
import { signIn } from '#server/auth/login.ts';
import { clientAddress } from '#server/http/client-address.ts';
import { isAppError } from '#server/errors.ts';

function safeNext(next: string | null): string {
	// Only same-site paths: never redirect a signed-in user to another origin.
	return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const username = String(form.get('username') ?? '').trim();
		const password = String(form.get('password') ?? '');
		if (!username || !password) return fail(400, { username, error: 'missing' as const });
		let opened;
		try {
			opened = await signIn(event.locals.services, username, password, clientAddress(event, event.locals.services.config.trustProxy));
		} catch (err) {
			if (isAppError(err) && err.code === 'too_many_requests') return fail(429, { username, error: 'throttled' as const, message: err.message });
			if (isAppError(err)) return fail(401, { username, error: 'invalid' as const });
			throw err;
		}
		setSessionCookie(event, opened.token, opened.session.expiresAt);
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
};
