import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { ROLES, type Role } from '../db/schema.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { badRequest, conflict, notFound } from '../errors.ts';

export const RoleSchema = z.enum(ROLES, { message: '角色无效。' });

export const NewUserInput = z.object({
	username: z
		.string({ message: '请填写用户名。' })
		.trim()
		.min(2, '用户名至少 2 个字符。')
		.max(40, '用户名最多 40 个字符。')
		.regex(/^[A-Za-z0-9_.-]+$/, '用户名只能包含字母、数字、下划线、点和连字符。'),
	password: z.string({ message: '请填写密码。' }).min(8, '密码至少 8 个字符。').max(200, '密码过长。'),
	displayName: z.string({ message: '请填写姓名。' }).trim().min(1, '请填写姓名。').max(60, '姓名最多 60 个字符。'),
	role: RoleSchema,
	unitId: z.string().min(1).nullish()
});
export type NewUserInput = z.infer<typeof NewUserInput>;

export const UserPatchInput = z.object({
	displayName: NewUserInput.shape.displayName.optional(),
	role: RoleSchema.optional(),
	password: NewUserInput.shape.password.optional(),
	unitIds: z.array(z.string().min(1)).max(50).optional(),
	disabled: z.boolean().optional()
});
export type UserPatchInput = z.infer<typeof UserPatchInput>;

export type UserView = {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	disabled: boolean;
	unitIds: string[];
};

export class UserService {
	private db: Db;
	constructor(db: Db) {
		this.db = db;
	}

	async create(input: NewUserInput): Promise<{ id: string }> {
		const existing = await this.db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
		if (existing) throw conflict(`用户名“${input.username}”已被使用。`);
		if (input.unitId) await this.requireUnits([input.unitId]);
		const id = crypto.randomUUID();
		const password_hash = await hashPassword(input.password);
		await this.db.transaction().execute(async (trx) => {
			await trx
				.insertInto('users')
				.values({
					id,
					username: input.username,
					display_name: input.displayName,
					password_hash,
					role: input.role,
					disabled: 0,
					created_at: Date.now()
				})
				.execute();
			if (input.unitId) await trx.insertInto('unit_members').values({ unit_id: input.unitId, user_id: id }).execute();
		});
		return { id };
	}

	async update(id: string, patch: UserPatchInput): Promise<UserView> {
		await this.get(id);
		if (patch.unitIds) await this.requireUnits(patch.unitIds);
		const password_hash = patch.password ? await hashPassword(patch.password) : undefined;
		await this.db.transaction().execute(async (trx) => {
			const set: Record<string, unknown> = {};
			if (patch.displayName !== undefined) set.display_name = patch.displayName;
			if (patch.role !== undefined) set.role = patch.role;
			if (password_hash) set.password_hash = password_hash;
			if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
			if (Object.keys(set).length) await trx.updateTable('users').set(set).where('id', '=', id).execute();
			if (patch.unitIds) {
				await trx.deleteFrom('unit_members').where('user_id', '=', id).execute();
				const unique = [...new Set(patch.unitIds)];
				if (unique.length)
					await trx.insertInto('unit_members').values(unique.map((unit_id) => ({ unit_id, user_id: id }))).execute();
			}
			// A disabled account or a changed password ends every session at once.
			if (patch.disabled || password_hash) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
		});
		return this.get(id);
	}

	async get(id: string): Promise<UserView> {
		const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
		if (!row) throw notFound('用户不存在。');
		const units = await this.db.selectFrom('unit_members').select('unit_id').where('user_id', '=', id).execute();
		return {
			id: row.id,
			username: row.username,
			displayName: row.display_name,
			role: row.role,
			disabled: !!row.disabled,
			unitIds: units.map((u) => u.unit_id)
		};
	}

	async list(): Promise<UserView[]> {
		const rows = await this.db.selectFrom('users').selectAll().orderBy('created_at').execute();
		const members = await this.db.selectFrom('unit_members').selectAll().execute();
		return rows.map((row) => ({
			id: row.id,
			username: row.username,
			displayName: row.display_name,
			role: row.role,
			disabled: !!row.disabled,
			unitIds: members.filter((m) => m.user_id === row.id).map((m) => m.unit_id)
		}));
	}

	/** The user id when the credentials are right and the account is active, else null. */
	async checkCredentials(username: string, password: string): Promise<string | null> {
		const row = await this.db
			.selectFrom('users')
			.select(['id', 'password_hash', 'disabled'])
			.where('username', '=', username)
			.executeTakeFirst();
		if (!row) {
			// Same work on unknown users, so response time does not reveal which names exist.
			dummyHash ??= hashPassword('fangkong-timing-equaliser');
			await verifyPassword(await dummyHash, password);
			return null;
		}
		const ok = await verifyPassword(row.password_hash, password);
		return ok && !row.disabled ? row.id : null;
	}

	async count(): Promise<number> {
		const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		return Number(r.n);
	}

	private async requireUnits(ids: string[]) {
		if (!ids.length) return;
		const found = await this.db.selectFrom('units').select('id').where('id', 'in', ids).execute();
		if (found.length !== new Set(ids).size) throw badRequest('所选单位不存在。');
	}
}

let dummyHash: Promise<string> | undefined;
