import type { Services } from '../services.ts';
import { conflict } from '../errors.ts';

/** Replaces the admin's holiday list (refused while the environment sets it). */
export async function saveHolidays(s: Services, dates: string[]) {
	if ((await s.holidays()).source === 'env') throw conflict('节假日由环境变量 HOLIDAYS 设定，请修改部署配置。');
	const value = JSON.stringify([...new Set(dates)].sort());
	await s.db
		.insertInto('settings')
		.values({ key: 'holidays', value, updated_at: Date.now() })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: Date.now() }))
		.execute();
	return s.holidays();
}
