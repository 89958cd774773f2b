import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { api, readBody } from '#lib/server/api.ts';
import { setSessionCookie } from '#lib/server/cookies.ts';
import { unauthorized } from '#server/errors.ts';

const LoginBody = z.object({
	username: z.string({ message: '请填写用户名。' }).trim().min(1, '请填写用户名。').max(100),
	password: z.string({ message: '请填写密码。' }).min(1, '请填写密码。').max(200)
});

export const POST = api(async (event) => {
	const { services } = event.locals;
	const body = await readBody(event.request, LoginBody);
	const userId = await services.users.checkCredentials(body.username, body.password);
	if (!userId) throw unauthorized('用户名或密码错误，或账号已停用。');
	const { token, session } = await services.sessions.create(userId);
	setSessionCookie(event, token, session.expiresAt);
	const user = await services.users.get(userId);
	return json({ token, user: { id: user.id, username: user.username, role: user.role } });
});
