import { json } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { readableSection } from '#lib/server/sections.ts';
import { runChecklist } from '#collab/schema/checklist.ts';

/** 自我复查: the four checks of the plan on the section as it is now. */
export const GET = api(async (event) => {
	const { section } = await readableSection(event, event.params.id!);
	const { content, flowcharts } = await event.locals.services.sections.content(section);
	return json(runChecklist(content, flowcharts));
});
