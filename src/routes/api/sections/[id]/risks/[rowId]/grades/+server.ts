import { json } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { readableSection } from '#lib/server/sections.ts';
import { gradesOf } from '#server/commands/grade-risk.ts';
import { presentGrade } from '#server/presenters/index.ts';

export const GET = api(async (event) => {
	const { section } = await readableSection(event, event.params.id!);
	return json((await gradesOf(event.locals.services, section.id, event.params.rowId!)).map(presentGrade));
});
