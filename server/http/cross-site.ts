import type http from 'node:http';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { errorBody, forbidden } from '../errors.ts';

/**
 * What the production entry does to each request before SvelteKit sees it: settle the
 * protocol, and apply the cross-site (CSRF) rule in a way that suits API clients.
 */

const selfOrigin = (req: http.IncomingMessage) => process.env.ORIGIN ?? `${req.headers['x-forwarded-proto']}://${req.headers.host}`;

export function prepareRequest(req: http.IncomingMessage) {
	const proto = (req.headers['x-forwarded-proto'] as string | undefined) ?? 'http';
	req.headers['x-forwarded-proto'] = proto;
	// SvelteKit refuses body-less or form-typed POSTs without a same-origin Origin header as
	// cross-site form posts. Forgery rides on the browser's ambient session cookie, and browsers
	// send Origin with every POST: a request without Origin that authenticates with a bearer
	// token, or carries no session cookie at all, has nothing a forger could use, so it is
	// vouched for as same-origin (API clients, curl, an anonymous logout).
	if (!req.headers.origin && (/^Bearer\s/i.test(req.headers.authorization ?? '') || !hasSessionCookie(req))) {
		req.headers.origin = selfOrigin(req);
	}
}

/**
 * Whether a browser's Origin is the app's own: `ORIGIN` when configured, or the scheme and host
 * the request was addressed to (a page cannot change the Host its browser sends).
 */
export function isOwnOrigin(origin: string, req: http.IncomingMessage): boolean {
	const proto = req.headers['x-forwarded-proto'] ?? 'http';
	return origin === process.env.ORIGIN || origin === `${proto}://${req.headers.host}`;
}

export function hasSessionCookie(req: http.IncomingMessage): boolean {
	return (req.headers.cookie ?? '').split(';').some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/x-sveltekit-formdata'];

/**
 * The cross-site check SvelteKit makes (same rule), made here for /api/ so the refusal has the
 * API's JSON error shape instead of SvelteKit's plain text (it runs before any hook).
 */
export function refuseCrossSiteApiRequest(req: http.IncomingMessage, res: http.ServerResponse): boolean {
	if (!(req.url ?? '').startsWith('/api/')) return false;
	if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method ?? '')) return false;
	const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (type && !FORM_TYPES.includes(type)) return false;
	if (req.headers.origin === selfOrigin(req)) return false;
	res.statusCode = 403;
	res.setHeader('content-type', 'application/json');
	res.end(JSON.stringify(errorBody(forbidden('跨站提交已被拒绝，请从本系统页面发起请求。'))));
	return true;
}

