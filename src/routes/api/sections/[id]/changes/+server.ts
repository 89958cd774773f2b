import { json } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { readableSection } from '#lib/server/sections.ts';
import { editionContent } from '#server/editions/read.ts';
import { diffSection } from '#server/editions/diff.ts';

/** While revising: what changed in this section since its last published edition (null if never published). */
export const GET = api(async (event) => {
	const { section } = await readableSection(event, event.params.id!);
	if (!section.edition_id) return json(null);
	const s = event.locals.services;
	const frozen = await editionContent(s.db, section);
	const live = await s.sections.content(section);
	return json(diffSection({ id: section.id, title: section.title, ...frozen }, { id: section.id, title: section.title, ...live }));
});
