import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { api, readBody } from '#lib/server/api.ts';
import { setSessionCookie } from '#lib/server/cookies.ts';
import { signIn } from '#server/auth/login.ts';
import { clientAddress } from '#server/http/client-address.ts';

const LoginBody = z.object({
	username: z.string({ message: '请填写用户名。' }).trim().min(1, '请填写用户名。').max(100),
	password: z.string({ message: '请填写密码。' }).min(1, '请填写密码。').max(200)
});

export const POST = api(async (event) => {
	const { services } = event.locals;
	const body = await readBody(event.request, LoginBody);
	const { userId, token, session } = await signIn(services, body.username, body.password, clientAddress(event, services.config.trustProxy));
	setSessionCookie(event, token, session.expiresAt);
	const user = await services.users.get(userId);
	return json({ token, user: { id: user.id, username: user.username, role: user.role } });
});
