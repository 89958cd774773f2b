import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { setSessionCookie } from '#lib/server/cookies.ts';
import { signIn } from '#server/auth/login.ts';
import { clientAddress } from '#server/http/client-address.ts';
import { isAppError } from '#server/errors.ts';
import { safeNextPath } from '#lib/server/next-path.ts';
import { formOf } from '#lib/server/forms.ts';

const nextOf = (url: URL) => safeNextPath(url.searchParams.get('next'), url.origin);

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, nextOf(url));
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await formOf(event.request);
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
		redirect(303, nextOf(event.url));
	}
};
