import { json } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { readableSection } from '#lib/server/sections.ts';
import { sectionHistory } from '#server/workflow/history.ts';
import { presentHistoryEntry } from '#server/presenters/index.ts';

/** The section's timeline, oldest first: transitions with notes, grades, comment events. */
export const GET = api(async (event) => {
	const { section } = await readableSection(event, event.params.id!);
	return json((await sectionHistory(event.locals.services.db, section.id)).map(presentHistoryEntry));
});
