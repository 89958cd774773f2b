import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { api, readBody, requireAllowed, requireUser } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { publishEdition } from '#server/commands/publish-edition.ts';
import { presentEditionSummary } from '#server/presenters/index.ts';

const PublishInput = z.object({ note: z.string().trim().max(2000, '发布说明最多 2000 个字。').optional() });

export const GET = api(async (event) => {
	requireAllowed(event, policies.listManuals);
	const { db, manuals } = event.locals.services;
	await manuals.get(event.params.id!);
	const rows = await db
		.selectFrom('editions')
		.innerJoin('users', 'users.id', 'editions.published_by')
		.select(['editions.id', 'editions.manual_id', 'editions.number', 'editions.hash', 'editions.note', 'editions.published_at', 'users.id as userId', 'users.username', 'users.display_name as displayName'])
		.where('editions.manual_id', '=', event.params.id!)
		.orderBy('editions.number')
		.execute();
	return json(rows.map((r) => presentEditionSummary(r, { id: r.userId, username: r.username, displayName: r.displayName })));
});

/** 汇编成册: publish the next edition (coordinator), when every section is accepted. */
export const POST = api(async (event) => {
	const user = requireUser(event);
	const { note } = await readBody(event.request, PublishInput);
	return json(await publishEdition(event.locals.services, user, event.params.id!, note ?? ''), { status: 201 });
});
