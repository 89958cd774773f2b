import { json } from '@sveltejs/kit';
import { api, readBody, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { ManualUnitInput } from '#server/services/manuals.ts';

/** Adds an existing unit to the manual as a chapter. */
export const POST = api(async (event) => {
	requireAllowed(event, policies.manageManuals);
	const { unitId } = await readBody(event.request, ManualUnitInput);
	await event.locals.services.manuals.addUnit(event.params.id!, unitId);
	return json({ ok: true }, { status: 201 });
});
