import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { conflict, notFound } from '../errors.ts';

export const UnitInput = z.object({
	name: z.string({ message: '请填写单位名称。' }).trim().min(1, '请填写单位名称。').max(60, '单位名称最多 60 个字符。')
});

export type UnitView = { id: string; name: string; position: number; memberCount: number; sectionCount: number };

export class UnitService {
	private db: Db;
	constructor(db: Db) {
		this.db = db;
	}

	async list(): Promise<UnitView[]> {
		const rows = await this.db
			.selectFrom('units')
			.leftJoin('unit_members', 'unit_members.unit_id', 'units.id')
			.select((eb) => [
				'units.id',
				'units.name',
				'units.position',
				eb.fn.count<number>('unit_members.user_id').as('memberCount'),
				eb
					.selectFrom('sections')
					.select((s) => s.fn.countAll<number>().as('n'))
					.whereRef('sections.unit_id', '=', 'units.id')
					.where('sections.deleted_at', 'is', null)
					.as('sectionCount')
			])
			.groupBy(['units.id', 'units.name', 'units.position'])
			.orderBy('units.position')
			.orderBy('units.name')
			.execute();
		return rows.map((r) => ({ ...r, memberCount: Number(r.memberCount), sectionCount: Number(r.sectionCount ?? 0) }));
	}

	async create(name: string): Promise<{ id: string }> {
		await this.assertFreeName(name);
		const id = crypto.randomUUID();
		const last = await this.db.selectFrom('units').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
		await this.db
			.insertInto('units')
			.values({ id, name, position: Number(last?.p ?? 0) + 1, created_at: Date.now() })
			.execute();
		return { id };
	}

	async rename(id: string, name: string): Promise<void> {
		await this.assertFreeName(name, id);
		const r = await this.db.updateTable('units').set({ name }).where('id', '=', id).executeTakeFirst();
		if (!r.numUpdatedRows) throw notFound('单位不存在。');
	}

	/**
	 * Deletes a unit for good, so only one that holds nothing: no sections (also none in a
	 * recycle bin: they would lose their unit) and no members (they would silently lose their
	 * access). Anything else is refused with what is in the way.
	 */
	async remove(id: string): Promise<void> {
		// One transaction: nobody joins the unit or gets a section in it between check and delete.
		await this.db.transaction().execute(async (trx) => {
			const unit = await trx.selectFrom('units').select('id').where('id', '=', id).executeTakeFirst();
			if (!unit) throw notFound('单位不存在。');
			const count = async (table: 'sections' | 'unit_members') =>
				Number((await trx.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('unit_id', '=', id).executeTakeFirstOrThrow()).n);
			const sections = await count('sections');
			if (sections > 0) throw conflict(`该单位在手册中有 ${sections} 个章节（含回收站中的），不能删除。`);
			const members = await count('unit_members');
			if (members > 0) throw conflict(`该单位还有 ${members} 名成员，请先在账号管理中将他们移出该单位，再删除。`);
			await trx.deleteFrom('units').where('id', '=', id).execute();
		});
	}

	private async assertFreeName(name: string, exceptId?: string) {
		let q = this.db.selectFrom('units').select('id').where('name', '=', name);
		if (exceptId) q = q.where('id', '!=', exceptId);
		if (await q.executeTakeFirst()) throw conflict(`单位“${name}”已存在。`);
	}
}
