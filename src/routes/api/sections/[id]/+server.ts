import { json } from '@sveltejs/kit';
import { api, requireUser } from '#lib/server/api.ts';
import { policies } from '#server/policies/index.ts';
import { forbidden } from '#server/errors.ts';

export const GET = api(async (event) => {
	const user = requireUser(event);
	const { sections } = event.locals.services;
	const section = await sections.get(event.params.id!);
	if (!policies.readSection(user, section)) throw forbidden('该章节尚未发布，您暂无权查看。');
	return json({
		id: section.id,
		title: section.title,
		doc: section.doc,
		state: section.state,
		content: await sections.content(section)
	});
});
