import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient, TestServer } from '../helpers/server.ts';

describe('first start on an empty database', () => {
	const server = new TestServer({ ADMIN_PASSWORD: '', SEED_DEMO: '0', LOG_LEVEL: 'info' });
	afterAll(() => server.dispose());

	it('creates admin with a random password printed once, and no demo manual when SEED_DEMO=0', async () => {
		await server.start();
		const printed = server.output.match(/初始密码：(\S+)/)?.[1];
		expect(printed, server.output).toMatch(/^[A-Za-z0-9_-]{16}$/);
		const admin = await new ApiClient(server.url).login('admin', printed!);
		expect((await admin.get('/api/me')).body.role).toBe('admin');
		expect((await admin.get('/api/manuals')).body).toEqual([]);
		expect((await admin.get('/api/users')).body).toHaveLength(1);

		server.output = '';
		await server.restart();
		expect(server.output).not.toContain(printed!);
		expect((await new ApiClient(server.url).post('/api/auth/login', { username: 'admin', password: printed })).status).toBe(200);
	});
});
