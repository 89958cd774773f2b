import { AppError, unauthorized } from '../errors.ts';
import type { SessionService, Session } from './sessions.ts';
import type { UserService } from '../services/users.ts';

const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES = 8;

/**
 * Slows password guessing: after MAX_FAILURES failed sign-ins for one account within
 * WINDOW_MS, that account refuses sign-in until the window has passed. In memory, per process.
 */
export class LoginThrottle {
	private failures = new Map<string, number[]>();

	private recent(key: string, now: number): number[] {
		const list = (this.failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
		if (list.length) this.failures.set(key, list);
		else this.failures.delete(key);
		return list;
	}

	/** Minutes until the account may try again, or 0. */
	blockedFor(username: string, now = Date.now()): number {
		const list = this.recent(username.toLowerCase(), now);
		if (list.length < MAX_FAILURES) return 0;
		return Math.ceil((list[0] + WINDOW_MS - now) / 60_000);
	}

	fail(username: string, now = Date.now()) {
		const key = username.toLowerCase();
		this.failures.set(key, [...this.recent(key, now), now]);
	}

	succeed(username: string) {
		this.failures.delete(username.toLowerCase());
	}
}

/** Checks credentials and opens a session; the one sign-in path for the page and the API. */
export async function signIn(
	deps: { users: UserService; sessions: SessionService; throttle: LoginThrottle },
	username: string,
	password: string
): Promise<{ userId: string; token: string; session: Session }> {
	const wait = deps.throttle.blockedFor(username);
	if (wait > 0) throw new AppError('too_many_requests', `登录失败次数过多，请 ${wait} 分钟后再试，或联系系统管理员。`);
	const userId = await deps.users.checkCredentials(username, password);
	if (!userId) {
		deps.throttle.fail(username);
		throw unauthorized('用户名或密码错误，或账号已停用。');
	}
	deps.throttle.succeed(username);
	const { token, session } = await deps.sessions.create(userId);
	return { userId, token, session };
}
