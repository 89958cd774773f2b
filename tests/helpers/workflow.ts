import { expect } from 'vitest';
import { signIn, type ApiClient, type TestServer } from './server.ts';

/** The demo manual's units and their leaders' accounts. */
export const DEMO_LEADERS: Record<string, string> = { 科技与法制司: 'kefa_leader', 运输监督管理司: 'yunshu_leader', 设备监督管理司: 'shebei_leader' };

/** Brings every section of a manual to `accepted` the way people would: each unit's leader submits, the coordinator accepts. */
export async function acceptAll(server: TestServer, coordinator: ApiClient, manualId: string) {
	const manual = (await coordinator.get(`/api/manuals/${manualId}`)).body as { units: { name: string; sections: { id: string; state: string }[] }[] };
	for (const u of manual.units) {
		const leader = await signIn(server, DEMO_LEADERS[u.name]);
		for (const s of u.sections) {
			if (s.state === 'accepted') continue;
			const sub = await leader.post(`/api/sections/${s.id}/transition`, { action: 'submit' });
			expect(sub.status, JSON.stringify(sub.body)).toBe(200);
			const acc = await coordinator.post(`/api/sections/${s.id}/transition`, { action: 'accept' });
			expect(acc.status, JSON.stringify(acc.body)).toBe(200);
		}
	}
	return manual;
}
