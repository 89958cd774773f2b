import { randomBytes } from 'node:crypto';
import type { Services } from '../services.ts';
import type { Role } from '../db/schema.ts';
import { DEMO_MANUAL, DEMO_UNITS, buildSection } from './demo-content.ts';
import { sectionToYUpdate } from '../../collab/schema/index.ts';
import { log } from '../log.ts';
import { withLock } from '../db/locks.ts';

/**
 * First start on an empty database: the `admin` account and, unless SEED_DEMO=0, the demo
 * manual with one account per role. Demo accounts share the admin's password so a newcomer
 * can sign in as two colleagues and co-edit.
 */
export async function bootstrap(s: Services): Promise<void> {
	// Instances started together on one empty database: the first seeds, the others wait for it
	// and then find accounts there.
	await withLock(s.db, 'fangkong:seed', () => seedIfEmpty(s));
}

async function seedIfEmpty(s: Services): Promise<void> {
	if ((await s.users.count()) > 0) return;
	const password = s.config.adminPassword ?? randomBytes(12).toString('base64url');
	await s.users.create({ username: 'admin', password, displayName: '系统管理员', role: 'admin' });
	if (!s.config.adminPassword) {
		// Printed once, on purpose to stdout: it is never stored in clear anywhere else.
		process.stdout.write(
			`\n  防控 Fangkong：已创建管理员账号 admin，初始密码：${password}\n  (admin account created; initial password above — change it after signing in)\n\n`
		);
	}
	log.info('created admin account');
	if (s.config.seedDemo) await seedDemo(s, password);
}

async function seedDemo(s: Services, password: string) {
	const now = Date.now();
	const manualId = crypto.randomUUID();
	await s.db
		.insertInto('manuals')
		.values({
			id: manualId,
			title: DEMO_MANUAL.title,
			edition: DEMO_MANUAL.edition,
			phase: 'self_check',
			is_sample: 1,
			created_at: now,
			// The plan gives the phases about two, two and three months; the demo starts today.
			deadlines: JSON.stringify({ self_check: dayAfter(now, 60), assessment: dayAfter(now, 120), improvement: dayAfter(now, 210) })
		})
		.execute();
	const people: { username: string; displayName: string; role: Role; unitId?: string }[] = [
		{ username: 'jijian', displayName: '纪检监察局 王敏', role: 'coordinator' },
		{ username: 'zhuanjia', displayName: '评估专家 李教授', role: 'expert' },
		{ username: 'dangzu', displayName: '局党组 赵书记', role: 'party' },
		{ username: 'duzhe', displayName: '机关干部 孙阅', role: 'reader' }
	];
	const editorNames: Record<string, [string, string, string]> = {
		kefa: ['科法司 陈静', '科法司 刘洋', '科法司 周司长'],
		yunshu: ['运输司 黄磊', '运输司 吴婷', '运输司 郑司长'],
		shebei: ['设备司 林涛', '设备司 何芳', '设备司 马司长']
	};
	for (const [u, unit] of DEMO_UNITS.entries()) {
		const { id: unitId } = await s.units.create(unit.name);
		await s.db.insertInto('manual_units').values({ manual_id: manualId, unit_id: unitId, position: u }).execute();
		const [e1, e2, leader] = editorNames[unit.key];
		people.push(
			{ username: `${unit.key}1`, displayName: e1, role: 'editor', unitId },
			{ username: `${unit.key}2`, displayName: e2, role: 'editor', unitId },
			{ username: `${unit.key}_leader`, displayName: leader, role: 'leader', unitId }
		);
		for (const [i, section] of unit.sections.entries()) {
			const created = await s.sections.create({ manualId, unitId, title: section.title, position: i });
			await s.store.replace(created.doc, sectionToYUpdate(buildSection(section)));
		}
	}
	for (const p of people) await s.users.create({ ...p, password });
	log.info('seeded demo manual', { manualId, accounts: people.length });
}

/** The date `days` after `ms`, as YYYY-MM-DD in Beijing time. */
function dayAfter(ms: number, days: number): string {
	return new Date(ms + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
}
