import * as Y from 'yjs';
import type { Db } from '../db/connect.ts';
import type { Manual, Section } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { DocumentStore } from '../documents/store.ts';
import { yDocToJSON } from '../../collab/schema/index.ts';

export const SECTION_DOC_PREFIX = 'section:';
export const docNameOf = (sectionId: string) => `${SECTION_DOC_PREFIX}${sectionId}`;

export class SectionService {
	private db: Db;
	private store: DocumentStore;
	constructor(db: Db, store: DocumentStore) {
		this.db = db;
		this.store = store;
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

	/** Section content as ProseMirror JSON, read from durable storage (every confirmed edit is there). */
	async content(section: Section): Promise<Record<string, unknown>> {
		const ydoc = (await this.store.loadDoc(section.doc)) ?? new Y.Doc();
		try {
			return yDocToJSON(ydoc);
		} finally {
			ydoc.destroy();
		}
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
			created_at: Date.now()
		};
		await this.db.insertInto('sections').values(row).execute();
		return row;
	}
}
