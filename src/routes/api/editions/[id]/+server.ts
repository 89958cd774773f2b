import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { editionById, parseSnapshot } from '#server/editions/read.ts';
import { presentEdition } from '#server/presenters/index.ts';

export const GET = api(async (event) => {
	requireAllowed(event, policies.readEditions);
	const e = await editionById(event.locals.services.db, event.params.id!);
	return json(presentEdition(e, parseSnapshot(e.snapshot)));
});
