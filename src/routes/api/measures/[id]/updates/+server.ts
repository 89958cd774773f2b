import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '#lib/server/api.ts';
import { MeasureUpdateInput, reportMeasure } from '#server/improvement/measures.ts';

/** A dated progress report on a measure (the unit's people, the coordinator). */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const input = await readBody(event.request, MeasureUpdateInput);
	return json(await reportMeasure(event.locals.services, user, event.params.id!, input), { status: 201 });
});
