import type { Db } from '../db/connect.ts';
import type { Manual, Phase, SectionState } from '../db/schema.ts';
import { notFound } from '../errors.ts';

export type SectionSummary = { id: string; title: string; doc: string; state: SectionState };
export type ManualOutline = {
	id: string;
	title: string;
	phase: Phase;
	edition: string;
	isSample: boolean;
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
			.select(['id', 'title', 'doc', 'state', 'unit_id'])
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
			units: units.map((u) => ({
				id: u.id,
				name: u.name,
				sections: sections
					.filter((s) => s.unit_id === u.id)
					.map(({ id, title, doc, state }) => ({ id, title, doc, state }))
			}))
		};
	}
}
