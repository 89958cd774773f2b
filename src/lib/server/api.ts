import { isHttpError, isRedirect, json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import type { z } from 'zod';
import { AppError, badRequest, errorBody, errorForStatus, forbidden, isAppError, unauthorized } from '#server/errors.ts';
import { errorFields, log } from '#server/log.ts';
import type { SessionUser } from '#server/auth/sessions.ts';

/**
 * Wraps a JSON route: domain errors become `{"error":{code,message}}` with their status,
 * anything unexpected is logged and answered as a plain 500 (never a stack trace).
 */
export function api<E extends RequestEvent>(handler: (event: E) => Promise<Response> | Response) {
	return (async (event: E) => {
		try {
			return await handler(event);
		} catch (err) {
			return errorResponse(err, event);
		}
	}) as unknown as RequestHandler;
}

export function errorResponse(err: unknown, event: RequestEvent): Response {
	if (isAppError(err)) return json(errorBody(err), { status: err.status });
	if (isRedirect(err)) throw err;
	if (isHttpError(err)) {
		return json({ error: { code: err.status === 404 ? 'not_found' : 'bad_request', message: err.body.message } }, { status: err.status });
	}
	log.error('unhandled API error', { method: event.request.method, path: event.url.pathname, ...errorFields(err) });
	return json(errorBody(new AppError('internal', '服务器内部错误，请稍后重试。')), { status: 500 });
}

export function requireUser(event: RequestEvent): SessionUser {
	if (!event.locals.user) throw unauthorized();
	return event.locals.user;
}

/** The signed-in user, when `allowed` says they may; else 401 or 403. */
export function requireAllowed(event: RequestEvent, allowed: (u: SessionUser) => boolean): SessionUser {
	const user = requireUser(event);
	if (!allowed(user)) throw forbidden();
	return user;
}

export async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
	let raw: unknown;
	try {
		raw = await request.json();
	} catch (err) {
		// Reading past BODY_SIZE_LIMIT fails with SvelteKit's 413, which is not a JSON problem.
		if ((err as { status?: unknown } | null)?.status === 413) throw errorForStatus(413);
		throw badRequest('请求体必须是有效的 JSON。');
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success) {
		const first = parsed.error.issues[0];
		throw badRequest(first?.message && !/^Invalid|^Expected/.test(first.message) ? first.message : `字段“${first?.path.join('.') || '请求体'}”无效。`);
	}
	return parsed.data;
}

/**
 * A JSON response of `fields` and the members of `objectJson` (UTF-8 JSON of an object, starting
 * with `{`), joined without reading those bytes: for bodies prepared off the event loop.
 */
export function jsonWith(fields: Record<string, unknown>, objectJson: Uint8Array): Response {
	const head = JSON.stringify(fields);
	const headers = { 'content-type': 'application/json' };
	let first = 1; // past `{` and any white space: is the object empty?
	while (first < objectJson.length && [0x20, 0x09, 0x0a, 0x0d].includes(objectJson[first])) first++;
	if (objectJson[first] === 0x7d) return new Response(head, { headers });
	const open = head === '{}' ? '{' : `${head.slice(0, -1)},`;
	return new Response(new Blob([open, objectJson.subarray(first) as Uint8Array<ArrayBuffer>]), { headers });
}
