import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { policies } from '#server/policies/index.ts';
import { publishReadiness } from '#server/editions/readiness.ts';
import { publishEdition } from '#server/commands/publish-edition.ts';
import { openRevision } from '#server/commands/open-revision.ts';
import { formOf, runAction } from '#lib/server/forms.ts';
import { isAppError } from '#server/errors.ts';

export const load: PageServerLoad = async ({ locals, params }) => {
	const user = locals.user!;
	const { db } = locals.services;
	const editions = await db
		.selectFrom('editions')
		.innerJoin('users', 'users.id', 'editions.published_by')
		.select(['editions.id', 'editions.number', 'editions.hash', 'editions.note', 'editions.published_at as publishedAt', 'users.display_name as publisher'])
		.where('editions.manual_id', '=', params.id)
		.orderBy('editions.number', 'desc')
		.execute();
	return {
		editions: editions.map((e) => ({ ...e, number: Number(e.number), publishedAt: Number(e.publishedAt) })),
		canPublish: policies.publish(user),
		readiness: policies.publish(user) ? await publishReadiness(locals.services, params.id) : null
	};
};

export const actions: Actions = {
	publish: async ({ locals, params, request }) => {
		const note = String((await formOf(request)).get('note') ?? '').trim().slice(0, 2000);
		try {
			const r = await publishEdition(locals.services, locals.user!, params.id, note);
			return { form: 'publish', ok: true as const, id: r.id, number: r.number };
		} catch (err) {
			if (isAppError(err)) return fail(err.status, { form: 'publish', error: err.message });
			throw err;
		}
	},
	revise: async ({ locals, params }) => runAction('revise', () => openRevision(locals.services, locals.user!, params.id))
};
