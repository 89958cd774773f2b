/**
 * A failure the user should hear about. `message` is Chinese and safe to show;
 * anything else thrown is logged for operators and answered as a generic 500.
 */
export type ErrorCode =
	| 'bad_request'
	| 'unauthorized'
	| 'forbidden'
	| 'not_found'
	| 'method_not_allowed'
	| 'conflict'
	| 'invalid_transition'
	| 'wrong_phase'
	| 'not_ready'
	| 'checklist_failed'
	| 'payload_too_large'
	| 'too_many_requests'
	| 'internal';

const statusOf: Record<ErrorCode, number> = {
	bad_request: 400,
	unauthorized: 401,
	forbidden: 403,
	not_found: 404,
	method_not_allowed: 405,
	conflict: 409,
	invalid_transition: 409,
	wrong_phase: 409,
	not_ready: 409,
	checklist_failed: 422,
	payload_too_large: 413,
	too_many_requests: 429,
	internal: 500
};

export class AppError extends Error {
	readonly code: ErrorCode;
	readonly status: number;
	/** Machine-readable particulars (the failed checks, the sections not ready …). */
	readonly details?: unknown;
	constructor(code: ErrorCode, message: string, status: number = statusOf[code], details?: unknown) {
		super(message);
		this.code = code;
		this.status = status;
		this.details = details;
	}
}

export const badRequest = (message: string) => new AppError('bad_request', message);
export const unauthorized = (message = '请先登录。') => new AppError('unauthorized', message);
export const forbidden = (message = '您没有执行此操作的权限。') => new AppError('forbidden', message);
export const notFound = (message = '请求的内容不存在。') => new AppError('not_found', message);
export const conflict = (message: string) => new AppError('conflict', message);
export const invalidTransition = (message: string) => new AppError('invalid_transition', message);

export function isAppError(err: unknown): err is AppError {
	// Checked by shape, not instanceof: the bundled SvelteKit server and the
	// unbundled entry may each hold their own copy of this class.
	return err instanceof Error && typeof (err as AppError).status === 'number' && (err as AppError).code in statusOf;
}

/**
 * The error for a bare HTTP status that something other than our handlers produced
 * (SvelteKit's 405 for an unsupported method, its 400 for a malformed URL, …).
 */
export function errorForStatus(status: number): AppError {
	switch (status) {
		case 401: return unauthorized();
		case 403: return forbidden();
		case 404: return notFound('接口不存在。');
		case 405: return new AppError('method_not_allowed', '该接口不支持此请求方法。');
		case 409: return conflict('请求与当前状态冲突。');
		case 413: return new AppError('payload_too_large', '请求体过大。');
	}
	// Any other status keeps its number (415, 503, …) and only gets our shape.
	if (status >= 500) return new AppError('internal', '服务器内部错误，请稍后重试。', status);
	return new AppError('bad_request', '请求无效。', status);
}

export const withDetails = (code: ErrorCode, message: string, details: unknown) => new AppError(code, message, statusOf[code], details);

export function errorBody(err: AppError) {
	return { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } };
}
