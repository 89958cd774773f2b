import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { policies } from '#server/policies/index.ts';
import { isAppError } from '#server/errors.ts';
import { NewUserInput, UserPatchInput } from '#server/services/users.ts';
import { UnitInput } from '#server/services/units.ts';
import { changeUser } from '#server/services/user-admin.ts';
import type { z } from 'zod';

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

/** Runs one admin action; validation and domain errors come back to the form in Chinese. */
async function attempt<S extends z.ZodType>(
	form: string,
	schema: S,
	raw: unknown,
	run: (input: z.infer<S>) => Promise<unknown>
) {
	const parsed = schema.safeParse(raw);
	if (!parsed.success) return fail(400, { form, error: parsed.error.issues[0]?.message ?? '输入无效。' });
	try {
		await run(parsed.data);
		return { form, ok: true };
	} catch (err) {
		if (isAppError(err)) return fail(err.status, { form, error: err.message });
		throw err;
	}
}

const text = (f: FormData, k: string) => {
	const v = f.get(k);
	return typeof v === 'string' && v.trim() !== '' ? v : undefined;
};

export const actions: Actions = {
	createUser: async (event) => {
		admin(event);
		const f = await event.request.formData();
		const raw = {
			username: text(f, 'username') ?? '',
			password: text(f, 'password') ?? '',
			displayName: text(f, 'displayName') ?? '',
			role: text(f, 'role'),
			unitId: text(f, 'unitId') ?? null
		};
		return attempt('createUser', NewUserInput, raw, (input) => event.locals.services.users.create(input));
	},
	updateUser: async (event) => {
		const actor = admin(event);
		const f = await event.request.formData();
		const id = text(f, 'id') ?? '';
		const raw = {
			displayName: text(f, 'displayName'),
			role: text(f, 'role'),
			password: text(f, 'password'),
			unitIds: f.getAll('unitIds').filter((v): v is string => typeof v === 'string' && v !== ''),
			disabled: f.get('disabled') === 'on'
		};
		return attempt(`user:${id}`, UserPatchInput, raw, (patch) => changeUser(event.locals.services, actor.id, id, patch));
	},
	createUnit: async (event) => {
		admin(event);
		const f = await event.request.formData();
		return attempt('createUnit', UnitInput, { name: text(f, 'name') ?? '' }, ({ name }) =>
			event.locals.services.units.create(name)
		);
	},
	renameUnit: async (event) => {
		admin(event);
		const f = await event.request.formData();
		const id = text(f, 'id') ?? '';
		return attempt(`unit:${id}`, UnitInput, { name: text(f, 'name') ?? '' }, ({ name }) =>
			event.locals.services.units.rename(id, name)
		);
	},
	deleteUnit: async (event) => {
		admin(event);
		const f = await event.request.formData();
		const id = text(f, 'id') ?? '';
		try {
			await event.locals.services.units.remove(id);
			return { form: `unit:${id}`, ok: true };
		} catch (err) {
			if (isAppError(err)) return fail(err.status, { form: `unit:${id}`, error: err.message });
			throw err;
		}
	}
};
