import type { ApiResult } from './api.ts';

/**
 * One form's request to the API: busy while it runs (the button waits), and the server's
 * Chinese message when refused (the form keeps what was typed and shows it).
 */
export class FormRequest {
	busy = $state(false);
	error = $state<string | null>(null);

	async run<T>(send: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
		this.busy = true;
		this.error = null;
		const r = await send();
		this.busy = false;
		if (!r.ok) this.error = r.error.message;
		return r;
	}
}
