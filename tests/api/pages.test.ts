import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ApiClient, demoSection, signIn, TestServer } from '../helpers/server.ts';

/**
 * Pages (not the JSON API) asked for things that do not exist, or with a bad parameter: a
 * Chinese 404 (or 400) page, never a 500; and the sign-in page never sends anyone off-site.
 */
describe('pages with unknown ids and bad parameters', () => {
	const server = new TestServer();
	let admin: ApiClient;
	let cookie: string;
	let manualId: string;
	let unitId: string;
	let sectionId: string;

	beforeAll(async () => {
		await server.start();
		admin = await signIn(server, 'jijian');
		cookie = `fk_session=${admin.token}`;
		const demo = await demoSection(admin, '设备监督管理司');
		manualId = demo.manual.id;
		unitId = demo.unit.id;
		sectionId = demo.section.id;
	});
	afterAll(() => server.dispose());

	async function page(path: string, init: RequestInit = {}) {
		const r = await fetch(server.url + path, { redirect: 'manual', ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });
		return { status: r.status, location: r.headers.get('location'), type: r.headers.get('content-type') ?? '', text: await r.text(), setCookie: r.headers.get('set-cookie') };
	}

	it('answers 404 with a Chinese page for an unknown manual, and its map and section pages', async () => {
		const other = await admin.post('/api/manuals', { title: '另一本手册' });
		expect(other.status).toBe(201);
		const deleted = await admin.post(`/api/manuals/${manualId}/sections`, { unitId, title: '将被删除的事项' });
		expect((await admin.request('DELETE', `/api/sections/${deleted.body.id}`)).status).toBe(204);
		const paths = [
			'/manuals/no-such-manual',
			'/manuals/no-such-manual/map/no-such-unit',
			`/manuals/no-such-manual/map/${unitId}`,
			'/manuals/no-such-manual/sections/no-such-section',
			`/manuals/no-such-manual/sections/${sectionId}`,
			`/manuals/${manualId}/sections/no-such-section`,
			`/manuals/${manualId}/sections/${deleted.body.id}`,
			`/manuals/${manualId}/map/no-such-unit`,
			// A real section and unit, but under another manual's address.
			`/manuals/${other.body.id}/sections/${sectionId}`,
			`/manuals/${other.body.id}/map/${unitId}`,
			'/no-such-page',
			// The edition and improvement pages.
			'/editions/no-such-edition',
			'/editions/no-such-edition/print',
			'/editions/no-such-edition/diff/no-such-other',
			'/warnings/no-such-warning/print',
			'/manuals/no-such-manual/editions',
			'/manuals/no-such-manual/measures',
			'/manuals/no-such-manual/supervision',
			'/manuals/no-such-manual/warnings'
		];
		for (const path of paths) {
			const r = await page(path);
			expect(r.status, path).toBe(404);
			expect(r.type, path).toContain('text/html');
			expect(r.text, path).toContain('返回首页');
			expect(r.text, path).toMatch(/不存在/);
			expect(r.text, path).not.toMatch(/Internal Error|服务器内部错误|at .*\.(ts|js):\d+/);
		}
	});

	it('refuses form actions on an unknown manual, or on a section of another manual, and changes nothing', async () => {
		const other = (await admin.post('/api/manuals', { title: '第三本手册' })).body.id;
		const action = async (path: string, fields: Record<string, string>) => {
			const r = await page(path, {
				method: 'POST',
				headers: { origin: server.url, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(fields)
			});
			return { ...(JSON.parse(r.text) as { type: string; status?: number; error?: { message: string }; data?: string }), http: r.status };
		};
		const units = async () => (await admin.get('/api/units')).body.map((u: { name: string }) => u.name);
		const outline = async () => (await admin.get(`/api/manuals/${manualId}`)).body.units.flatMap((u: { sections: { id: string; title: string }[] }) => u.sections);

		const before = (await outline()).map((s: { id: string }) => s.id);
		const created = await action('/manuals/no-such-manual?/createUnit', { name: '孤儿司' });
		expect(created).toMatchObject({ type: 'error', http: 404, error: { message: '手册不存在。' } });
		expect(await units()).not.toContain('孤儿司');

		for (const [name, fields] of [
			['deleteSection', { id: sectionId, confirmed: '1' }],
			['renameSection', { id: sectionId, title: '被别的手册改名' }],
			['moveSection', { id: sectionId, dir: 'down' }]
		] as const) {
			const r = await action(`/manuals/${other}?/${name}`, fields);
			expect(r, name).toMatchObject({ type: 'failure', status: 404 });
			expect(r.data, name).toContain('章节不存在。');
		}
		// Still there, in the same place, under its own name.
		expect((await outline()).map((s: { id: string }) => s.id)).toEqual(before);
		expect((await outline()).find((s: { id: string }) => s.id === sectionId)?.title).not.toBe('被别的手册改名');
	});

	it('refuses a delete form action that does not carry the confirmation, and deletes nothing', async () => {
		const post = async (path: string, c: string, fields: Record<string, string>) => {
			const r = await fetch(server.url + path, {
				method: 'POST',
				redirect: 'manual',
				headers: { cookie: c, origin: server.url, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(fields)
			});
			return JSON.parse(await r.text()) as { type: string; status?: number; data?: string };
		};
		const sections = async () => (await admin.get(`/api/manuals/${manualId}`)).body.units.flatMap((u: { sections: { id: string }[] }) => u.sections.map((s) => s.id));
		const refused = await post(`/manuals/${manualId}?/deleteSection`, cookie, { id: sectionId });
		expect(refused).toMatchObject({ type: 'failure', status: 400 });
		expect(refused.data).toContain('确定');
		expect(await sections()).toContain(sectionId);

		const sysadmin = await signIn(server, 'admin');
		const unit = (await sysadmin.post('/api/units', { name: '未确认不删司' })).body.id;
		const adminCookie = `fk_session=${sysadmin.token}`;
		expect(await post('/admin?/deleteUnit', adminCookie, { id: unit })).toMatchObject({ type: 'failure', status: 400 });
		expect((await sysadmin.get('/api/units')).body.map((u: { id: string }) => u.id)).toContain(unit);
		// With the confirmation the same posts go through.
		expect(await post('/admin?/deleteUnit', adminCookie, { id: unit, confirmed: '1' })).toMatchObject({ type: 'success' });
		expect((await sysadmin.get('/api/units')).body.map((u: { id: string }) => u.id)).not.toContain(unit);
	});

	it('answers 400, not 500, to a form action whose body is no form', async () => {
		for (const path of [`/manuals/${manualId}?/addSection`, '/?/createManual', '/login', `/manuals/${manualId}/editions?/publish`, `/manuals/${manualId}/warnings?/raise`, `/manuals/${manualId}/supervision?/open`, `/manuals/${manualId}/measures?/report`]) {
			for (const [type, body] of [
				['text/plain', 'unitId=x'],
				['multipart/form-data; boundary=zz', 'not multipart at all']
			]) {
				const r = await page(path, { method: 'POST', headers: { origin: server.url, accept: 'text/html', 'content-type': type }, body });
				expect(r.status, `${path} ${type}`).toBe(400);
				expect(r.text, `${path} ${type}`).toContain('返回首页');
			}
		}
		const sysadmin = `fk_session=${(await signIn(server, 'admin')).token}`;
		const r = await page('/admin/holidays?/save', { method: 'POST', headers: { cookie: sysadmin, origin: server.url, accept: 'text/html', 'content-type': 'text/plain' }, body: 'dates=x' });
		expect(r.status).toBe(400);
	});

	it('answers 400 with a Chinese page for a malformed address', async () => {
		const r = await page('/manuals/%E0%A4%A');
		expect(r.status).toBe(400);
		expect(r.text).toContain('返回首页');
		expect(r.text).toContain('请求无效');
		expect(r.text).not.toMatch(/Internal Error|服务器内部错误|Malformed/);
	});

	// Every one of these resolves, in a browser, to another origin (or to a protocol-relative
	// path that does): `\` counts as `/`, tabs are dropped, dot segments collapse.
	const offSite = ['/\\evil.example', '//evil.example', '/\\/evil.example', '/\t/evil.example', '/.//evil.example', '/a/..//evil.example', 'https://evil.example/', 'javascript:alert(1)'];

	it('sends a signed-in user from /login to a safe same-site path only', async () => {
		for (const next of offSite) {
			const r = await page(`/login?next=${encodeURIComponent(next)}`);
			expect(r.status, next).toBe(303);
			expect(r.location, next).toBe('/');
		}
		const good = `/manuals/${manualId}/sections/${sectionId}?from=outline`;
		const r = await page(`/login?next=${encodeURIComponent(good)}`);
		expect(r.status).toBe(303);
		expect(r.location).toBe(good);
		// Raw, unencoded backslash in the query string, as a link could carry it.
		const raw = await page('/login?next=/%5C%5Cevil.example');
		expect(raw.status).toBe(303);
		expect(raw.location).toBe('/');
	});

	it('signs in through the form and goes to a safe path, never off-site', async () => {
		const form = (next: string) =>
			fetch(`${server.url}/login?next=${encodeURIComponent(next)}`, {
				method: 'POST',
				redirect: 'manual',
				headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ username: 'duzhe', password: ADMIN_PASSWORD })
			});
		for (const next of offSite) {
			const r = await form(next);
			expect(r.status, `${next}: ${await r.text()}`).toBe(303);
			expect(r.headers.get('location'), next).toBe('/');
			expect(r.headers.get('set-cookie'), next).toMatch(/^fk_session=/);
		}
		const good = await form('/admin');
		expect(good.status).toBe(303);
		expect(good.headers.get('location')).toBe('/admin');
	});
});
