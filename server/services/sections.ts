import * as Y from 'yjs';
import type { Db } from '../db/connect.ts';
import type { Manual, Section } from '../db/schema.ts';
import { z } from 'zod';
import { badRequest, notFound } from '../errors.ts';
import type { DocumentStore } from '../documents/store.ts';
import { readSection, sectionToYUpdate } from '../../collab/schema/index.ts';
import { newSectionTemplate } from '../../collab/schema/template.ts';
import type { FlowchartData } from '../../collab/schema/flowchart.ts';

const Title = z.string({ message: '请填写职权事项名称。' }).trim().min(1, '请填写职权事项名称。').max(100, '名称最多 100 个字符。');
export const NewSectionInput = z.object({ unitId: z.string({ message: '请选择单位。' }).min(1, '请选择单位。'), title: Title });
export const SectionPatchInput = z.object({ title: Title.optional(), move: z.enum(['up', 'down']).optional() });

export const SECTION_DOC_PREFIX = 'section:';
export const docNameOf = (sectionId: string) => `${SECTION_DOC_PREFIX}${sectionId}`;

export class SectionService {
	private db: Db;
	private store: DocumentStore;
	/** The collaboration server's loaded copy of a document, when it has one (set once collab exists). */
	liveDoc: (doc: string) => Y.Doc | undefined = () => undefined;
	constructor(db: Db, store: DocumentStore) {
		this.db = db;
		this.store = store;
	}

	/**
	 * Runs `read` on the section's document: the collaboration server's live copy when it is
	 * loaded (it holds exactly the stored, confirmed edits), else one rebuilt from storage.
	 */
	async withDoc<T>(section: Pick<Section, 'doc'>, read: (doc: Y.Doc) => T): Promise<T> {
		const live = this.liveDoc(section.doc);
		if (live) return read(live);
		const ydoc = (await this.store.loadDoc(section.doc)) ?? new Y.Doc();
		try {
			return read(ydoc);
		} finally {
			ydoc.destroy();
		}
	}

	async get(id: string): Promise<Section> {
		const s = await this.db
			.selectFrom('sections')
			.selectAll()
			.where('id', '=', id)
			.where('deleted_at', 'is', null)
			.executeTakeFirst();
		if (!s) throw notFound('章节不存在。');
		return s;
	}

	/** The section behind a collaboration document name, with its manual; null when there is none. */
	async byDoc(doc: string): Promise<{ section: Section; manual: Manual } | null> {
		if (!doc.startsWith(SECTION_DOC_PREFIX)) return null;
		const section = await this.db
			.selectFrom('sections')
			.selectAll()
			.where('doc', '=', doc)
			.where('deleted_at', 'is', null)
			.executeTakeFirst();
		if (!section) return null;
		const manual = await this.db.selectFrom('manuals').selectAll().where('id', '=', section.manual_id).executeTakeFirstOrThrow();
		return { section, manual };
	}

	async manualOf(section: Section): Promise<Manual> {
		return this.db.selectFrom('manuals').selectAll().where('id', '=', section.manual_id).executeTakeFirstOrThrow();
	}

	/**
	 * Section text as ProseMirror JSON and its flowcharts as plain data, read from durable
	 * storage (every confirmed edit is there), so no Yjs client is needed to read a section.
	 */
	async content(section: Pick<Section, 'doc'>): Promise<{ content: Record<string, unknown>; flowcharts: Record<string, FlowchartData> }> {
		return this.withDoc(section, readSection);
	}

	/** A new section at the end of its unit, starting from the section template. */
	async createFromTemplate(manualId: string, input: z.infer<typeof NewSectionInput>): Promise<Section> {
		const inManual = await this.db
			.selectFrom('manual_units')
			.select('unit_id')
			.where('manual_id', '=', manualId)
			.where('unit_id', '=', input.unitId)
			.executeTakeFirst();
		if (!inManual) throw badRequest('该单位不在本手册中，请先把单位加入手册。');
		const last = await this.db
			.selectFrom('sections')
			.select((eb) => eb.fn.max('position').as('p'))
			.where('manual_id', '=', manualId)
			.where('unit_id', '=', input.unitId)
			.executeTakeFirst();
		const section = await this.create({ manualId, unitId: input.unitId, title: input.title, position: Number(last?.p ?? -1) + 1 });
		await this.store.replace(section.doc, sectionToYUpdate(newSectionTemplate(input.title)));
		return section;
	}

	async rename(id: string, title: string): Promise<void> {
		await this.get(id);
		await this.db.updateTable('sections').set({ title }).where('id', '=', id).execute();
	}

	/** Swaps a section with its neighbour inside its unit. */
	async move(id: string, dir: 'up' | 'down'): Promise<void> {
		const s = await this.get(id);
		const siblings = await this.db
			.selectFrom('sections')
			.select(['id', 'position'])
			.where('manual_id', '=', s.manual_id)
			.where('unit_id', '=', s.unit_id)
			.where('deleted_at', 'is', null)
			.orderBy('position')
			.orderBy('created_at')
			.execute();
		const i = siblings.findIndex((x) => x.id === id);
		const j = dir === 'up' ? i - 1 : i + 1;
		if (j < 0 || j >= siblings.length) return;
		[siblings[i], siblings[j]] = [siblings[j], siblings[i]];
		await this.db.transaction().execute(async (trx) => {
			for (const [pos, x] of siblings.entries()) await trx.updateTable('sections').set({ position: pos }).where('id', '=', x.id).execute();
		});
	}

	/** Moves a section to the manual's recycle bin; its document is kept and can be restored. */
	async softDelete(id: string): Promise<Section> {
		const s = await this.get(id);
		await this.db.updateTable('sections').set({ deleted_at: Date.now() }).where('id', '=', id).execute();
		return s;
	}

	async restore(id: string): Promise<void> {
		const r = await this.db.updateTable('sections').set({ deleted_at: null }).where('id', '=', id).where('deleted_at', 'is not', null).executeTakeFirst();
		if (!r.numUpdatedRows) throw notFound('回收站中没有这个章节。');
	}

	async deleted(manualId: string) {
		return this.db
			.selectFrom('sections')
			.innerJoin('units', 'units.id', 'sections.unit_id')
			.select(['sections.id', 'sections.title', 'sections.unit_id as unitId', 'units.name as unitName', 'sections.deleted_at as deletedAt'])
			.where('sections.manual_id', '=', manualId)
			.where('sections.deleted_at', 'is not', null)
			.orderBy('sections.deleted_at', 'desc')
			.execute();
	}

	async create(input: { manualId: string; unitId: string; title: string; position?: number }): Promise<Section> {
		const id = crypto.randomUUID();
		const row = {
			id,
			manual_id: input.manualId,
			unit_id: input.unitId,
			title: input.title,
			position: input.position ?? 0,
			state: 'draft' as const,
			doc: docNameOf(id),
			deleted_at: null,
			created_at: Date.now(),
			edition_id: null
		};
		await this.db.insertInto('sections').values(row).execute();
		return row;
	}
}

/** Moves a section to the recycle bin and makes its open connections authenticate again (and fail). */
export async function deleteSection(s: { sections: SectionService; collab: { connections: { reauthenticateDoc(doc: string): void } } }, id: string) {
	const section = await s.sections.softDelete(id);
	s.collab.connections.reauthenticateDoc(section.doc);
}
