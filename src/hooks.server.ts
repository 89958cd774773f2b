import { json, redirect } from '@sveltejs/kit';
import type { Handle, HandleServerError } from '@sveltejs/kit/hooks';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '#lib/paraglide/server.js';
import { getServices } from '#server/services.ts';
import { SESSION_COOKIE } from '#server/auth/sessions.ts';
import { errorBody, errorForStatus, isAppError } from '#server/errors.ts';
import { errorFields, log } from '#server/log.ts';
import { clearSessionCookie, setSessionCookie } from '#lib/server/cookies.ts';

/** Public without a session: the sign-in page, health check, login API and static assets. */
const PUBLIC = [/^\/login\/?$/, /^\/healthz$/, /^\/api\//, /^\/favicon/];

const authenticate: Handle = async ({ event, resolve }) => {
	const services = await getServices();
	event.locals.services = services;
	const bearer = event.request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
	const cookie = event.cookies.get(SESSION_COOKIE) ?? null;
	const token = bearer ?? cookie;
	const auth = token ? await services.sessions.validate(token) : null;
	event.locals.user = auth?.user ?? null;
	event.locals.token = auth ? token : null;
	if (cookie && !bearer) {
		if (auth) setSessionCookie(event, cookie, auth.session.expiresAt);
		else clearSessionCookie(event.cookies);
	}
	if (!auth && !PUBLIC.some((r) => r.test(event.url.pathname))) {
		const next = event.url.pathname + event.url.search;
		redirect(303, `/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`);
	}
	return resolve(event);
};

const i18n: Handle = ({ event, resolve }) =>
	// Locale comes from a cookie, so the request needs no rewriting (no URL strategy).
	paraglideMiddleware(event.request, ({ locale }) => {
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

/**
 * Under /api/ every error is `{"error":{code,message}}`, also the ones SvelteKit answers by
 * itself before any route runs (405 for an unsupported method, 400 for a malformed URL),
 * which come as text or as an HTML error page.
 */
const apiErrorShape: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!event.url.pathname.startsWith('/api/') || response.status < 400) return response;
	if (response.headers.get('content-type')?.startsWith('application/json')) return response;
	const err = errorForStatus(response.status);
	// Keep Allow, Set-Cookie and the rest; only the body and its description change.
	const headers = new Headers(response.headers);
	for (const h of ['content-type', 'content-length', 'content-encoding', 'etag']) headers.delete(h);
	return json(errorBody(err), { status: err.status, headers });
};

export const handle = sequence(i18n, authenticate, apiErrorShape);

export const handleError: HandleServerError = (caught) => {
	if (caught.kind === 'app') return; // thrown with error(): its message is already for the user
	// A domain refusal (unknown manual or section, …) reaching a page: its status and Chinese message.
	if (isAppError(caught.error) && caught.error.status < 500) {
		return { status: caught.error.status, message: caught.error.message, code: caught.error.code };
	}
	if (caught.kind === 'framework' || caught.kind === 'validation') {
		const status = caught.error.status;
		// SvelteKit's own messages are English ("Malformed URI"): users get the Chinese one for the status.
		return { status, message: status === 404 ? '页面不存在。' : errorForStatus(status).message, code: status === 404 ? 'not_found' : 'bad_request' };
	}
	log.error('unhandled page error', { path: caught.event.url.pathname, ...errorFields(caught.error) });
	return { status: 500, message: '服务器内部错误，请稍后重试。', code: 'internal' };
};
