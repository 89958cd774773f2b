import type { Services } from '../services.ts';
import { badRequest } from '../errors.ts';
import { policies } from '../policies/index.ts';
import type { UserPatchInput, UserView } from './users.ts';

/**
 * An admin's change to an account, with its consequences: an admin cannot lock themself out,
 * and a change of access closes the user's open collaboration connections so the new access
 * applies at once (they reconnect and authenticate again, or are refused).
 */
export async function changeUser(s: Services, actorId: string, userId: string, patch: UserPatchInput): Promise<UserView> {
	if (userId === actorId && (patch.disabled || (patch.role && !policies.manageUsers({ role: patch.role }))))
		throw badRequest('不能停用自己的账号或取消自己的管理员角色。');
	const user = await s.users.update(userId, patch);
	if (patch.disabled !== undefined || patch.role || patch.unitIds || patch.password) s.collab.connections.closeUser(user.id);
	return user;
}
