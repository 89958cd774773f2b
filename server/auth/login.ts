import { AppError, unauthorized } from '../errors.ts';
import type { SessionService, Session } from './sessions.ts';
import type { UserService } from '../services/users.ts';
import type { LoginThrottle } from './throttle.ts';

/** Checks credentials and opens a session; the one sign-in path for the page and the API. */
export async function signIn(
	deps: { users: UserService; sessions: SessionService; throttle: LoginThrottle },
	username: string,
	password: string,
	/** Where the attempt came from (`server/http/client-address.ts`): throttling is per address. */
	address: string
): Promise<{ userId: string; token: string; session: Session }> {
	const wait = await deps.throttle.blockedFor(username, address);
	if (wait > 0) throw new AppError('too_many_requests', `登录失败次数过多，请 ${wait} 分钟后再试，或联系系统管理员。`);
	const userId = await deps.users.checkCredentials(username, password);
	if (!userId) {
		await deps.throttle.fail(username, address);
		throw unauthorized('用户名或密码错误，或账号已停用。');
	}
	await deps.throttle.succeed(username, address);
	const { token, session } = await deps.sessions.create(userId);
	return { userId, token, session };
}
