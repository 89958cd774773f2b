import { json } from '@sveltejs/kit';
import { api, requireAllowed } from '#lib/server/api.ts';
import { badRequest } from '#server/errors.ts';
import { policies } from '#server/policies/index.ts';
import { editionById, parseSnapshot } from '#server/editions/read.ts';
import { diffEditions } from '#server/editions/diff.ts';

/** What changed from edition `a` to edition `b` of the same manual. */
export const GET = api(async (event) => {
	requireAllowed(event, policies.readEditions);
	const { db } = event.locals.services;
	const [a, b] = await Promise.all([editionById(db, event.params.a!), editionById(db, event.params.b!)]);
	if (a.manual_id !== b.manual_id) throw badRequest('只能比较同一手册的两个版本。');
	return json(diffEditions(parseSnapshot(a.snapshot), parseSnapshot(b.snapshot)));
});
