/**
 * A failure the user should hear about. `message` is Chinese and safe to show;
 * anything else thrown is logged for operators and answered as a generic 500.
 */
export type ErrorCode =
	| 'bad_request'
	| 'unauthorized'
	| 'forbidden'
	| 'not_found'
	| 'conflict'
	| 'internal';

const statusOf: Record<ErrorCode, number> = {
	bad_request: 400,
	unauthorized: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	internal: 500
};

export class AppError extends Error {
	readonly code: ErrorCode;
	readonly status: number;
	constructor(code: ErrorCode, message: string) {
		super(message);
		this.code = code;
		this.status = statusOf[code];
	}
}

export const badRequest = (message: string) => new AppError('bad_request', message);
export const unauthorized = (message = '请先登录。') => new AppError('unauthorized', message);
export const forbidden = (message = '您没有执行此操作的权限。') => new AppError('forbidden', message);
export const notFound = (message = '请求的内容不存在。') => new AppError('not_found', message);
export const conflict = (message: string) => new AppError('conflict', message);

export function isAppError(err: unknown): err is AppError {
	// Checked by shape, not instanceof: the bundled SvelteKit server and the
	// unbundled entry may each hold their own copy of this class.
	return (
		typeof err === 'object' &&
		err !== null &&
		typeof (err as AppError).code === 'string' &&
		typeof (err as AppError).status === 'number' &&
		(err as Error).name === 'Error' &&
		'code' in err && (err as AppError).code in statusOf
	);
}

export function errorBody(err: AppError) {
	return { error: { code: err.code, message: err.message } };
}
