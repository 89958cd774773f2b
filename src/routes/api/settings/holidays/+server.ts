import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { api, readBody, requireAllowed, requireUser } from '#lib/server/api.ts';
import { saveHolidays } from '#server/improvement/holidays.ts';
import { policies } from '#server/policies/index.ts';

const HolidaysInput = z.object({
	dates: z
		.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD。').refine((d) => !Number.isNaN(Date.parse(d)), '日期无效。'), { message: '请提供节假日列表。' })
		.max(400, '节假日最多 400 天。')
});

/** The holiday list behind working-day limits, and where it comes from (环境变量 / 管理员 / 内置). */
export const GET = api(async (event) => {
	requireUser(event);
	return json(await event.locals.services.holidays());
});

export const PUT = api(async (event) => {
	requireAllowed(event, policies.manageCalendar);
	const { dates } = await readBody(event.request, HolidaysInput);
	return json(await saveHolidays(event.locals.services, dates));
});
