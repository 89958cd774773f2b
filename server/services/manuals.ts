import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import type { Manual, Phase, SectionState } from '../db/schema.ts';
import { badRequest, notFound } from '../errors.ts';
import { parseDeadlines } from '../workflow/progress.ts';

export const NewManualInput = z.object({
	title: z.string({ message: '请填写手册名称。' }).trim().min(1, '请填写手册名称。').max(100, '手册名称最多 100 个字符。'),
	edition: z.string().trim().max(40, '版本说明最多 40 个字符。').default('')
});
export const ManualUnitInput = z.object({ unitId: z.string({ message: '请选择单位。' }).min(1, '请选择单位。') });

/** `editionId`: the last edition the section appeared in (readers read that). */
export type SectionSummary = { id: string; title: string; doc: string; state: SectionState; editionId: string | null };
export type ManualOutline = {
	id: string;
	title: string;
	phase: Phase;
	edition: string;
	isSample: boolean;
	deadlines: Partial<Record<Phase, string>>;
	units: { id: string; name: string; sections: SectionSummary[] }[];
};

export class ManualService {
	private db: Db;
	constructor(db: Db) {
		this.db = db;
	}

	async list(): Promise<{ id: string; title: string; phase: Phase }[]> {
		return this.db.selectFrom('manuals').select(['id', 'title', 'phase']).orderBy('created_at').execute();
	}

	async create(input: z.infer<typeof NewManualInput>): Promise<{ id: string }> {
		const id = crypto.randomUUID();
		await this.db
			.insertInto('manuals')
			.values({ id, title: input.title, edition: input.edition, phase: 'self_check', is_sample: 0, created_at: Date.now() })
			.execute();
		return { id };
	}

	/** Makes a unit a chapter of the manual (idempotent). */
	async addUnit(manualId: string, unitId: string): Promise<void> {
		await this.get(manualId);
		const unit = await this.db.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst();
		if (!unit) throw badRequest('所选单位不存在。');
		const last = await this.db
			.selectFrom('manual_units')
			.select((eb) => eb.fn.max('position').as('p'))
			.where('manual_id', '=', manualId)
			.executeTakeFirst();
		await this.db
			.insertInto('manual_units')
			.values({ manual_id: manualId, unit_id: unitId, position: Number(last?.p ?? -1) + 1 })
			.onConflict((oc) => oc.columns(['manual_id', 'unit_id']).doNothing())
			.execute();
	}

	async get(id: string): Promise<Manual> {
		const m = await this.db.selectFrom('manuals').selectAll().where('id', '=', id).executeTakeFirst();
		if (!m) throw notFound('手册不存在。');
		return m;
	}

	/** The manual with its units (in manual order) and their live sections (in unit order). */
	async outline(id: string): Promise<ManualOutline> {
		const manual = await this.get(id);
		const units = await this.db
			.selectFrom('manual_units')
			.innerJoin('units', 'units.id', 'manual_units.unit_id')
			.select(['units.id', 'units.name'])
			.where('manual_units.manual_id', '=', id)
			.orderBy('manual_units.position')
			.execute();
		const sections = await this.db
			.selectFrom('sections')
			.select(['id', 'title', 'doc', 'state', 'unit_id', 'edition_id'])
			.where('manual_id', '=', id)
			.where('deleted_at', 'is', null)
			.orderBy('position')
			.execute();
		return {
			id: manual.id,
			title: manual.title,
			phase: manual.phase,
			edition: manual.edition,
			isSample: !!manual.is_sample,
			deadlines: parseDeadlines(manual.deadlines),
			units: units.map((u) => ({
				id: u.id,
				name: u.name,
				sections: sections
					.filter((s) => s.unit_id === u.id)
					.map(({ id, title, doc, state, edition_id }) => ({ id, title, doc, state, editionId: edition_id }))
			}))
		};
	}
}
