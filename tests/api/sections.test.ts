import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';
import { CollabClient, until } from '../helpers/collab-client.ts';
import { powerItemOf, riskRowsOf } from '../../collab/schema/extract.ts';

describe('section blocks and section management over the API', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let coordinator: ApiClient;
	let editor: ApiClient;
	let manualId: string;
	let unitId: string;

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'admin');
		coordinator = await signIn(server, 'jijian');
		editor = await signIn(server, 'shebei1');
		const d = await demoSection(admin, '设备监督管理司');
		manualId = d.manual.id;
		unitId = d.unit.id;
	});
	afterAll(() => server.dispose());

	it('renders every block of a section as JSON, flowcharts included', async () => {
		const { section } = await demoSection(admin, '设备监督管理司');
		const r = await editor.get(`/api/sections/${section.id}`);
		expect(r.status).toBe(200);
		const types = r.body.content.content.map((n: { type: string }) => n.type);
		expect(types).toEqual(expect.arrayContaining(['powerItem', 'flowchart', 'riskTable']));
		const card = powerItemOf(r.body.content)!;
		expect(card.fields.name).toBe(section.title);
		expect(card.fields.code).toMatch(/^GTJ-/);
		expect(card.basis[0].law).toContain('铁路机车车辆');
		const flowNode = r.body.content.content.find((n: { type: string }) => n.type === 'flowchart');
		const chart = r.body.flowcharts[flowNode.attrs.id];
		expect(Object.values(chart.nodes).map((s: any) => s.label)).toEqual(expect.arrayContaining(['受理', '补正告知', '技术审查', '许可决定']));
		const supplement: any = Object.values(chart.nodes).find((s: any) => s.label === '补正告知');
		expect(supplement.limitDays).toBe(5);
		const rows = riskRowsOf(r.body.content);
		expect(rows.length).toBeGreaterThanOrEqual(3);
		for (const row of rows) {
			expect(['high', 'medium', 'low']).toContain(row.level);
			expect(chart.nodes[row.stepId!]).toBeDefined();
			expect(row.cells.point).not.toBe('');
		}
	});

	it('lets a coordinator add a section from the template, rename, reorder, delete and restore it', async () => {
		const created = await coordinator.post(`/api/manuals/${manualId}/sections`, { unitId, title: '铁路机车车辆驾驶人员培训机构备案' });
		expect(created.status).toBe(201);
		const id = created.body.id;
		expect(created.body.doc).toBe(`section:${id}`);
		const fresh = await editor.get(`/api/sections/${id}`);
		expect(powerItemOf(fresh.body.content)?.fields.name).toBe('铁路机车车辆驾驶人员培训机构备案');
		expect(Object.values(fresh.body.flowcharts as Record<string, { nodes: object }>)[0].nodes).toBeDefined();
		expect(riskRowsOf(fresh.body.content)).toHaveLength(1);

		const renamed = await coordinator.patch(`/api/sections/${id}`, { title: '驾驶人员培训机构备案' });
		expect(renamed.status).toBe(200);
		expect(renamed.body.title).toBe('驾驶人员培训机构备案');

		const order = async () => (await admin.get(`/api/manuals/${manualId}`)).body.units.find((u: any) => u.id === unitId).sections.map((s: any) => s.id);
		expect((await order()).at(-1)).toBe(id);
		expect((await coordinator.patch(`/api/sections/${id}`, { move: 'up' })).status).toBe(200);
		const after = await order();
		expect(after.indexOf(id)).toBe(after.length - 2);

		// A unit editor with the section open is disconnected when it is deleted.
		const live = await new CollabClient(server.wsUrl, created.body.doc, editor.token!).synced();
		expect((await coordinator.request('DELETE', `/api/sections/${id}`)).status).toBe(204);
		await until(() => live.closes.includes('access-changed'), 'live connection closed');
		await until(() => live.authFailed !== null, 'reconnect refused');
		live.destroy();
		expect((await editor.get(`/api/sections/${id}`)).status).toBe(404);
		expect((await order()).includes(id)).toBe(false);
		const trash = await coordinator.get(`/api/manuals/${manualId}/trash`);
		expect(trash.body.map((t: any) => t.id)).toContain(id);

		expect((await coordinator.post(`/api/sections/${id}/restore`)).status).toBe(200);
		const back = await editor.get(`/api/sections/${id}`);
		expect(back.status).toBe(200);
		expect(powerItemOf(back.body.content)?.fields.name).toBe('铁路机车车辆驾驶人员培训机构备案');
		expect((await order()).includes(id)).toBe(true);
	});

	it('keeps section management to coordinators and admins, with clear errors', async () => {
		const { section } = await demoSection(admin, '设备监督管理司');
		const denied = await editor.post(`/api/manuals/${manualId}/sections`, { unitId, title: 'x' });
		expect(denied.status).toBe(403);
		expect(denied.body.error.code).toBe('forbidden');
		expect((await editor.patch(`/api/sections/${section.id}`, { title: 'x' })).status).toBe(403);
		expect((await editor.request('DELETE', `/api/sections/${section.id}`)).status).toBe(403);
		const empty = await coordinator.post(`/api/manuals/${manualId}/sections`, { unitId, title: '  ' });
		expect(empty.status).toBe(400);
		expect(empty.body.error.message).toMatch(/名称/);
		const wrongUnit = await coordinator.post(`/api/manuals/${manualId}/sections`, { unitId: 'nope', title: '某事项' });
		expect(wrongUnit.status).toBe(400);
		expect((await coordinator.post(`/api/sections/nope/restore`)).status).toBe(404);
		const manual = await coordinator.post('/api/manuals', { title: '国家铁路局非行政许可审批廉政风险防控手册', edition: '2015年版' });
		expect(manual.status).toBe(201);
		expect((await coordinator.post(`/api/manuals/${manual.body.id}/units`, { unitId })).status).toBe(201);
		const outline = await coordinator.get(`/api/manuals/${manual.body.id}`);
		expect(outline.body.units.map((u: any) => u.id)).toEqual([unitId]);
	});
});
