import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { api, readBody, requireAllowed, requireUser } from '#lib/server/api.ts';
import { conflict } from '#server/errors.ts';
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
	const s = event.locals.services;
	if ((await s.holidays()).source === 'env') throw conflict('节假日由环境变量 HOLIDAYS 设定，请修改部署配置。');
	const value = JSON.stringify([...new Set(dates)].sort());
	await s.db
		.insertInto('settings')
		.values({ key: 'holidays', value, updated_at: Date.now() })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: Date.now() }))
		.execute();
	return json(await s.holidays());
});
