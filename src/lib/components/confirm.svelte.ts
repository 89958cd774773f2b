import type { SubmitFunction } from '$app/forms';
import { CONFIRMED_FIELD } from '#lib/confirmation.ts';

export type ConfirmRequest = {
	title: string;
	message: string;
	/** Text of the confirming button; 确定 when absent. */
	confirmLabel?: string;
};

type Pending = ConfirmRequest & { answer: (ok: boolean) => void };

/** The one question on screen (ConfirmDialog shows it); a new question cancels the old one. */
export const confirmation = $state<{ pending: Pending | null }>({ pending: null });

/** Asks in the page's confirmation dialog; resolves true for 确定, false for 取消 or Esc. */
export function ask(request: ConfirmRequest): Promise<boolean> {
	confirmation.pending?.answer(false);
	return new Promise((resolve) => {
		const pending: Pending = {
			...request,
			answer: (ok) => {
				if (confirmation.pending === pending) confirmation.pending = null;
				resolve(ok);
			}
		};
		confirmation.pending = pending;
	});
}

/**
 * `use:enhance` for a form action that needs a yes first: asks, and submits only on 确定
 * (marking the submission confirmed), then goes on with `then` like a plain enhance.
 */
export function confirmFirst(request: () => ConfirmRequest, then?: SubmitFunction): SubmitFunction {
	return async (input) => {
		if (!(await ask(request()))) {
			input.cancel();
			return;
		}
		input.formData.set(CONFIRMED_FIELD, '1');
		return then?.(input);
	};
}
