import { m } from '#lib/paraglide/messages.js';

/**
 * The browser's calls to the JSON API. Every refusal comes back as the server's Chinese message
 * (and its details, e.g. the checklist problems of a refused submission), never as a throw, so
 * a form can keep what the person typed and say what went wrong.
 */
export type ApiError = { status: number; code: string; message: string; details?: unknown };
export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export async function call<T = unknown>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<ApiResult<T>> {
	let response: Response;
	try {
		response = await fetch(url, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	} catch {
		return { ok: false, error: { status: 0, code: 'network', message: m.review_network_error() } };
	}
	const text = await response.text();
	let parsed: unknown = null;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		/* not JSON: answered below with a generic message */
	}
	if (response.ok) return { ok: true, data: parsed as T };
	const e = (parsed as { error?: Partial<ApiError> } | null)?.error;
	return {
		ok: false,
		error: {
			status: response.status,
			code: typeof e?.code === 'string' ? e.code : 'error',
			message: typeof e?.message === 'string' && e.message ? e.message : m.review_request_failed({ status: response.status }),
			details: e?.details
		}
	};
}

export const post = <T = unknown>(url: string, body?: unknown) => call<T>('POST', url, body);
