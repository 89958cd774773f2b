import { api } from '#lib/server/api.ts';
import { notFound } from '#server/errors.ts';

/** Any API path without a route answers with the JSON error shape, not an HTML page. */
const missing = api(async () => {
	throw notFound('接口不存在。');
});
export const GET = missing;
export const POST = missing;
export const PUT = missing;
export const PATCH = missing;
export const DELETE = missing;
// Any other method (OPTIONS, …) on a path that does not exist is a 404 too, not a 405.
export const fallback = missing;
