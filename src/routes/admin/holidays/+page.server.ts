import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { formOf } from '#lib/server/forms.ts';
import { saveHolidays } from '#server/improvement/holidays.ts';
import { isAppError } from '#server/errors.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async ({ locals }) => {
	if (!policies.manageCalendar(locals.user!)) error(403, '只有系统管理员可以维护节假日。');
	return { holidays: await locals.services.holidays() };
};

export const actions: Actions = {
	save: async ({ locals, request }) => {
		if (!policies.manageCalendar(locals.user!)) error(403, '只有系统管理员可以维护节假日。');
		const raw = String((await formOf(request)).get('dates') ?? '');
		const dates = raw.split(/[\s,，、]+/).map((d) => d.trim()).filter(Boolean);
		const bad = dates.filter((d) => !DATE.test(d) || Number.isNaN(Date.parse(d)));
		if (bad.length) return fail(400, { error: `以下日期无效（格式应为 YYYY-MM-DD）：${bad.slice(0, 5).join('、')}` });
		try {
			const saved = await saveHolidays(locals.services, dates);
			return { ok: true, count: saved.dates.length };
		} catch (err) {
			if (isAppError(err)) return fail(err.status, { error: err.message });
			throw err;
		}
	}
};
