import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { policies } from '#server/policies/index.ts';
import { confirmedAction, formOf, validatedAction } from '#lib/server/forms.ts';
import { NewUserInput, UserPatchInput } from '#server/services/users.ts';
import { UnitInput } from '#server/services/units.ts';
import { changeUser } from '#server/services/user-admin.ts';

function admin(event: RequestEvent) {
	const user = event.locals.user;
	if (!user || !policies.manageUsers(user)) error(403, '只有系统管理员可以管理账号和单位。');
	return user;
}

export const load: PageServerLoad = async (event) => {
	admin(event);
	const { users, units } = event.locals.services;
	return { users: await users.list(), units: await units.list() };
};

const text = (f: FormData, k: string) => {
	const v = f.get(k);
	return typeof v === 'string' && v.trim() !== '' ? v : undefined;
};

export const actions: Actions = {
	createUser: async (event) => {
		admin(event);
		const f = await formOf(event.request);
		const raw = {
			username: text(f, 'username') ?? '',
			password: text(f, 'password') ?? '',
			displayName: text(f, 'displayName') ?? '',
			role: text(f, 'role'),
			unitId: text(f, 'unitId') ?? null
		};
		return validatedAction('createUser', NewUserInput, raw, (input) => event.locals.services.users.create(input));
	},
	updateUser: async (event) => {
		const actor = admin(event);
		const f = await formOf(event.request);
		const id = text(f, 'id') ?? '';
		const raw = {
			displayName: text(f, 'displayName'),
			role: text(f, 'role'),
			password: text(f, 'password'),
			unitIds: f.getAll('unitIds').filter((v): v is string => typeof v === 'string' && v !== ''),
			disabled: f.get('disabled') === 'on'
		};
		return validatedAction(`user:${id}`, UserPatchInput, raw, (patch) => changeUser(event.locals.services, actor.id, id, patch));
	},
	createUnit: async (event) => {
		admin(event);
		const f = await formOf(event.request);
		return validatedAction('createUnit', UnitInput, { name: text(f, 'name') ?? '' }, ({ name }) =>
			event.locals.services.units.create(name)
		);
	},
	renameUnit: async (event) => {
		admin(event);
		const f = await formOf(event.request);
		const id = text(f, 'id') ?? '';
		return validatedAction(`unit:${id}`, UnitInput, { name: text(f, 'name') ?? '' }, ({ name }) =>
			event.locals.services.units.rename(id, name)
		);
	},
	deleteUnit: async (event) => {
		admin(event);
		const f = await formOf(event.request);
		const id = text(f, 'id') ?? '';
		return confirmedAction(`unit:${id}`, f, () => event.locals.services.units.remove(id));
	}
};
