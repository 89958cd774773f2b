import { fail } from '@sveltejs/kit';
import type { z } from 'zod';
import { badRequest, isAppError } from '#server/errors.ts';
import { CONFIRMED_FIELD } from '#lib/confirmation.ts';

/**
 * The posted form. A body that is no form (another content type, broken multipart) is the
 * client's mistake: 400 with a Chinese page, not the TypeError `formData()` throws.
 */
export async function formOf(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch {
		throw badRequest('提交的表单无效，请刷新页面后重试。');
	}
}

/**
 * Form actions of the pages share one way to answer: `{ form, ok }` on success, and on a
 * validation or domain error `fail(status, { form, error })` with the Chinese message, so the
 * page shows it next to the form named `form`. Anything else is a bug and goes to handleError.
 */
export async function runAction(form: string, run: () => Promise<unknown>) {
	try {
		await run();
		return { form, ok: true as const };
	} catch (err) {
		if (isAppError(err)) return fail(err.status, { form, error: err.message });
		throw err;
	}
}

/** `runAction` after validating `raw` with `schema` (the same schema the JSON API uses). */
export async function validatedAction<S extends z.ZodType>(form: string, schema: S, raw: unknown, run: (input: z.infer<S>) => Promise<unknown>) {
	const parsed = schema.safeParse(raw);
	if (!parsed.success) return fail(400, { form, error: parsed.error.issues[0]?.message ?? '输入无效。' });
	return runAction(form, () => run(parsed.data));
}

/**
 * `runAction` for a destructive action: refused unless the post says the user confirmed it
 * (`confirmFirst` in the page adds the field after 确定), so no script, no deletion.
 */
export async function confirmedAction(form: string, data: FormData, run: () => Promise<unknown>) {
	if (data.get(CONFIRMED_FIELD) !== '1') return fail(400, { form, error: '请在确认对话框中点击“确定”后再执行此操作。' });
	return runAction(form, run);
}
