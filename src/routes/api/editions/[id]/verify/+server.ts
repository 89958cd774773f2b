import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { verifyEdition } from '#server/editions/read.ts';

/** Recomputes the edition's hash from what is stored and checks the chain to the previous edition. */
export const GET = api(async (event) => {
	requireAllowed(event, policies.readEditions);
	return json(await verifyEdition(event.locals.services.db, event.params.id!));
});
